package io.svctoken.server.cluster;

import io.svctoken.server.TestNode;
import io.svctoken.server.console.ConsoleClient;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.svctoken.server.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's server side on two nodes sharing PostgreSQL: a session started on one works on the other, a sign-out on
 * either ends it on both; {@code GET /_svctoken/cluster/nodes} lists both, live, with their invalidation lag.
 */
class ConsoleSessionClusterTest {

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    @Test
    void aSessionWorksOnEveryNodeAndASignOutEndsItOnAll() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode a = TestNode.start(homeA, PostgresqlNodes.quickCluster(db, "node-a"));
             TestNode b = TestNode.start(homeB, PostgresqlNodes.quickCluster(db, "node-b"))) {
            ConsoleClient c = ConsoleClient.signInAs(a, "elastic", PASSWORD);
            assertThat(c.get(b, "/_security/_authenticate").json().path("username").asText()).isEqualTo("elastic");
            assertThat(c.get(b, ConsoleClient.SESSION).json().path("csrf_token").asText()).isEqualTo(c.csrf);

            TestNode.Response out = c.request(b, "DELETE", ConsoleClient.SESSION, null, true);
            assertThat(out.status()).as(out.body()).isEqualTo(200);
            for (TestNode n : new TestNode[]{a, b}) {
                TestNode.Response r = c.get(n, "/_security/_authenticate");
                assertThat(r.status()).as(r.body()).isEqualTo(401);
                assertThat(r.json().at("/error/reason").asText()).isEqualTo("console session expired or missing");
            }
        }
    }

    @Test
    void theNodesEndpointListsBothNodesWithTheirLag() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode a = TestNode.start(homeA, PostgresqlNodes.quickCluster(db, "node-a"));
             TestNode b = TestNode.start(homeB, PostgresqlNodes.quickCluster(db, "node-b"))) {
            a.putRole("r1", "{\"cluster\":[\"monitor\"]}"); // an invalidation both nodes apply
            for (TestNode asked : new TestNode[]{a, b}) {
                JsonNode body = asked.asElastic("GET", "/_svctoken/cluster/nodes").json();
                assertThat(body.path("cluster_name").asText()).isEqualTo("test-cluster");
                List<String> names = new ArrayList<>();
                for (JsonNode n : body.path("nodes")) {
                    names.add(n.path("name").asText());
                    assertThat(n.path("status").asText()).isEqualTo("live");
                    assertThat(n.path("invalidation_lag").asLong()).isBetween(0L, 1L);
                    assertThat(n.path("last_heartbeat_age_in_millis").asLong()).isBetween(0L, 10_000L);
                }
                assertThat(names).containsExactlyInAnyOrder("node-a", "node-b");
            }
            // a node silent for 30s (past node_timeout, before departed_after) that applied nothing: failed, the whole log behind
            long now = System.currentTimeMillis();
            PostgresqlNodes.sql(db, "INSERT INTO nodes (node_id, node_name, http_address, version, started, heartbeat,"
                    + " last_applied_invalidation) VALUES ('silent-id', 'node-c', '127.0.0.1:1', '8.19.0', " + (now - 60_000) + ", "
                    + (now - 30_000) + ", 0)");
            JsonNode silent = null;
            long newest = 0;
            for (JsonNode n : a.asElastic("GET", "/_svctoken/cluster/nodes").json().path("nodes")) {
                if (n.path("name").asText().equals("node-c")) {
                    silent = n;
                } else {
                    newest = Math.max(newest, n.path("invalidation_seq").asLong());
                }
            }
            assertThat(silent).isNotNull();
            assertThat(silent.path("status").asText()).isEqualTo("failed");
            assertThat(silent.path("last_heartbeat").asLong()).isEqualTo(now - 30_000);
            assertThat(silent.path("last_heartbeat_age_in_millis").asLong()).isBetween(30_000L, 60_000L);
            assertThat(silent.path("invalidation_seq").asLong()).isZero();
            assertThat(silent.path("invalidation_lag").asLong()).isGreaterThanOrEqualTo(newest).isPositive();
        }
    }
}
