package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** svctoken's own token lifecycle endpoints (/_svctoken/service/...) against a real node over HTTP. */
class TokenLifecycleApiTest {

    private static final String SVC = "/_svctoken/service/elastic/fleet-server/credential";
    private static final String ES = "/_security/service/elastic/fleet-server/credential";

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of("svctoken.service_token.last_used.interval", "200ms"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Response ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        return r;
    }

    private static Response authenticate(String value) throws Exception {
        return node.request("GET", "/_security/_authenticate", bearer(value));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void aTokenCreatedWithAnExpirationAndMetadataShowsItsLifecycle() throws Exception {
        long before = System.currentTimeMillis();
        JsonNode created = ok(node.asElastic("POST", SVC + "/token/expiring",
                "{\"expiration\":\"1d\",\"metadata\":{\"owner\":\"ops\",\"ticket\":42}}")).json();
        assertThat(fieldNames(created)).containsExactly("created", "token");
        assertThat(fieldNames(created.get("token"))).containsExactly("name", "value", "expiration");
        long expiration = created.at("/token/expiration").asLong();
        assertThat(expiration).isBetween(before + 86_400_000L, System.currentTimeMillis() + 86_400_000L);
        assertThat(ok(authenticate(created.at("/token/value").asText())).json().at("/token/name").asText()).isEqualTo("expiring");

        JsonNode t = ok(node.asElastic("GET", SVC + "/token/expiring")).json();
        assertThat(fieldNames(t)).containsExactly("name", "source", "creation", "created_by", "expiration", "expired", "enabled",
                "last_used", "last_used_node", "successor", "metadata");
        assertThat(t.get("source").asText()).isEqualTo("index");
        assertThat(t.get("expiration").asLong()).isEqualTo(expiration);
        assertThat(t.get("creation").asLong()).isBetween(before, expiration);
        assertThat(t.get("created_by").toString()).isEqualTo("{\"principal\":\"elastic\",\"realm\":\"reserved\",\"realm_type\":\"reserved\"}");
        assertThat(t.get("expired").asBoolean()).isFalse();
        assertThat(t.get("enabled").asBoolean()).isTrue();
        assertThat(t.get("metadata").toString()).isEqualTo("{\"owner\":\"ops\",\"ticket\":42}");
        // Elasticsearch's listing of the same token is Elasticsearch's: the name only
        assertThat(ok(node.asElastic("GET", ES)).json().at("/tokens/expiring").toString()).isEqualTo("{}");
    }

    @Test
    void badLifecycleRequestsAreClear400s() throws Exception {
        Response past = node.asElastic("POST", SVC + "/token/past", "{\"expires_at\":1000}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(past.json().at("/error/reason").asText()).isEqualTo("the expiration of a service token must be in the future");
        Response both = node.asElastic("POST", SVC + "/token/both", "{\"expires_at\":\"2999-01-01T00:00:00Z\",\"expiration\":\"1d\"}");
        assertThat(both.status()).isEqualTo(400);
        Response unit = node.asElastic("POST", SVC + "/token/unit", "{\"expiration\":\"12\"}");
        assertThat(unit.status()).isEqualTo(400);
        assertThat(unit.json().at("/error/reason").asText()).contains("unit is missing or unrecognized");
        Response big = node.asElastic("POST", SVC + "/token/big", "{\"metadata\":{\"x\":\"" + "a".repeat(20_000) + "\"}}");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().at("/error/reason").asText()).startsWith("the metadata of a service token must not exceed [16384] bytes");
        Response unknownField = node.asElastic("POST", SVC + "/token/f", "{\"expiry\":\"1d\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().at("/error/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(node.asElastic("POST", SVC + "/token/missing/_disable").status()).isEqualTo(404);
        assertThat(node.asElastic("GET", SVC + "/token/missing").status()).isEqualTo(404);
        assertThat(node.asElastic("GET", SVC + "?unused_for=soon").status()).isEqualTo(400);
        for (String n : List.of("past", "both", "unit", "big", "f")) {
            assertThat(node.asElastic("GET", SVC + "/token/" + n).status()).as(n).isEqualTo(404);
        }
        // an absolute expiry, as an ISO-8601 instant
        JsonNode iso = ok(node.asElastic("POST", SVC + "/token/iso", "{\"expires_at\":\"2999-01-01T00:00:00Z\"}")).json();
        assertThat(iso.at("/token/expiration").asLong()).isEqualTo(32_472_144_000_000L);
    }

    /** Disabled: Elasticsearch's 401 for a wrong secret, byte for byte; enabled again: it works. The cached success is gone at once. */
    @Test
    void aDisabledTokenGetsTheWrongSecretAnswerUntilEnabled() throws Exception {
        String value = ok(node.asElastic("POST", SVC + "/token/incident")).json().at("/token/value").asText();
        ok(authenticate(value)); // cached now
        JsonNode d = ok(node.asElastic("POST", SVC + "/token/incident/_disable")).json();
        assertThat(d.toString()).isEqualTo("{\"acknowledged\":true,\"enabled\":false}");
        Response refused = authenticate(value);
        assertThat(refused.status()).isEqualTo(401);
        String wrong = value.substring(0, value.length() - 4) + "AAAA";
        Response wrongSecret = authenticate(wrong);
        assertThat(refused.body()).isEqualTo(wrongSecret.body());
        assertThat(refused.headers().map()).isEqualTo(wrongSecret.headers().map());
        assertThat(ok(node.asElastic("GET", SVC + "/token/incident")).json().get("enabled").asBoolean()).isFalse();
        ok(node.asElastic("POST", SVC + "/token/incident/_enable"));
        ok(authenticate(value));
    }

    /** Both values work during the grace period; a grace of 0 ends the old one at once, cached or not. */
    @Test
    void rotationGivesANewValueOnceAndKeepsTheOldOneForTheGracePeriod() throws Exception {
        String old = ok(node.asElastic("POST", SVC + "/token/kibana-1", "{\"metadata\":{\"app\":\"kibana\"}}")).json().at("/token/value").asText();
        ok(authenticate(old));
        long before = System.currentTimeMillis();
        JsonNode rotated = ok(node.asElastic("POST", SVC + "/token/kibana-1/_rotate", "{\"name\":\"kibana-2\",\"grace\":\"1h\"}")).json();
        assertThat(fieldNames(rotated)).containsExactly("created", "token", "previous");
        assertThat(rotated.at("/token/name").asText()).isEqualTo("kibana-2");
        assertThat(rotated.at("/previous/name").asText()).isEqualTo("kibana-1");
        assertThat(rotated.at("/previous/expiration").asLong()).isBetween(before + 3_600_000L, System.currentTimeMillis() + 3_600_000L);
        String next = rotated.at("/token/value").asText();
        ok(authenticate(next));
        ok(authenticate(old)); // the grace period
        JsonNode oldNow = ok(node.asElastic("GET", SVC + "/token/kibana-1")).json();
        assertThat(oldNow.get("successor").asText()).isEqualTo("kibana-2");
        assertThat(ok(node.asElastic("GET", SVC + "/token/kibana-2")).json().get("metadata").toString()).isEqualTo("{\"app\":\"kibana\"}");

        JsonNode again = ok(node.asElastic("POST", SVC + "/token/kibana-2/_rotate", "{\"name\":\"kibana-3\",\"grace\":\"0s\"}")).json();
        assertThat(authenticate(next).status()).isEqualTo(401);
        ok(authenticate(again.at("/token/value").asText()));
        assertThat(node.asElastic("POST", SVC + "/token/kibana-3/_rotate", "{\"name\":\"kibana-1\"}").status()).isEqualTo(409);
        assertThat(node.asElastic("POST", SVC + "/token/nothing/_rotate").status()).isEqualTo(404);
    }

    @Test
    void theListingFiltersUnusedAndExpiringTokensAndShowsTheLastUse() throws Exception {
        String used = ok(node.asElastic("POST", SVC + "/token/list-used")).json().at("/token/value").asText();
        ok(node.asElastic("POST", SVC + "/token/list-soon", "{\"expiration\":\"2d\"}"));
        ok(authenticate(used));
        JsonNode all = ok(node.asElastic("GET", SVC)).json();
        assertThat(fieldNames(all)).containsExactly("service_account", "count", "tokens", "file_tokens");
        assertThat(fieldNames(all.get("tokens"))).contains("list-soon", "list-used");
        JsonNode soon = ok(node.asElastic("GET", SVC + "?expiring_within=3d")).json();
        assertThat(fieldNames(soon.get("tokens"))).contains("list-soon").doesNotContain("list-used");
        // created just now: not unused for 90 days
        assertThat(fieldNames(ok(node.asElastic("GET", SVC + "?unused_for=90d")).json().get("tokens"))).doesNotContain("list-used", "list-soon");
        // the last use reaches the store off the request path (interval 200ms here)
        JsonNode t = null;
        for (int i = 0; i < 100; i++) {
            t = ok(node.asElastic("GET", SVC + "/token/list-used")).json();
            if (!t.get("last_used").isNull()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(t.get("last_used").isNull()).as(t.toString()).isFalse();
        assertThat(t.get("last_used_node").asText()).isEqualTo("node-0");
    }

    @Test
    void readSecurityReadsAndManageServiceAccountChanges() throws Exception {
        ok(node.asElastic("PUT", "/_security/role/token_reader", "{\"cluster\":[\"read_security\"]}"));
        ok(node.asElastic("PUT", "/_security/role/token_admin", "{\"cluster\":[\"manage_service_account\"]}"));
        ok(node.asElastic("PUT", "/_security/user/reader", "{\"password\":\"reader-password\",\"roles\":[\"token_reader\"]}"));
        ok(node.asElastic("PUT", "/_security/user/admin", "{\"password\":\"admin-password\",\"roles\":[\"token_admin\"]}"));
        String reader = TestNode.basic("reader", "reader-password");
        String admin = TestNode.basic("admin", "admin-password");
        ok(node.request("POST", SVC + "/token/by-admin", admin, "{}", Map.of()));
        ok(node.request("GET", SVC, reader));
        ok(node.request("GET", SVC + "/token/by-admin", reader));
        Response denied = node.request("POST", SVC + "/token/by-admin/_disable", reader);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().at("/error/reason").asText()).contains(
                "cluster:admin/xpack/security/service_account/token/svctoken/disable");
        assertThat(node.request("POST", SVC + "/token/by-reader", reader, "{}", Map.of()).status()).isEqualTo(403);
        ok(node.request("POST", SVC + "/token/by-admin/_disable", admin));
        ok(node.request("POST", SVC + "/token/by-admin/_rotate", admin));
    }
}
