package io.svctoken.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import io.svctoken.server.TestNode;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes on one PostgreSQL database (issue #11, item 7). The nodes are in-process {@code Node}s, each
 * with its own path.data, config directory, HTTP port, Netty event loops, worker pool, connection pool,
 * LISTEN connection and threads: they share nothing but the JVM and the database, so what one node knows
 * of another comes only through the database, as between processes. Every check of another node runs
 * right after the writing request's answer, with no wait.
 */
class ThreeNodeClusterTest {

    static final String FLEET = "/_security/service/elastic/fleet-server";
    static final long NODE_TIMEOUT_MS = 1000;
    static final long DEPARTED_AFTER_MS = 4000;

    static String db;
    static final List<Path> homes = new ArrayList<>();
    static TestNode a;
    static TestNode b;
    static TestNode c;

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedPostgresql.newDatabase();
        a = node("node-a");
        b = node("node-b");
        c = node("node-c");
    }

    private static TestNode node(String name) throws Exception {
        Path home = Files.createTempDirectory("svctoken-cluster-" + name);
        homes.add(home);
        Map<String, String> s = PostgresqlNodes.settings(db, name);
        s.put("svctoken.store.postgresql.pool.max_size", "8");
        s.put("svctoken.cluster.heartbeat_interval", "200ms");
        s.put("svctoken.cluster.node_timeout", NODE_TIMEOUT_MS + "ms");
        s.put("svctoken.cluster.departed_after", DEPARTED_AFTER_MS + "ms");
        s.put("svctoken.cluster.ack_timeout", "5s");
        s.put("xpack.security.authc.token.enabled", "true");
        return TestNode.start(home, s);
    }

    @AfterAll
    static void stop() {
        for (TestNode n : new TestNode[]{a, b, c}) {
            if (n != null) {
                n.close();
            }
        }
        for (Path home : homes) {
            try (var paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory: best effort
            }
        }
    }

    private static int authenticate(TestNode node, String authorization) throws Exception {
        return node.request("GET", "/_security/_authenticate", authorization).status();
    }

    private static long appliedBy(String nodeName) throws Exception {
        try (Connection conn = EmbeddedPostgresql.superuser(db);
             PreparedStatement ps = conn.prepareStatement("SELECT last_applied_invalidation FROM nodes WHERE node_name = ?")) {
            ps.setString(1, nodeName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static long lastInvalidation() throws Exception {
        try (Connection conn = EmbeddedPostgresql.superuser(db);
             ResultSet rs = conn.createStatement().executeQuery("SELECT coalesce(max(seq), 0) FROM invalidations")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theNodesHaveTheirOwnIdsAndShareTheClusterUuid() {
        assertThat(List.of(a, b, c)).extracting(n -> n.node().identity().nodeId()).doesNotHaveDuplicates();
        assertThat(List.of(a, b, c)).extracting(n -> n.node().identity().clusterUuid()).containsOnly(a.node().identity().clusterUuid());
    }

    @Test
    void aTokenCreatedOnAWorksOnBAndCAndItsDeletionOnBIsSeenAtOnceEverywhere() throws Exception {
        Response created = a.asElastic("POST", FLEET + "/credential/token/shared1");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String token = bearer(created.json().at("/token/value").asText());
        for (TestNode n : List.of(a, b, c)) {
            assertThat(authenticate(n, token)).as(n.node().identity().nodeName()).isEqualTo(200); // now cached on every node
        }
        Response deleted = b.asElastic("DELETE", FLEET + "/credential/token/shared1");
        assertThat(deleted.body()).isEqualTo("{\"found\":true}");
        assertThat(authenticate(a, token)).isEqualTo(401);
        assertThat(authenticate(c, token)).isEqualTo(401);
        assertThat(authenticate(b, token)).isEqualTo(401);
        // the answer came once all three had applied it (Elasticsearch's delete answer has no _nodes to show it)
        long seq = lastInvalidation();
        for (String name : List.of("node-a", "node-b", "node-c")) {
            assertThat(appliedBy(name)).as(name).isGreaterThanOrEqualTo(seq);
        }
    }

    @Test
    void clearCacheAndCredentialsAnswerForAllThreeNodes() throws Exception {
        Response cleared = c.asElastic("POST", FLEET + "/credential/token/_all/_clear_cache");
        assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
        JsonNode json = cleared.json();
        assertThat(json.at("/_nodes/total").asInt()).as(cleared.body()).isEqualTo(3);
        assertThat(json.at("/_nodes/successful").asInt()).isEqualTo(3);
        assertThat(json.at("/_nodes/failed").asInt()).isEqualTo(0);
        assertThat(json.at("/_nodes").has("failures")).isFalse();
        List<String> ids = new ArrayList<>();
        json.get("nodes").fieldNames().forEachRemaining(ids::add);
        assertThat(ids).containsExactlyInAnyOrder(a.node().identity().nodeId(), b.node().identity().nodeId(), c.node().identity().nodeId());
        assertThat(json.at("/nodes/" + a.node().identity().nodeId() + "/name").asText()).isEqualTo("node-a");

        Response creds = a.asElastic("GET", FLEET + "/credential");
        assertThat(creds.json().at("/nodes_credentials/_nodes").toString()).isEqualTo("{\"total\":3,\"successful\":3,\"failed\":0}");
    }

    @Test
    void anApiKeyInvalidatedOnCIsRefusedAtOnceOnAAndB() throws Exception {
        Response created = a.asElastic("POST", "/_security/api_key", "{\"name\":\"cluster-key\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String key = "ApiKey " + created.json().get("encoded").asText();
        for (TestNode n : List.of(a, b, c)) {
            assertThat(authenticate(n, key)).isEqualTo(200);
        }
        Response invalidated = c.asElastic("DELETE", "/_security/api_key", "{\"ids\":[\"" + created.json().get("id").asText() + "\"]}");
        assertThat(invalidated.json().at("/invalidated_api_keys/0").asText()).as(invalidated.body()).isEqualTo(created.json().get("id").asText());
        assertThat(authenticate(a, key)).isEqualTo(401);
        assertThat(authenticate(b, key)).isEqualTo(401);
    }

    @Test
    void anOAuth2TokenMadeOnAWorksEverywhereAndItsInvalidationOnBIsSeenAtOnceOnAAndC() throws Exception {
        Response made = a.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"client_credentials\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String token = bearer(made.json().get("access_token").asText());
        for (TestNode n : List.of(a, b, c)) {
            assertThat(authenticate(n, token)).as(n.node().identity().nodeName()).isEqualTo(200); // now cached on every node
        }
        Response invalidated = b.asElastic("DELETE", "/_security/oauth2/token", "{\"token\":\"" + made.json().get("access_token").asText() + "\"}");
        assertThat(invalidated.body()).isEqualTo("{\"invalidated_tokens\":1,\"previously_invalidated_tokens\":0,\"error_count\":0}");
        for (TestNode n : List.of(a, b, c)) {
            assertThat(authenticate(n, token)).as(n.node().identity().nodeName()).isEqualTo(401);
        }
    }

    @Test
    void aPasswordChangeOrADisableOnOneNodeEndsCachedLoginsOnTheOthersAtOnce() throws Exception {
        assertThat(a.asElastic("PUT", "/_security/user/walker", "{\"password\":\"first-pass\",\"roles\":[]}").status()).isEqualTo(200);
        String first = basic("walker", "first-pass");
        for (TestNode n : List.of(a, b, c)) {
            assertThat(authenticate(n, first)).isEqualTo(200);
        }
        assertThat(b.asElastic("POST", "/_security/user/walker/_password", "{\"password\":\"second-pass\"}").status()).isEqualTo(200);
        assertThat(authenticate(a, first)).isEqualTo(401);
        assertThat(authenticate(c, first)).isEqualTo(401);
        String second = basic("walker", "second-pass");
        for (TestNode n : List.of(a, b, c)) {
            assertThat(authenticate(n, second)).isEqualTo(200);
        }
        assertThat(c.asElastic("PUT", "/_security/user/walker/_disable", null).status()).isEqualTo(200);
        assertThat(authenticate(a, second)).isEqualTo(401);
        assertThat(authenticate(b, second)).isEqualTo(401);
    }

    @Test
    void aRoleCreatedOrChangedOnOneNodeGovernsTheOthersAtOnce() throws Exception {
        assertThat(a.asElastic("PUT", "/_security/role/cluster_reader", "{\"cluster\":[\"read_security\"]}").status()).isEqualTo(200);
        assertThat(a.asElastic("PUT", "/_security/user/reader9", "{\"password\":\"reader-pass\",\"roles\":[\"cluster_reader\"]}").status())
                .isEqualTo(200);
        String reader = basic("reader9", "reader-pass");
        for (TestNode n : List.of(a, b, c)) {
            assertThat(n.request("GET", "/_security/user", reader).status()).as(n.node().identity().nodeName()).isEqualTo(200);
        }
        assertThat(b.asElastic("PUT", "/_security/role/cluster_reader", "{\"cluster\":[\"monitor\"]}").status()).isEqualTo(200);
        for (TestNode n : List.of(a, b, c)) {
            assertThat(n.request("GET", "/_security/user", reader).status()).as(n.node().identity().nodeName()).isEqualTo(403);
        }
        assertThat(c.asElastic("DELETE", "/_security/role/cluster_reader").status()).isEqualTo(200);
        assertThat(a.asElastic("GET", "/_security/role/cluster_reader").status()).isEqualTo(404);
    }

    @Test
    void anApplicationPrivilegeChangedOnOneNodeGovernsTheOthersAtOnce() throws Exception {
        String check = "{\"application\":[{\"application\":\"clusterapp\",\"privileges\":[\"data:read/x\"],\"resources\":[\"*\"]}]}";
        assertThat(a.asElastic("PUT", "/_security/role/app_reader", "{\"applications\":[{\"application\":\"clusterapp\","
                + "\"privileges\":[\"read\"],\"resources\":[\"*\"]}]}").status()).isEqualTo(200);
        assertThat(a.asElastic("PUT", "/_security/user/appreader", "{\"password\":\"reader-pass\",\"roles\":[\"app_reader\"]}").status())
                .isEqualTo(200);
        String reader = basic("appreader", "reader-pass");
        assertThat(a.asElastic("PUT", "/_security/privilege", "{\"clusterapp\":{\"read\":{\"actions\":[\"data:read/*\"]}}}").status())
                .isEqualTo(200);
        for (TestNode n : List.of(a, b, c)) {
            assertThat(n.asElastic("GET", "/_security/privilege/clusterapp/read").status()).as(n.node().identity().nodeName()).isEqualTo(200);
            Response r = n.request("POST", "/_security/user/_has_privileges", reader, check, Map.of());
            assertThat(r.json().at("/application/clusterapp/*/data:read~1x").asBoolean()).as(n.node().identity().nodeName()).isTrue();
        }
        assertThat(c.asElastic("DELETE", "/_security/privilege/clusterapp/read").status()).isEqualTo(200);
        for (TestNode n : List.of(a, b, c)) {
            assertThat(n.asElastic("GET", "/_security/privilege/clusterapp/read").status()).as(n.node().identity().nodeName()).isEqualTo(404);
            Response r = n.request("POST", "/_security/user/_has_privileges", reader, check, Map.of());
            assertThat(r.json().at("/application/clusterapp/*/data:read~1x").asBoolean()).as(n.node().identity().nodeName()).isFalse();
        }
    }

    @Test
    void aRoleMappingChangedOnOneNodeIsReadOnTheOthersAtOnce() throws Exception {
        assertThat(a.asElastic("PUT", "/_security/role_mapping/cluster_mapping",
                "{\"enabled\":true,\"roles\":[\"viewer\"],\"rules\":{\"field\":{\"username\":\"*\"}}}").status()).isEqualTo(200);
        for (TestNode n : List.of(a, b, c)) {
            assertThat(n.asElastic("GET", "/_security/role_mapping/cluster_mapping").json().at("/cluster_mapping/roles/0").asText())
                    .as(n.node().identity().nodeName()).isEqualTo("viewer");
        }
        assertThat(b.asElastic("PUT", "/_security/role_mapping/cluster_mapping",
                "{\"enabled\":false,\"roles\":[\"editor\"],\"rules\":{\"field\":{\"username\":\"*\"}}}").status()).isEqualTo(200);
        for (TestNode n : List.of(a, b, c)) {
            assertThat(n.asElastic("GET", "/_security/role_mapping/cluster_mapping").json().at("/cluster_mapping/roles/0").asText())
                    .as(n.node().identity().nodeName()).isEqualTo("editor");
        }
        assertThat(c.asElastic("DELETE", "/_security/role_mapping/cluster_mapping").status()).isEqualTo(200);
        for (TestNode n : List.of(a, b, c)) {
            assertThat(n.asElastic("GET", "/_security/role_mapping/cluster_mapping").status()).as(n.node().identity().nodeName()).isEqualTo(404);
        }
    }

    @Test
    void ofAHundredParallelCreatesOfOneNameOverThreeNodesExactlyOneSucceeds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            TestNode[] nodes = {a, b, c};
            for (int i = 0; i < 100; i++) {
                TestNode n = nodes[i % 3];
                answers.add(pool.submit(() -> n.asElastic("POST", FLEET + "/credential/token/raced")));
            }
            Map<Integer, Integer> byStatus = new HashMap<>();
            for (Future<Response> f : answers) {
                byStatus.merge(f.get().status(), 1, Integer::sum);
            }
            assertThat(byStatus).containsEntry(200, 1).containsEntry(409, 99);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A node that stops heartbeating without leaving (killed, or cut off from the database) keeps its row:
     * here a row written as such a node would have left it. It is reported failed, revocations do not
     * wait for it, and once departed it is gone from the answers.
     */
    @Test
    void aSilentNodeIsReportedFailedNeverWaitedForAndDroppedOnceDeparted() throws Exception {
        long now = System.currentTimeMillis();
        try (Connection conn = EmbeddedPostgresql.superuser(db);
             PreparedStatement ps = conn.prepareStatement("INSERT INTO nodes (node_id, node_name, http_address, version, file_tokens,"
                     + " started, heartbeat, last_applied_invalidation) VALUES ('ghostNodeId0000000000a', 'node-ghost', '127.0.0.1:1',"
                     + " '8.19.0', '{}', ?, ?, 0)")) {
            ps.setLong(1, now - 60_000);
            ps.setLong(2, now - NODE_TIMEOUT_MS - 500);
            ps.executeUpdate();
        }
        Response creds = b.asElastic("GET", FLEET + "/credential");
        JsonNode header = creds.json().at("/nodes_credentials/_nodes");
        assertThat(header.get("total").asInt()).as(creds.body()).isEqualTo(4);
        assertThat(header.get("successful").asInt()).isEqualTo(3);
        assertThat(header.get("failed").asInt()).isEqualTo(1);
        assertThat(header.at("/failures/0/type").asText()).isEqualTo("failed_node_exception");
        assertThat(header.at("/failures/0/reason").asText()).isEqualTo("Failed node [ghostNodeId0000000000a]");
        assertThat(header.at("/failures/0/node_id").asText()).isEqualTo("ghostNodeId0000000000a");
        assertThat(header.at("/failures/0/caused_by/type").asText()).isEqualTo("node_not_connected_exception");

        String token = bearer(a.asElastic("POST", FLEET + "/credential/token/ghost-era").json().at("/token/value").asText());
        assertThat(authenticate(c, token)).isEqualTo(200);
        long t0 = System.nanoTime();
        assertThat(a.asElastic("DELETE", FLEET + "/credential/token/ghost-era").status()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("not waiting for the silent node").isLessThan(2500);
        assertThat(authenticate(c, token)).isEqualTo(401);

        Response cleared = a.asElastic("POST", FLEET + "/credential/token/_all/_clear_cache");
        assertThat(cleared.json().at("/_nodes/total").asInt()).as(cleared.body()).isIn(3, 4);
        if (cleared.json().at("/_nodes/total").asInt() == 4) {
            assertThat(cleared.json().at("/_nodes/failed").asInt()).isEqualTo(1);
            assertThat(cleared.json().at("/_nodes/failures/0/node_id").asText()).isEqualTo("ghostNodeId0000000000a");
        }

        // departed: removed by the next heartbeat after departed_after
        long deadline = System.currentTimeMillis() + DEPARTED_AFTER_MS + 5000;
        int total;
        do {
            Thread.sleep(200);
            total = b.asElastic("GET", FLEET + "/credential").json().at("/nodes_credentials/_nodes/total").asInt();
        } while (total != 3 && System.currentTimeMillis() < deadline);
        assertThat(total).isEqualTo(3);
    }
}
