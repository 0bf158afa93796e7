package io.svctoken.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #15 on two nodes sharing PostgreSQL: disabling, enabling and rotating a token on one node takes effect on
 * the other at once (the other had it cached), as a delete does; last uses written by both nodes keep the newest.
 */
class TokenLifecycleClusterTest {

    static final String SVC = "/_svctoken/service/elastic/kibana/credential/token";

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private static Map<String, String> settings(String db, String name) {
        Map<String, String> s = PostgresqlNodes.quickCluster(db, name);
        s.put("svctoken.service_token.last_used.interval", "200ms");
        return s;
    }

    private static int authenticate(TestNode node, String value) throws Exception {
        return node.request("GET", "/_security/_authenticate", bearer(value)).status();
    }

    private static JsonNode ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void disableEnableAndRotationOnOneNodeTakeEffectOnTheOtherAtOnce() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode a = TestNode.start(homeA, settings(db, "node-a"));
             TestNode b = TestNode.start(homeB, settings(db, "node-b"))) {
            String v1 = ok(a.asElastic("POST", SVC + "/kibana-1")).at("/token/value").asText();
            assertThat(authenticate(b, v1)).isEqualTo(200); // cached on B

            ok(a.asElastic("POST", SVC + "/kibana-1/_disable"));
            assertThat(authenticate(b, v1)).as("disabled, seen at once on B").isEqualTo(401);
            assertThat(authenticate(a, v1)).isEqualTo(401);
            ok(a.asElastic("POST", SVC + "/kibana-1/_enable"));
            assertThat(authenticate(b, v1)).as("enabled again on B").isEqualTo(200);

            // rotation with a grace period: both values work on both nodes, the switch needs no failed request
            JsonNode rotated = ok(b.asElastic("POST", SVC + "/kibana-1/_rotate", "{\"name\":\"kibana-2\",\"grace\":\"1h\"}"));
            String v2 = rotated.at("/token/value").asText();
            for (TestNode n : new TestNode[] {a, b}) {
                assertThat(authenticate(n, v1)).isEqualTo(200);
                assertThat(authenticate(n, v2)).isEqualTo(200);
            }
            // ending the grace at once (a second rotation with grace 0): the old value fails on the node that cached it
            String v3 = ok(a.asElastic("POST", SVC + "/kibana-2/_rotate", "{\"name\":\"kibana-3\",\"grace\":\"0s\"}"))
                    .at("/token/value").asText();
            assertThat(authenticate(b, v2)).as("grace ended, seen at once on B").isEqualTo(401);
            assertThat(authenticate(b, v3)).isEqualTo(200);
            assertThat(authenticate(a, v1)).isEqualTo(200); // kibana-1's own grace (1h) is not shortened by rotating kibana-2
        }
    }

    @Test
    void lastUsesFromBothNodesKeepTheNewest() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode a = TestNode.start(homeA, settings(db, "node-a"));
             TestNode b = TestNode.start(homeB, settings(db, "node-b"))) {
            String v = ok(a.asElastic("POST", SVC + "/used")).at("/token/value").asText();
            assertThat(authenticate(a, v)).isEqualTo(200);
            JsonNode t = awaitLastUse(a, "node-a", 0);
            long first = t.get("last_used").asLong();
            Thread.sleep(5); // a later millisecond for B's use
            assertThat(authenticate(b, v)).isEqualTo(200);
            t = awaitLastUse(a, "node-b", first);
            assertThat(t.get("last_used").asLong()).isGreaterThan(first);
        }
    }

    /** Polls until the token shows a last use by {@code nodeName} newer than {@code after} (written off the request path). */
    private static JsonNode awaitLastUse(TestNode n, String nodeName, long after) throws Exception {
        JsonNode t = null;
        for (int i = 0; i < 150; i++) {
            t = ok(n.asElastic("GET", SVC + "/used"));
            if (nodeName.equals(t.get("last_used_node").asText()) && t.get("last_used").asLong() > after) {
                return t;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no last use by " + nodeName + " after " + after + ": " + t);
    }
}
