package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** The API-key API beyond create, get and invalidate (issue 14 item 4): cache clearing and updates, over real HTTP. */
class ApiKeyManagementTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        ok(node.asElastic("PUT", "/_security/role/own_only", "{\"cluster\":[\"manage_own_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/user/ownonly", "{\"password\":\"ownonly-pass\",\"roles\":[\"own_only\"]}"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Response ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    static JsonNode create(String authorization, String body) throws Exception {
        return ok(node.request("POST", "/_security/api_key", authorization, body, Map.of())).json();
    }

    static String apiKey(JsonNode created) {
        return "ApiKey " + created.get("encoded").asText();
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Marks a key invalidated behind the node's back: only a cleared cache makes the node see it. */
    static void invalidateInStore(String id) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data").resolve("svctoken.db"));
             PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET invalidated = 1, invalidation_time = 1 WHERE id = ?")) {
            ps.setString(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ _clear_cache

    @Test
    void clearCacheEvictsTheNamedKeysOrAllOfThemInElasticsearchsNodesShape() throws Exception {
        JsonNode a = create(TestNode.ELASTIC_BASIC, "{\"name\":\"cached-a\"}");
        JsonNode b = create(TestNode.ELASTIC_BASIC, "{\"name\":\"cached-b\"}");
        ok(node.request("GET", "/_security/_authenticate", apiKey(a)));
        ok(node.request("GET", "/_security/_authenticate", apiKey(b)));
        invalidateInStore(a.get("id").asText());
        invalidateInStore(b.get("id").asText());
        // still remembered: the store was changed behind the node's back
        ok(node.request("GET", "/_security/_authenticate", apiKey(a)));

        Response r = ok(node.asElastic("POST", "/_security/api_key/" + a.get("id").asText() + ",unknown/_clear_cache"));
        JsonNode j = r.json();
        assertThat(fieldNames(j)).containsExactly("_nodes", "cluster_name", "nodes");
        assertThat(j.get("_nodes").toString()).isEqualTo("{\"total\":1,\"successful\":1,\"failed\":0}");
        assertThat(j.get("cluster_name").asText()).isEqualTo("test-cluster");
        assertThat(j.get("nodes").fields().next().getValue().toString()).isEqualTo("{\"name\":\"node-0\"}");
        assertThat(node.request("GET", "/_security/_authenticate", apiKey(a)).status()).isEqualTo(401);
        ok(node.request("GET", "/_security/_authenticate", apiKey(b)));

        ok(node.asElastic("POST", "/_security/api_key/*/_clear_cache"));
        assertThat(node.request("GET", "/_security/_authenticate", apiKey(b)).status()).isEqualTo(401);
    }

    @Test
    void clearCacheNeedsManageSecurity() throws Exception {
        Response r = node.request("POST", "/_security/api_key/x/_clear_cache", basic("ownonly", "ownonly-pass"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/cache/clear] is unauthorized"
                + " for user [ownonly] with effective roles [own_only], this action is granted by the cluster privileges [manage_security,all]");
    }
}
