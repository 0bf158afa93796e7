package io.svctoken.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /_svctoken/cluster/nodes} on one node over SQLite: one live entry, no lag; {@code monitor} needed. */
class ClusterNodesTest {

    @TempDir
    Path home;

    @Test
    void oneNodeOnSqliteIsOneLiveEntryWithoutLag() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of())) {
            Response r = node.asElastic("GET", "/_svctoken/cluster/nodes");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode body = r.json();
            assertThat(body.fieldNames()).toIterable().containsExactly("cluster_name", "nodes");
            assertThat(body.path("cluster_name").asText()).isEqualTo("test-cluster");
            assertThat(body.path("nodes")).hasSize(1);
            JsonNode n = body.path("nodes").get(0);
            assertThat(n.fieldNames()).toIterable().containsExactly("id", "name", "http_address", "version", "status", "last_heartbeat",
                    "last_heartbeat_age_in_millis", "invalidation_seq", "invalidation_lag");
            assertThat(n.path("id").asText()).isEqualTo(node.node().cluster().self().nodeId());
            assertThat(n.path("name").asText()).isEqualTo("node-0");
            assertThat(n.path("http_address").asText()).isEqualTo("127.0.0.1:" + node.node().address().getPort());
            assertThat(n.path("version").asText()).isEqualTo(node.node().cluster().self().version());
            assertThat(n.path("status").asText()).isEqualTo("live");
            assertThat(n.path("last_heartbeat").asLong()).isGreaterThan(1_700_000_000_000L);
            assertThat(n.path("last_heartbeat_age_in_millis").asLong()).isBetween(0L, 60_000L);
            assertThat(n.path("invalidation_lag").asLong()).isZero();

            // a change publishes an invalidation: the node applies it, still no lag
            node.putRole("watcher", "{\"cluster\":[\"monitor\"]}");
            node.putUser("wendy", "watcher");
            node.putRole("nobody", "{\"cluster\":[]}");
            node.putUser("nora", "nobody");
            assertThat(node.request("GET", "/_svctoken/cluster/nodes", TestNode.asUser("wendy")).status()).isEqualTo(200);
            Response denied = node.request("GET", "/_svctoken/cluster/nodes", TestNode.asUser("nora"));
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.json().at("/error/reason").asText()).contains("cluster:monitor/svctoken/cluster/nodes");
            assertThat(node.request("GET", "/_svctoken/cluster/nodes", null).status()).isEqualTo(401);
            JsonNode after = node.asElastic("GET", "/_svctoken/cluster/nodes").json().path("nodes").get(0);
            assertThat(after.path("invalidation_lag").asLong()).isZero();
            assertThat(List.of(after.path("invalidation_seq").asLong())).allMatch(s -> s >= 0);
        }
    }
}
