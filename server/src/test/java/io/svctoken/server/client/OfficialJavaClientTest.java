package io.svctoken.server.client;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.InfoResponse;
import co.elastic.clients.elasticsearch.security.AuthenticateResponse;
import co.elastic.clients.elasticsearch.security.ClearCachedServiceTokensResponse;
import co.elastic.clients.elasticsearch.security.ClusterNode;
import co.elastic.clients.elasticsearch.security.CreateServiceTokenResponse;
import co.elastic.clients.elasticsearch.security.DeleteServiceTokenResponse;
import co.elastic.clients.elasticsearch.security.GetServiceAccountsResponse;
import co.elastic.clients.elasticsearch.security.GetServiceCredentialsResponse;
import co.elastic.clients.elasticsearch.security.RoleDescriptorRead;
import co.elastic.clients.elasticsearch.security.get_service_accounts.RoleDescriptorWrapper;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import io.svctoken.server.TestNode;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The official Elasticsearch Java client ({@code co.elastic.clients:elasticsearch-java} 9.x, over its
 * Rest5Client transport) against a real node: every service-account API the client exposes, as
 * {@code elastic} (Basic) and as a service token (Bearer), including how the client surfaces errors.
 */
class OfficialJavaClientTest {

    private static final String COMPAT_MEDIA_TYPE = "application/vnd.elasticsearch+json;compatible-with=9";
    private static final List<String> CHALLENGES = List.of("Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey");
    private static final String CREATE_DENIED = "action [cluster:admin/xpack/security/service_account/token/create]"
            + " is unauthorized for service account [elastic/fleet-server], this action is granted by the cluster privileges"
            + " [manage_service_account,manage_security,all]";

    @TempDir
    static Path home;
    static TestNode node;
    /** {@code elastic}, decoding strictly. */
    static ElasticsearchClient elastic;
    /** {@code elastic} with the client's default (lenient) decoding, for answers that include elastic/kibana. */
    static ElasticsearchClient lenient;
    private static final List<ElasticsearchClient> OPENED = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        elastic = client(TestNode.ELASTIC_BASIC);
        lenient = client(node.baseUrl(), TestNode.ELASTIC_BASIC, true);
    }

    @AfterAll
    static void stop() throws IOException {
        for (ElasticsearchClient c : OPENED) {
            c._transport().close();
        }
        if (node != null) {
            node.close();
        }
    }

    /**
     * The client's default mapper silently skips fields its model does not know; this one fails on
     * them, so an extra or misspelt field in a server answer shows up as a decoding error.
     */
    static final class StrictMapper extends JacksonJsonpMapper {
        @Override
        public boolean ignoreUnknownFields() {
            return false;
        }
    }

    /**
     * A client over a Rest5Client for {@code baseUrl} that sends {@code authorization} (none when null),
     * decoding strictly unless {@code lenient}.
     */
    private static ElasticsearchClient client(String baseUrl, String authorization, boolean lenient) {
        var builder = Rest5Client.builder(URI.create(baseUrl));
        if (authorization != null) {
            builder.setDefaultHeaders(new Header[]{new BasicHeader("Authorization", authorization)});
        }
        ElasticsearchClient c = new ElasticsearchClient(new Rest5ClientTransport(builder.build(),
                lenient ? new JacksonJsonpMapper() : new StrictMapper()));
        OPENED.add(c);
        return c;
    }

    private static ElasticsearchClient client(String authorization) {
        return client(node.baseUrl(), authorization, false);
    }

    /** The client's own configuration path ({@code token(...)} = {@code Authorization: Bearer ...}). */
    private static ElasticsearchClient bearerClient(String token) {
        ElasticsearchClient c = ElasticsearchClient.of(b -> b.host(node.baseUrl()).token(token));
        OPENED.add(c);
        return c;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String createToken(String service, String name) throws IOException {
        CreateServiceTokenResponse r = elastic.security().createServiceToken(b -> b.namespace("elastic").service(service).name(name));
        assertThat(r.created()).isTrue();
        return r.token().value();
    }

    private static ElasticsearchException esError(Executable call) {
        return assertThrows(ElasticsearchException.class, call);
    }

    /**
     * Every value of a response header, read from the low-level response: the client's own
     * {@code TransportHttpClient.Response.headers(String)} (9.5.6) throws a NullPointerException
     * ("Parser cursor") whenever the header is present, a client bug.
     */
    private static List<String> headerValues(ElasticsearchException e, String name) {
        Response low = (Response) e.httpResponse().originalResponse();
        return Arrays.stream(low.getHeaders()).filter(h -> h.getName().equalsIgnoreCase(name)).map(Header::getValue).toList();
    }

    private static String json(JsonData d) {
        return d.toJson().toString();
    }

    // ---------------------------------------------------------------- ping / info

    @Test
    void ping() throws Exception {
        assertThat(elastic.ping().value()).isTrue();
        assertThat(elastic.ping().value()).isTrue();
    }

    /**
     * HEAD / needs authentication. A 401 to a HEAD has no body (as with Elasticsearch), and the
     * client's ping endpoint treats 401 as an error whose body it must decode, so it throws a
     * TransportException instead of answering false: the same thing it does against Elasticsearch
     * (elastic/elasticsearch#124046 shows it for the HEAD {@code indices.exists}).
     */
    @Test
    void pingWithBadCredentials() throws Exception {
        for (ElasticsearchClient c : List.of(client(basic("elastic", "wrong-password")), client(null))) {
            TransportException e = assertThrows(TransportException.class, c::ping);
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.endpointId()).isEqualTo("es/ping");
            assertThat(e.getMessage()).endsWith("status: 401, [es/ping] Expecting a response body, but none was sent");
            // the connection is still in step: no stray body was sent after the HEAD answer
            ElasticsearchException get = esError(c::info);
            assertThat(get.status()).isEqualTo(401);
            assertThat(get.error().type()).isEqualTo("security_exception");
            assertThrows(TransportException.class, c::ping);
        }
        assertThat(elastic.ping().value()).isTrue();
    }

    @Test
    void info() throws Exception {
        InfoResponse info = elastic.info();
        assertThat(info.name()).isEqualTo("node-0");
        assertThat(info.clusterName()).isEqualTo("test-cluster");
        assertThat(info.clusterUuid()).isEqualTo(node.node().identity().clusterUuid()).hasSize(22);
        assertThat(info.tagline()).isEqualTo("You Know, for Search");
        assertThat(info.version().number()).isEqualTo("8.19.0");
        assertThat(info.version().buildFlavor()).isEqualTo("default");
        assertThat(info.version().buildType()).isEqualTo("tar");
        assertThat(info.version().buildSnapshot()).isFalse();
        assertThat(info.version().luceneVersion()).isEqualTo("9.12.2");
        assertThat(info.version().minimumWireCompatibilityVersion()).isEqualTo("7.17.0");
        assertThat(info.version().minimumIndexCompatibilityVersion()).isEqualTo("7.0.0");
        assertThat(info.version().buildDate().toInstant().toString()).startsWith("2025-07-24T00:00:00");
    }

    @Test
    void infoOfANodeEmulating9x(@TempDir Path home9) throws Exception {
        try (TestNode n9 = TestNode.start(home9, Map.of("svctoken.compatibility.version", "9"))) {
            ElasticsearchClient c = client(n9.baseUrl(), TestNode.ELASTIC_BASIC, true);
            InfoResponse info = c.info();
            assertThat(info.version().number()).isEqualTo("9.2.0");
            assertThat(info.version().minimumWireCompatibilityVersion()).isEqualTo("8.19.0");
            assertThat(c.security().getServiceAccounts().serviceAccoutns().keySet())
                    .containsExactlyInAnyOrder("elastic/auto-ops", "elastic/fleet-server", "elastic/fleet-server-remote", "elastic/kibana");
            c._transport().close();
            OPENED.remove(c);
        }
    }

    // ---------------------------------------------------------------- authenticate

    @Test
    void authenticateAsElastic() throws Exception {
        AuthenticateResponse me = elastic.security().authenticate();
        assertThat(me.username()).isEqualTo("elastic");
        assertThat(me.roles()).containsExactly("superuser");
        assertThat(me.fullName()).isNull();
        assertThat(me.email()).isNull();
        assertThat(me.enabled()).isTrue();
        assertThat(me.authenticationRealm().name()).isEqualTo("reserved");
        assertThat(me.authenticationRealm().type()).isEqualTo("reserved");
        assertThat(me.lookupRealm().name()).isEqualTo("reserved");
        assertThat(me.lookupRealm().type()).isEqualTo("reserved");
        assertThat(me.authenticationType()).isEqualTo("realm");
        assertThat(me.token()).isNull();
        assertThat(me.apiKey()).isNull();
        assertThat(me.metadata()).containsKey("_reserved");
        assertThat(json(me.metadata().get("_reserved"))).isEqualTo("true");
    }

    @Test
    void authenticateWithAServiceToken() throws Exception {
        String value = createToken("fleet-server", "client-auth");
        for (ElasticsearchClient c : List.of(bearerClient(value), client(TestNode.bearer(value)))) {
            AuthenticateResponse me = c.security().authenticate();
            assertThat(me.username()).isEqualTo("elastic/fleet-server");
            assertThat(me.roles()).isEmpty();
            assertThat(me.fullName()).isEqualTo("Service account - elastic/fleet-server");
            assertThat(me.email()).isNull();
            assertThat(me.enabled()).isTrue();
            assertThat(me.token()).isNotNull();
            assertThat(me.token().name()).isEqualTo("client-auth");
            assertThat(me.token().type()).isEqualTo("_service_account_index");
            assertThat(me.token().managedBy()).isNull();
            assertThat(me.apiKey()).isNull();
            assertThat(me.metadata().keySet()).containsExactly("_elastic_service_account");
            assertThat(json(me.metadata().get("_elastic_service_account"))).isEqualTo("true");
            assertThat(me.authenticationRealm().name()).isEqualTo("_service_account");
            assertThat(me.authenticationRealm().type()).isEqualTo("_service_account");
            assertThat(me.lookupRealm().name()).isEqualTo("_service_account");
            assertThat(me.lookupRealm().type()).isEqualTo("_service_account");
            assertThat(me.authenticationType()).isEqualTo("token");
            // fleet-server has the monitor privilege
            assertThat(c.info().name()).isEqualTo("node-0");
            assertThat(c.ping().value()).isTrue();
        }
    }

    // ---------------------------------------------------------------- get service accounts

    @Test
    void getServiceAccounts() throws Exception {
        List<String> all = List.of("elastic/auto-ops", "elastic/enterprise-search-server", "elastic/fleet-server",
                "elastic/fleet-server-remote", "elastic/kibana");
        // every descriptor, the 40 KB kibana one included, goes through the client's model
        GetServiceAccountsResponse everything = lenient.security().getServiceAccounts();
        assertThat(everything.serviceAccoutns().keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(lenient.security().getServiceAccounts(b -> b).serviceAccoutns().keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(lenient.security().getServiceAccounts(b -> b.namespace("elastic")).serviceAccoutns().keySet())
                .containsExactlyInAnyOrderElementsOf(all);
        // Decoded strictly, the one field the 9.5.6 model lacks is kibana's global "profile" privilege, which
        // Elasticsearch does send; every other account decodes strictly (below).
        TransportException strict = assertThrows(TransportException.class, () -> elastic.security().getServiceAccounts());
        assertThat(strict.statusCode()).isEqualTo(200);
        assertThat(strict.getCause()).hasMessageContaining("Unknown field 'profile'")
                .hasMessageContaining("JSON path: ['elastic/kibana'].role_descriptor.global.profile");
        for (String account : all) {
            if (!account.equals("elastic/kibana")) {
                String service = account.substring("elastic/".length());
                assertThat(elastic.security().getServiceAccounts(b -> b.namespace("elastic").service(service)).serviceAccoutns())
                        .containsOnlyKeys(account);
            }
        }

        GetServiceAccountsResponse fleet = elastic.security().getServiceAccounts(b -> b.namespace("elastic").service("fleet-server"));
        assertThat(fleet.serviceAccoutns().keySet()).containsExactly("elastic/fleet-server");
        RoleDescriptorWrapper wrapper = fleet.get("elastic/fleet-server");
        assertThat(wrapper).isNotNull();
        RoleDescriptorRead rd = wrapper.roleDescriptor();
        assertThat(rd.cluster()).startsWith("monitor", "manage_own_api_key");
        assertThat(rd.indices()).isNotEmpty();
        assertThat(rd.indices().get(0).names()).contains("logs-*", "metrics-*", "traces-*");
        assertThat(rd.indices().get(0).privileges()).containsExactly("write", "create_index", "auto_configure");
        assertThat(rd.indices().get(0).allowRestrictedIndices()).isFalse();
        assertThat(rd.indices()).anySatisfy(g -> assertThat(g.allowRestrictedIndices()).isTrue());
        assertThat(rd.applications()).hasSize(1);
        assertThat(rd.applications().get(0).application()).isEqualTo("kibana-*");
        assertThat(rd.applications().get(0).privileges()).containsExactly("reserved_fleet-setup");
        assertThat(rd.applications().get(0).resources()).containsExactly("*");
        assertThat(rd.runAs()).isEmpty();
        assertThat(rd.metadata()).isEmpty();
        assertThat(rd.transientMetadata().keySet()).containsExactly("enabled");
        assertThat(json(rd.transientMetadata().get("enabled"))).isEqualTo("true");
        // same descriptor whether asked for alone or with all the others
        assertThat(everything.get("elastic/fleet-server").toString()).isEqualTo(wrapper.toString());

        RoleDescriptorRead kibana = everything.get("elastic/kibana").roleDescriptor();
        assertThat(kibana.cluster()).contains("monitor", "manage_own_api_key");
        assertThat(kibana.indices()).anySatisfy(g -> assertThat(g.names()).contains(".kibana*"));
        assertThat(json(kibana.metadata().get("_reserved"))).isEqualTo("true");
        assertThat(kibana.global()).isNotNull();
        assertThat(kibana.global().application().manage().applications()).containsExactly("kibana-*");
        assertThat(kibana.remoteIndices()).isNotEmpty().allSatisfy(g -> assertThat(g.clusters()).containsExactly("*"));
        assertThat(kibana.remoteIndices().get(0).names()).containsExactly(".monitoring-*");
        assertThat(kibana.remoteCluster()).hasSize(1);
        assertThat(kibana.remoteCluster().get(0).privileges()).extracting(p -> p.jsonValue()).containsExactly("monitor_stats");
        assertThat(kibana.remoteCluster().get(0).clusters()).containsExactly("*");
        assertThat(kibana.description()).startsWith("Grants access necessary for the Kibana system user");
        assertThat(kibana.transientMetadata().keySet()).containsExactly("enabled");

        RoleDescriptorRead autoOps = everything.get("elastic/auto-ops").roleDescriptor();
        assertThat(autoOps.cluster()).containsExactly("monitor", "read_ilm", "read_slm");
        assertThat(autoOps.indices()).hasSize(1);
        assertThat(autoOps.indices().get(0).names()).containsExactly("*");
        assertThat(autoOps.indices().get(0).allowRestrictedIndices()).isTrue();

        // unknown namespace / service: 200 {} which the client shows as an empty map, not an error
        assertThat(elastic.security().getServiceAccounts(b -> b.namespace("foo")).serviceAccoutns()).isEmpty();
        assertThat(elastic.security().getServiceAccounts(b -> b.namespace("elastic").service("foo")).serviceAccoutns()).isEmpty();
        assertThat(elastic.security().getServiceAccounts(b -> b.namespace("foo").service("bar")).serviceAccoutns()).isEmpty();
    }

    // ---------------------------------------------------------------- create

    @Test
    void createWithAName() throws Exception {
        CreateServiceTokenResponse r = elastic.security().createServiceToken(b -> b.namespace("elastic").service("fleet-server").name("named-1"));
        assertThat(r.created()).isTrue();
        assertThat(r.token().name()).isEqualTo("named-1");
        String value = r.token().value();
        assertThat(value).matches("[A-Za-z0-9+/]+").doesNotContain("=");
        byte[] raw = Base64.getDecoder().decode(value);
        assertThat(raw[0]).isEqualTo((byte) 0);
        assertThat(raw[1]).isEqualTo((byte) 1);
        assertThat(raw[2]).isEqualTo((byte) 0);
        assertThat(raw[3]).isEqualTo((byte) 1);
        String rest = new String(raw, 4, raw.length - 4, StandardCharsets.UTF_8);
        assertThat(rest).matches("elastic/fleet-server/named-1:[A-Za-z0-9_-]{22}");
        assertThat(bearerClient(value).security().authenticate().token().name()).isEqualTo("named-1");

        // explicit refresh policies are sent as ?refresh=... and accepted
        for (Refresh refresh : List.of(Refresh.True, Refresh.False, Refresh.WaitFor)) {
            String name = "refresh-" + refresh.jsonValue().replace('_', '-');
            CreateServiceTokenResponse rr = elastic.security().createServiceToken(b -> b.namespace("elastic").service("fleet-server")
                    .name(name).refresh(refresh));
            assertThat(rr.token().name()).isEqualTo(name);
        }
    }

    @Test
    void createWithoutAName() throws Exception {
        CreateServiceTokenResponse r = elastic.security().createServiceToken(b -> b.namespace("elastic").service("fleet-server"));
        assertThat(r.created()).isTrue();
        String name = r.token().name();
        assertThat(name).matches("token_[A-Za-z0-9_-]{20}");
        String decoded = new String(Base64.getDecoder().decode(r.token().value()), StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("\0\1\0\1elastic/fleet-server/" + name + decoded.substring(decoded.indexOf(':')));
        assertThat(bearerClient(r.token().value()).security().authenticate().token().name()).isEqualTo(name);
        CreateServiceTokenResponse second = elastic.security().createServiceToken(b -> b.namespace("elastic").service("fleet-server"));
        assertThat(second.token().name()).matches("token_[A-Za-z0-9_-]{20}").isNotEqualTo(name);
    }

    @Test
    void duplicateCreateIsAVersionConflict() throws Exception {
        createToken("fleet-server", "dup");
        ElasticsearchException e = esError(() -> elastic.security().createServiceToken(b -> b.namespace("elastic")
                .service("fleet-server").name("dup")));
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.response().status()).isEqualTo(409);
        assertThat(e.endpointId()).isEqualTo("es/security.create_service_token");
        ErrorCause cause = e.error();
        assertThat(cause.type()).isEqualTo("version_conflict_engine_exception");
        String reason = "[service_account_token-elastic/fleet-server/dup]: version conflict, document already exists (current version [1])";
        assertThat(cause.reason()).isEqualTo(reason);
        assertThat(cause.metadata().keySet()).containsExactlyInAnyOrder("index_uuid", "shard", "index");
        assertThat(json(cause.metadata().get("index"))).isEqualTo("\".security-7\"");
        assertThat(json(cause.metadata().get("shard"))).isEqualTo("\"0\"");
        assertThat(json(cause.metadata().get("index_uuid"))).isEqualTo("\"" + node.node().identity().indexUuid() + "\"");
        assertThat(cause.rootCause()).hasSize(1);
        assertThat(cause.rootCause().get(0).type()).isEqualTo("version_conflict_engine_exception");
        assertThat(cause.rootCause().get(0).reason()).isEqualTo(reason);
        assertThat(e.getMessage()).contains("version_conflict_engine_exception").contains("document already exists");
        assertThat(e.httpResponse().header("Content-Type")).isEqualTo(COMPAT_MEDIA_TYPE);
    }

    @Test
    void createForAnUnknownAccount() throws Exception {
        ElasticsearchException e = esError(() -> elastic.security().createServiceToken(b -> b.namespace("elastic")
                .service("foo").name("t1")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().type()).isEqualTo("illegal_argument_exception");
        assertThat(e.error().reason()).isEqualTo("service account [elastic/foo] does not exist");
        ElasticsearchException other = esError(() -> elastic.security().createServiceToken(b -> b.namespace("foo").service("bar")));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.error().reason()).isEqualTo("service account [foo/bar] does not exist");
    }

    @Test
    void createWithAnInvalidName() throws Exception {
        ElasticsearchException e = esError(() -> elastic.security().createServiceToken(b -> b.namespace("elastic")
                .service("fleet-server").name("_bad")));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().type()).isEqualTo("action_request_validation_exception");
        assertThat(e.error().reason()).startsWith("Validation Failed: 1: invalid service token name [_bad].").endsWith(";");
    }

    @Test
    void aServiceTokenCannotCreateTokens() throws Exception {
        String value = createToken("fleet-server", "limited");
        ElasticsearchClient fleet = bearerClient(value);
        ElasticsearchException e = esError(() -> fleet.security().createServiceToken(b -> b.namespace("elastic")
                .service("fleet-server").name("other")));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.error().type()).isEqualTo("security_exception");
        assertThat(e.error().reason()).isEqualTo(CREATE_DENIED);
        assertThat(e.error().rootCause()).hasSize(1);
        assertThat(e.error().rootCause().get(0).reason()).isEqualTo(CREATE_DENIED);
        assertThat(e.httpResponse().header("WWW-Authenticate")).isNull();
        // and the denied token was not created
        assertThat(elastic.security().getServiceCredentials(b -> b.namespace("elastic").service("fleet-server")).tokens())
                .containsKey("limited").doesNotContainKey("other");

        ElasticsearchException list = esError(() -> fleet.security().getServiceAccounts());
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.error().reason()).isEqualTo("action [cluster:admin/xpack/security/service_account/get]"
                + " is unauthorized for service account [elastic/fleet-server], this action is granted by the cluster privileges"
                + " [manage_service_account,read_security,manage_security,all]");
        ElasticsearchException delete = esError(() -> fleet.security().deleteServiceToken(b -> b.namespace("elastic")
                .service("fleet-server").name("limited")));
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.error().reason()).startsWith("action [cluster:admin/xpack/security/service_account/token/delete] is unauthorized");
    }

    // ---------------------------------------------------------------- credentials

    @Test
    void getServiceCredentials() throws Exception {
        GetServiceCredentialsResponse empty = elastic.security().getServiceCredentials(b -> b.namespace("elastic").service("fleet-server-remote"));
        assertThat(empty.serviceAccount()).isEqualTo("elastic/fleet-server-remote");
        assertThat(empty.count()).isZero();
        assertThat(empty.tokens()).isEmpty();

        createToken("fleet-server-remote", "b-token");
        createToken("fleet-server-remote", "a-token");
        GetServiceCredentialsResponse r = elastic.security().getServiceCredentials(b -> b.namespace("elastic").service("fleet-server-remote"));
        assertThat(r.serviceAccount()).isEqualTo("elastic/fleet-server-remote");
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.tokens().keySet()).containsExactly("a-token", "b-token");
        assertThat(r.tokens().get("a-token")).isEmpty();
        assertThat(r.tokens().get("b-token")).isEmpty();
        assertThat(r.nodesCredentials()).isNotNull();
        assertThat(r.nodesCredentials().nodeStats().total()).isEqualTo(1);
        assertThat(r.nodesCredentials().nodeStats().successful()).isEqualTo(1);
        assertThat(r.nodesCredentials().nodeStats().failed()).isZero();
        assertThat(r.nodesCredentials().nodeStats().failures()).isEmpty();
        assertThat(r.nodesCredentials().fileTokens()).isEmpty();

        // no check that the account exists: 200 with nothing in it
        GetServiceCredentialsResponse unknown = elastic.security().getServiceCredentials(b -> b.namespace("foo").service("bar"));
        assertThat(unknown.serviceAccount()).isEqualTo("foo/bar");
        assertThat(unknown.count()).isZero();
        assertThat(unknown.tokens()).isEmpty();
        assertThat(unknown.nodesCredentials().nodeStats().total()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- clear cache

    @Test
    void clearCachedServiceTokens() throws Exception {
        String value = createToken("fleet-server", "cached");
        ElasticsearchClient fleet = bearerClient(value);
        assertThat(fleet.security().authenticate().token().name()).isEqualTo("cached");
        long before = node.node().indexCache().estimatedSize();
        assertThat(before).isGreaterThanOrEqualTo(1);

        ClearCachedServiceTokensResponse r = elastic.security().clearCachedServiceTokens(b -> b.namespace("elastic")
                .service("fleet-server").name("cached", "not-cached"));
        assertThat(r.clusterName()).isEqualTo("test-cluster");
        assertThat(r.nodeStats().total()).isEqualTo(1);
        assertThat(r.nodeStats().successful()).isEqualTo(1);
        assertThat(r.nodeStats().failed()).isZero();
        assertThat(r.nodes()).hasSize(1);
        Map.Entry<String, ClusterNode> n = r.nodes().entrySet().iterator().next();
        assertThat(n.getKey()).isEqualTo(node.node().identity().nodeId()).hasSize(22);
        assertThat(n.getValue().name()).isEqualTo("node-0");
        assertThat(node.node().indexCache().estimatedSize()).isEqualTo(before - 1);

        // the token is looked up again, then the whole account is cleared with "*"
        assertThat(fleet.security().authenticate().token().name()).isEqualTo("cached");
        assertThat(node.node().indexCache().estimatedSize()).isEqualTo(before);
        ClearCachedServiceTokensResponse all = elastic.security().clearCachedServiceTokens(b -> b.namespace("elastic")
                .service("fleet-server").name("*"));
        assertThat(all.nodes()).hasSize(1);
        assertThat(fleet.security().authenticate().username()).isEqualTo("elastic/fleet-server");

        ElasticsearchException bad = esError(() -> elastic.security().clearCachedServiceTokens(b -> b.namespace("elastic")
                .service("fleet-server").name("ok", "_bad")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error().type()).isEqualTo("illegal_argument_exception");
        assertThat(bad.error().reason()).startsWith("invalid service token name [_bad].");

        ElasticsearchException denied = esError(() -> fleet.security().clearCachedServiceTokens(b -> b.namespace("elastic")
                .service("fleet-server").name("cached")));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.error().reason()).isEqualTo("action [cluster:admin/xpack/security/cache/clear] is unauthorized for"
                + " service account [elastic/fleet-server], this action is granted by the cluster privileges [manage_security,all]");
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteServiceToken() throws Exception {
        String value = createToken("fleet-server", "to-delete");
        ElasticsearchClient fleet = bearerClient(value);
        assertThat(fleet.security().authenticate().token().name()).isEqualTo("to-delete");

        DeleteServiceTokenResponse deleted = elastic.security().deleteServiceToken(b -> b.namespace("elastic")
                .service("fleet-server").name("to-delete"));
        assertThat(deleted.found()).isTrue();

        // 404 {"found":false} is not an error envelope: the client decodes it as a normal answer
        DeleteServiceTokenResponse again = elastic.security().deleteServiceToken(b -> b.namespace("elastic")
                .service("fleet-server").name("to-delete"));
        assertThat(again.found()).isFalse();
        DeleteServiceTokenResponse unknownAccount = elastic.security().deleteServiceToken(b -> b.namespace("foo")
                .service("bar").name("t1").refresh(Refresh.True));
        assertThat(unknownAccount.found()).isFalse();

        // the deleted token no longer authenticates, even though it had been cached
        ElasticsearchException e = esError(() -> fleet.security().authenticate());
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.error().type()).isEqualTo("security_exception");
        assertThat(e.error().reason()).isEqualTo("failed to authenticate service account [elastic/fleet-server] with token name [to-delete]");
        assertThat(elastic.security().getServiceCredentials(b -> b.namespace("elastic").service("fleet-server")).tokens())
                .doesNotContainKey("to-delete");
    }

    // ---------------------------------------------------------------- authentication failures

    @Test
    void badCredentialsAre401() throws Exception {
        ElasticsearchException wrong = esError(() -> client(basic("elastic", "wrong")).security().authenticate());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error().type()).isEqualTo("security_exception");
        assertThat(wrong.error().reason()).isEqualTo("unable to authenticate user [elastic] for REST request [/_security/_authenticate]");
        assertThat(json(wrong.error().metadata().get("header")))
                .isEqualTo("{\"WWW-Authenticate\":[\"Basic realm=\\\"security\\\", charset=\\\"UTF-8\\\"\",\"Bearer realm=\\\"security\\\"\",\"ApiKey\"]}");
        assertThat(headerValues(wrong, "WWW-Authenticate")).containsExactlyElementsOf(CHALLENGES);
        assertThat(wrong.httpResponse().header("Content-Type")).isEqualTo(COMPAT_MEDIA_TYPE);

        ElasticsearchException bob = esError(() -> client(basic("bob", "x")).security().getServiceAccounts());
        assertThat(bob.status()).isEqualTo(401);
        assertThat(bob.error().reason()).isEqualTo("unable to authenticate user [bob] for REST request [/_security/service]");

        ElasticsearchException none = esError(() -> client(null).info());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error().reason()).isEqualTo("missing authentication credentials for REST request [/]");

        // a well-formed service token with a wrong secret
        String fake = Base64.getEncoder().withoutPadding().encodeToString("\0\1\0\1elastic/fleet-server/nope:0123456789abcdefghijkl"
                .getBytes(StandardCharsets.UTF_8));
        ElasticsearchException badToken = esError(() -> bearerClient(fake).security().createServiceToken(b -> b.namespace("elastic")
                .service("fleet-server").name("x")));
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(badToken.error().reason()).isEqualTo("failed to authenticate service account [elastic/fleet-server] with token name [nope]");

        // a Bearer string that is not a service token
        ElasticsearchException notAToken = esError(() -> bearerClient("abcdef").security().authenticate());
        assertThat(notAToken.status()).isEqualTo(401);
        assertThat(notAToken.error().reason())
                .isEqualTo("unable to authenticate with provided credentials and anonymous access is not allowed for this request");
        assertThat(json(notAToken.error().metadata().get("additional_unsuccessful_credentials"))).isEqualTo("\"oauth2 token: invalid token\"");
    }
}
