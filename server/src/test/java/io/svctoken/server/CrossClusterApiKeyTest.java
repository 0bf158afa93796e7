package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** Cross-cluster API keys ({@code POST|PUT /_security/cross_cluster/api_key}) over real HTTP, as Elasticsearch's tests run them. */
class CrossClusterApiKeyTest {

    @TempDir
    static Path home;
    static TestNode node;
    static final String ADMIN = basic("admin_user", "x-pack-test-password");

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        ok(node.asElastic("PUT", "/_security/role/admin_role", "{\"cluster\":[\"manage_security\"]}"));
        ok(node.asElastic("PUT", "/_security/user/admin_user", "{\"password\":\"x-pack-test-password\",\"roles\":[\"admin_role\"]}"));
        ok(node.asElastic("PUT", "/_security/role/keys_only", "{\"cluster\":[\"manage_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/user/keys_user", "{\"password\":\"keys-pass\",\"roles\":[\"keys_only\"]}"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Response ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    static JsonNode get(String id) throws Exception {
        return ok(node.request("GET", "/_security/api_key?with_limited_by=true&id=" + id, ADMIN)).json().at("/api_keys/0");
    }

    @Test
    void createShowsTheDerivedDescriptorAndTheAccessAndCannotAuthenticateOverRest() throws Exception {
        JsonNode k = ok(node.request("POST", "/_security/cross_cluster/api_key", ADMIN, "{\"name\":\"my-cc-api-key\",\"expiration\":\"1d\","
                + "\"access\":{\"search\":[{\"names\":[\"logs*\"],\"query\":{\"term\":{\"category\":\"shared\"}},"
                + "\"field_security\":{\"grant\":[\"*\"],\"except\":[\"private\"]}}],"
                + "\"replication\":[{\"names\":[\"archive\"],\"allow_restricted_indices\":false}]},"
                + "\"metadata\":{\"answer\":42,\"tag\":\"dev\"}}", Map.of())).json();
        String id = k.get("id").asText();
        assertThat(k.get("name").asText()).isEqualTo("my-cc-api-key");
        assertThat(k.has("expiration")).isTrue();

        Response rest = node.request("GET", "/_security/_authenticate", "ApiKey " + k.get("encoded").asText());
        assertThat(rest.status()).isEqualTo(401);
        assertThat(rest.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(rest.json().at("/error/reason").asText())
                .isEqualTo("authentication expected API key type of [rest], but API key [" + id + "] has type [cross_cluster]");

        JsonNode got = get(id);
        assertThat(got.get("type").asText()).isEqualTo("cross_cluster");
        assertThat(got.get("metadata").toString()).isEqualTo("{\"answer\":42,\"tag\":\"dev\"}");
        assertThat(got.get("role_descriptors").toString()).isEqualTo("{\"cross_cluster\":{\"cluster\":[\"cross_cluster_search\","
                + "\"monitor_enrich\",\"cross_cluster_replication\"],\"indices\":[{\"names\":[\"logs*\"],\"privileges\":[\"read\","
                + "\"read_cross_cluster\",\"view_index_metadata\"],\"field_security\":{\"grant\":[\"*\"],\"except\":[\"private\"]},"
                + "\"query\":\"{\\\"term\\\":{\\\"category\\\":\\\"shared\\\"}}\",\"allow_restricted_indices\":false},{\"names\":[\"archive\"],"
                + "\"privileges\":[\"cross_cluster_replication\",\"cross_cluster_replication_internal\"],\"allow_restricted_indices\":false}],"
                + "\"applications\":[],\"run_as\":[],\"metadata\":{},\"transient_metadata\":{\"enabled\":true}}}");
        assertThat(got.get("access").toString()).isEqualTo("{\"search\":[{\"names\":[\"logs*\"],\"field_security\":{\"grant\":[\"*\"],"
                + "\"except\":[\"private\"]},\"query\":\"{\\\"term\\\":{\\\"category\\\":\\\"shared\\\"}}\",\"allow_restricted_indices\":false}],"
                + "\"replication\":[{\"names\":[\"archive\"],\"allow_restricted_indices\":false}]}");
        assertThat(got.has("limited_by")).isFalse();
        // the query API sees its type
        JsonNode q = ok(node.request("POST", "/_security/_query/api_key", ADMIN, "{\"query\":{\"term\":{\"type\":\"cross_cluster\"}}}",
                Map.of())).json();
        java.util.List<String> ids = new java.util.ArrayList<>();
        q.get("api_keys").forEach(x -> {
            ids.add(x.get("id").asText());
            assertThat(x.get("type").asText()).isEqualTo("cross_cluster");
        });
        assertThat(ids).contains(id);
        // a cross-cluster key is invalidated as any other
        ok(node.request("DELETE", "/_security/api_key", ADMIN, "{\"ids\":[\"" + id + "\"]}", Map.of()));
        assertThat(get(id).get("invalidated").asBoolean()).isTrue();
    }

    @Test
    void updateReplacesTheAccessAndANoopAnswersFalse() throws Exception {
        String id = ok(node.request("POST", "/_security/cross_cluster/api_key", ADMIN, "{\"name\":\"my-cc-api-key\",\"access\":{\"search\":"
                + "[{\"names\":[\"logs*\"]}]},\"metadata\":{\"tag\":\"dev\"}}", Map.of())).json().get("id").asText();
        String update = "{\"access\":{\"replication\":[{\"names\":[\"archive\"]}]},\"metadata\":{\"tag\":\"prod\"}}";
        assertThat(ok(node.request("PUT", "/_security/cross_cluster/api_key/" + id, ADMIN, update, Map.of())).body())
                .isEqualTo("{\"updated\":true}");
        JsonNode got = get(id);
        assertThat(got.get("metadata").toString()).isEqualTo("{\"tag\":\"prod\"}");
        assertThat(got.at("/role_descriptors/cross_cluster/cluster").toString()).isEqualTo("[\"cross_cluster_replication\"]");
        assertThat(got.get("access").toString()).isEqualTo("{\"replication\":[{\"names\":[\"archive\"],\"allow_restricted_indices\":false}]}");
        assertThat(ok(node.request("PUT", "/_security/cross_cluster/api_key/" + id, ADMIN, update, Map.of())).body())
                .isEqualTo("{\"updated\":false}");
        // the REST update API refuses it, and the cross-cluster one refuses a REST key
        Response asRest = node.request("PUT", "/_security/api_key/" + id, ADMIN, "{}", Map.of());
        assertThat(asRest.status()).isEqualTo(400);
        assertThat(asRest.json().at("/error/reason").asText())
                .isEqualTo("cannot update API key of type [cross_cluster] while expected type is [rest]");
        String restKey = ok(node.request("POST", "/_security/api_key", ADMIN, "{\"name\":\"plain\"}", Map.of())).json().get("id").asText();
        Response asCc = node.request("PUT", "/_security/cross_cluster/api_key/" + restKey, ADMIN, "{\"metadata\":{}}", Map.of());
        assertThat(asCc.status()).isEqualTo(400);
        assertThat(asCc.json().at("/error/reason").asText())
                .isEqualTo("cannot update API key of type [rest] while expected type is [cross_cluster]");
    }

    @Test
    void refusals() throws Exception {
        Response empty = node.request("POST", "/_security/cross_cluster/api_key", ADMIN, "{\"name\":\"k\",\"access\":{\"search\":[]}}", Map.of());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("must specify non-empty access for either [search] or [replication]");
        Response missing = node.request("POST", "/_security/cross_cluster/api_key", ADMIN, "{\"name\":\"k\"}", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/reason").asText()).isEqualTo("Required [access]");
        Response dls = node.request("POST", "/_security/cross_cluster/api_key", ADMIN,
                "{\"name\":\"k\",\"access\":{\"replication\":[{\"names\":[\"logs\"],\"query\":{\"term\":{\"tag\":42}}}]}}", Map.of());
        assertThat(dls.status()).isEqualTo(400);
        assertThat(dls.body()).contains("replication does not support document or field level security");
        Response privileges = node.request("POST", "/_security/cross_cluster/api_key", ADMIN,
                "{\"name\":\"k\",\"access\":{\"search\":[{\"names\":[\"metrics\"],\"privileges\":[\"read\"]}]}}", Map.of());
        assertThat(privileges.status()).isEqualTo(400);
        assertThat(privileges.body()).contains("failed to parse indices privileges for role [cross_cluster]. field [privileges] must not present");
        // an update names access or metadata, in a body
        String id = ok(node.request("POST", "/_security/cross_cluster/api_key", ADMIN, "{\"name\":\"k\",\"access\":{\"search\":"
                + "[{\"names\":[\"a\"]}]}}", Map.of())).json().get("id").asText();
        Response nothing = node.request("PUT", "/_security/cross_cluster/api_key/" + id, ADMIN, "{\"expiration\":\"1d\"}", Map.of());
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(nothing.json().at("/error/reason").asText())
                .isEqualTo("Validation Failed: 1: must update either [access] or [metadata] for cross-cluster API keys;");
        Response noBody = node.request("PUT", "/_security/cross_cluster/api_key/" + id, ADMIN, null, Map.of());
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.json().at("/error/reason").asText()).isEqualTo("request body is required");
        // manage_api_key is not enough: creating one takes manage_security
        Response forbidden = node.request("POST", "/_security/cross_cluster/api_key", basic("keys_user", "keys-pass"),
                "{\"name\":\"k\",\"access\":{\"search\":[{\"names\":[\"a\"]}]}}", Map.of());
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/cross_cluster/api_key/create]"
                + " is unauthorized for user [keys_user] with effective roles [keys_only], this action is granted by the cluster privileges"
                + " [manage_security,all]");
    }
}
