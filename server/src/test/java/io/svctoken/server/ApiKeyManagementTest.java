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
        ok(node.asElastic("PUT", "/_security/user/updater", "{\"password\":\"updater-pass\",\"roles\":[\"own_only\"]}"));
    }

    static final String OWNONLY = basic("ownonly", "ownonly-pass");
    static final String UPDATER = basic("updater", "updater-pass");

    static JsonNode getKey(String id) throws Exception {
        return ok(node.asElastic("GET", "/_security/api_key?with_limited_by=true&id=" + id)).json().at("/api_keys/0");
    }

    static Response put(String authorization, String id, String body) throws Exception {
        return node.request("PUT", "/_security/api_key/" + id, authorization, body, Map.of());
    }

    static void assertError(Response r, int status, String type, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().at("/error/type").asText()).as(r.body()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo(reason);
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

    // ------------------------------------------------------------------ update

    @Test
    void updateReplacesWhatIsGivenAndANoopAnswersFalse() throws Exception {
        JsonNode k = create(UPDATER, "{\"name\":\"upd\",\"role_descriptors\":{\"r1\":{\"cluster\":[\"monitor\"]}},\"metadata\":{\"a\":1}}");
        String id = k.get("id").asText();
        assertThat(ok(put(UPDATER, id, "{\"metadata\":{\"b\":2}}")).body()).isEqualTo("{\"updated\":true}");
        JsonNode got = getKey(id);
        assertThat(got.get("metadata").toString()).isEqualTo("{\"b\":2}");
        assertThat(got.get("role_descriptors").toString()).contains("\"r1\"").contains("monitor");
        assertThat(got.has("expiration")).isFalse();
        // the same again, and no body at all: nothing changes
        assertThat(ok(put(UPDATER, id, "{\"metadata\":{\"b\":2}}")).body()).isEqualTo("{\"updated\":false}");
        assertThat(ok(put(UPDATER, id, null)).body()).isEqualTo("{\"updated\":false}");
        assertThat(ok(put(UPDATER, id, "{\"role_descriptors\":{\"r1\":{\"cluster\":[\"monitor\"]}}}")).body())
                .isEqualTo("{\"updated\":false}");

        long before = System.currentTimeMillis();
        assertThat(ok(put(UPDATER, id, "{\"role_descriptors\":{},\"expiration\":\"1d\"}")).body()).isEqualTo("{\"updated\":true}");
        got = getKey(id);
        assertThat(got.get("role_descriptors").toString()).isEqualTo("{}");
        assertThat(got.get("expiration").asLong()).isBetween(before + 86_399_000L, System.currentTimeMillis() + 86_400_000L);
        assertThat(got.get("metadata").toString()).isEqualTo("{\"b\":2}");
        // the key still works, with its new descriptors
        ok(node.request("GET", "/_security/_authenticate", apiKey(k)));
    }

    @Test
    void updateTakesTheOwnersCurrentDescriptorsAsLimitedBy() throws Exception {
        ok(node.asElastic("PUT", "/_security/role/limit_a", "{\"cluster\":[\"manage_own_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/role/limit_b", "{\"cluster\":[\"manage_own_api_key\",\"monitor\"]}"));
        ok(node.asElastic("PUT", "/_security/user/limited", "{\"password\":\"limited-pass\",\"roles\":[\"limit_a\"]}"));
        String user = basic("limited", "limited-pass");
        JsonNode k = create(user, "{\"name\":\"lim\"}");
        String id = k.get("id").asText();
        assertThat(getKey(id).get("limited_by").toString()).contains("limit_a").doesNotContain("limit_b");
        ok(node.asElastic("PUT", "/_security/user/limited", "{\"roles\":[\"limit_b\"]}"));
        assertThat(ok(put(user, id, "{}")).body()).isEqualTo("{\"updated\":true}");
        assertThat(getKey(id).get("limited_by").toString()).contains("limit_b").doesNotContain("limit_a");
        assertThat(ok(put(user, id, "{}")).body()).isEqualTo("{\"updated\":false}");
        // the cached authentication was forgotten: the key now has the owner's new monitor privilege
        ok(node.request("GET", "/_cluster/health", apiKey(k)));
    }

    @Test
    void updateRefusesWithElasticsearchsTexts() throws Exception {
        JsonNode mine = create(UPDATER, "{\"name\":\"mine\"}");
        String id = mine.get("id").asText();
        // another user's key is not found, even for a superuser
        assertError(put(OWNONLY, id, "{}"), 404, "resource_not_found_exception", "no API key owned by requesting user found for ID [" + id + "]");
        assertError(node.request("PUT", "/_security/api_key/" + id, TestNode.ELASTIC_BASIC, "{}", Map.of()), 404,
                "resource_not_found_exception", "no API key owned by requesting user found for ID [" + id + "]");
        assertError(put(apiKey(mine), id, "{}"), 400, "illegal_argument_exception",
                "authentication via API key not supported: only the owner user can update an API key");
        assertError(put(UPDATER, id, "{\"metadata\":{\"_reserved\":1}}"), 400, "action_request_validation_exception",
                "Validation Failed: 1: API key metadata keys may not start with [_];");
        Response unknown = put(UPDATER, id, "{\"name\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/reason").asText()).isEqualTo("[1:2] [update_api_key_request_payload] unknown field [name]");

        JsonNode expiring = create(UPDATER, "{\"name\":\"short\",\"expiration\":\"1s\"}");
        Thread.sleep(1500);
        assertError(put(UPDATER, expiring.get("id").asText(), "{}"), 400, "illegal_argument_exception",
                "cannot update expired API key [" + expiring.get("id").asText() + "]");
        ok(node.request("DELETE", "/_security/api_key", UPDATER, "{\"owner\":true,\"ids\":[\"" + id + "\"]}", Map.of()));
        assertError(put(UPDATER, id, "{}"), 400, "illegal_argument_exception", "cannot update invalidated API key [" + id + "]");
    }

    @Test
    void updatesAreRefusedWithTheirOwnActionNames() throws Exception {
        ok(node.asElastic("PUT", "/_security/user/nokeys", "{\"password\":\"nokeys-pass\",\"roles\":[]}"));
        String nokeys = basic("nokeys", "nokeys-pass");
        assertError(put(nokeys, "x", "{}"), 403, "security_exception", "action [cluster:admin/xpack/security/api_key/update] is unauthorized"
                + " for user [nokeys] with effective roles [], this action is granted by the cluster privileges"
                + " [manage_own_api_key,manage_api_key,manage_security,all]");
        assertError(node.request("POST", "/_security/api_key/_bulk_update", nokeys, "{\"ids\":[\"x\"]}", Map.of()), 403,
                "security_exception", "action [cluster:admin/xpack/security/api_key/bulk_update] is unauthorized"
                + " for user [nokeys] with effective roles [], this action is granted by the cluster privileges"
                + " [manage_own_api_key,manage_api_key,manage_security,all]");
    }

    @Test
    void bulkUpdateAnswersUpdatedNoopsAndErrorsPerKey() throws Exception {
        String a = create(UPDATER, "{\"name\":\"bulk-a\",\"metadata\":{\"x\":1}}").get("id").asText();
        String b = create(UPDATER, "{\"name\":\"bulk-b\",\"metadata\":{\"x\":2}}").get("id").asText();
        String gone = create(UPDATER, "{\"name\":\"bulk-gone\"}").get("id").asText();
        ok(node.request("DELETE", "/_security/api_key", UPDATER, "{\"owner\":true,\"ids\":[\"" + gone + "\"]}", Map.of()));
        Response r = ok(node.request("POST", "/_security/api_key/_bulk_update", UPDATER,
                "{\"ids\":[\"" + a + "\",\"" + b + "\",\"" + gone + "\",\"nope\"],\"metadata\":{\"x\":2}}", Map.of()));
        assertThat(r.body()).isEqualTo("{\"updated\":[\"" + a + "\"],\"noops\":[\"" + b + "\"],\"errors\":{\"count\":2,\"details\":{"
                + "\"" + gone + "\":{\"type\":\"illegal_argument_exception\",\"reason\":\"cannot update invalidated API key [" + gone + "]\"},"
                + "\"nope\":{\"type\":\"resource_not_found_exception\",\"reason\":\"no API key owned by requesting user found for ID [nope]\"}}}}");
        assertThat(getKey(a).get("metadata").toString()).isEqualTo("{\"x\":2}");
        // no errors: no errors field
        Response clean = ok(node.request("POST", "/_security/api_key/_bulk_update", UPDATER, "{\"ids\":[\"" + a + "\"]}", Map.of()));
        assertThat(clean.body()).isEqualTo("{\"updated\":[],\"noops\":[\"" + a + "\"]}");
        assertError(node.request("POST", "/_security/api_key/_bulk_update", UPDATER, "{\"metadata\":{}}", Map.of()), 400,
                "illegal_argument_exception", "Required [ids]");
        assertError(node.request("POST", "/_security/api_key/_bulk_update", UPDATER, "{\"ids\":[]}", Map.of()), 400,
                "action_request_validation_exception", "Validation Failed: 1: Field [ids] cannot be empty;");
    }
}
