package io.svctoken.server.rest;

import io.svctoken.core.authz.Actions;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint's one declaration: the route table, and authorization declared, never written by hand. */
class EndpointDeclarationsTest {

    private static List<Endpoint<?>> all() {
        List<Endpoint<?>> all = new ArrayList<>();
        all.addAll(new InfoEndpoints(null, null).endpoints());
        all.addAll(new ServiceAccountEndpoints(null, new io.svctoken.core.account.UserManagedServiceAccounts(null, null,
                java.time.Duration.ZERO, 0), null, null, 0, null).endpoints());
        all.addAll(new UserEndpoints(null).endpoints());
        all.addAll(new RoleEndpoints(null, null, null).endpoints());
        all.addAll(new RoleMappingEndpoints(null, null).endpoints());
        all.addAll(new ApiKeyEndpoints(null, null, null, null, null, 0).endpoints());
        all.addAll(new EnrollmentEndpoints(null, null, null, null, true).endpoints());
        HealthEndpoints health = new HealthEndpoints(null, null);
        all.addAll(health.probes());
        all.addAll(health.clusterHealth());
        all.addAll(new ForwardAuthEndpoints().endpoints());
        all.addAll(new ConsoleSessionEndpoints(null, null).endpoints());
        all.addAll(new ClusterNodesEndpoints(null, null, null, null).endpoints());
        all.addAll(new ConsoleAssetsEndpoints().endpoints());
        return all;
    }

    @Test
    void theRouteTableIsElasticsearchsAndEachRouteIsDeclaredOnce() {
        List<String> routes = new ArrayList<>();
        for (Endpoint<?> e : all()) {
            assertThat(e.action()).isNotBlank();
            e.routes().forEach(r -> routes.add(r.method() + " " + r.path()));
        }
        String svc = "/_security/service";
        String token = svc + "/{namespace}/{service}/credential/token";
        String user = "/_security/user";
        assertThat(routes).doesNotHaveDuplicates().containsExactlyInAnyOrder(
                "GET /", "HEAD /", "GET /_security/_authenticate",
                "GET " + svc, "GET " + svc + "/{namespace}", "GET " + svc + "/{namespace}/{service}",
                "POST " + token + "/{name}", "PUT " + token + "/{name}", "POST " + token, "DELETE " + token + "/{name}",
                "GET " + svc + "/{namespace}/{service}/credential", "POST " + token + "/{name}/_clear_cache",
                "PUT " + svc + "/{namespace}/{service}", "DELETE " + svc + "/{namespace}/{service}",
                "PUT " + user + "/{username}", "POST " + user + "/{username}", "GET " + user, "GET " + user + "/{username}",
                "DELETE " + user + "/{username}",
                "PUT " + user + "/{username}/_password", "POST " + user + "/{username}/_password", "PUT " + user + "/_password",
                "POST " + user + "/_password",
                "PUT " + user + "/{username}/_enable", "POST " + user + "/{username}/_enable",
                "PUT " + user + "/{username}/_disable", "POST " + user + "/{username}/_disable",
                "PUT /_security/role/{name}", "POST /_security/role/{name}", "GET /_security/role", "GET /_security/role/{name}",
                "DELETE /_security/role/{name}", "POST /_security/role", "DELETE /_security/role",
                "GET /_security/_query/role", "POST /_security/_query/role",
                "PUT /_security/role_mapping/{name}", "POST /_security/role_mapping/{name}", "GET /_security/role_mapping",
                "GET /_security/role_mapping/", "GET /_security/role_mapping/{name}", "DELETE /_security/role_mapping/{name}",
                "POST /_security/api_key", "PUT /_security/api_key", "GET /_security/api_key", "DELETE /_security/api_key",
                "POST /_security/api_key/{ids}/_clear_cache",
                "PUT /_security/api_key/{ids}", "POST /_security/api_key/_bulk_update",
                "POST /_security/api_key/grant", "PUT /_security/api_key/grant",
                "GET /_security/_query/api_key", "POST /_security/_query/api_key",
                "POST /_security/cross_cluster/api_key", "PUT /_security/cross_cluster/api_key/{id}",
                "GET /_security/enroll/kibana",
                "GET /_cluster/health", "GET /_svctoken/health/live", "HEAD /_svctoken/health/live",
                "GET /_svctoken/health/ready", "HEAD /_svctoken/health/ready",
                "GET /_svctoken/auth", "HEAD /_svctoken/auth", "POST /_svctoken/auth", "PUT /_svctoken/auth",
                "DELETE /_svctoken/auth", "PATCH /_svctoken/auth",
                "GET /_svctoken/auth/{**}", "HEAD /_svctoken/auth/{**}", "POST /_svctoken/auth/{**}", "PUT /_svctoken/auth/{**}",
                "DELETE /_svctoken/auth/{**}", "PATCH /_svctoken/auth/{**}",
                "POST /_svctoken/console/session", "GET /_svctoken/console/session", "DELETE /_svctoken/console/session",
                "GET /_svctoken/cluster/nodes",
                "GET /_svctoken/console", "HEAD /_svctoken/console", "GET /_svctoken/console/{file}", "HEAD /_svctoken/console/{file}");
    }

    @Test
    void onlyTheHealthProbesAndTheConsolesSessionAndFilesAreUnauthenticated() {
        List<String> open = new ArrayList<>();
        for (Endpoint<?> e : all()) {
            if (e.access() instanceof Access.Unauthenticated<?>) {
                e.routes().forEach(r -> open.add(r.method() + " " + r.path()));
            }
        }
        assertThat(open).containsExactlyInAnyOrder("GET /_svctoken/health/live", "HEAD /_svctoken/health/live",
                "GET /_svctoken/health/ready", "HEAD /_svctoken/health/ready",
                // the console's session reads its body or its cookie itself; its static files hold no data
                "POST /_svctoken/console/session", "GET /_svctoken/console/session", "DELETE /_svctoken/console/session",
                "GET /_svctoken/console", "HEAD /_svctoken/console", "GET /_svctoken/console/{file}", "HEAD /_svctoken/console/{file}");
    }

    /** Elasticsearch's security_config_change actions among svctoken's: every one of them declares its change for the audit trail. */
    @Test
    void everySecurityWriteDeclaresItsChange() {
        Set<String> changing = new TreeSet<>();
        for (Endpoint<?> e : all()) {
            if (e.changesSecurity()) {
                changing.add(e.action());
            }
        }
        assertThat(changing).containsExactly(Actions.BULK_UPDATE_API_KEY, Actions.CREATE_API_KEY, Actions.GRANT_API_KEY,
                Actions.INVALIDATE_API_KEY, Actions.UPDATE_API_KEY, Actions.CREATE_CROSS_CLUSTER_API_KEY,
                Actions.UPDATE_CROSS_CLUSTER_API_KEY, ServerEsMessages.ENROLL_KIBANA_ACTION,
                Actions.DELETE_ROLE, Actions.PUT_ROLE, Actions.DELETE_ROLE_MAPPING, Actions.PUT_ROLE_MAPPING, Actions.CREATE_SERVICE_TOKEN, Actions.DELETE_SERVICE_TOKEN,
                Actions.CHANGE_PASSWORD, Actions.DELETE_USER, Actions.PUT_USER, Actions.SET_ENABLED);
    }

    @Test
    void noEndpointCodeAuthorizesByHand() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/svctoken/server/rest"))) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(".authorize(").doesNotContain(".authorizeRunAs(");
            }
        }
    }
}
