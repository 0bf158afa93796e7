package io.svctoken.server.cluster;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #11: PostgreSQL stopped and started again (same data directory, same port) while clients keep
 * creating tokens and authenticating on two nodes. No acknowledged write is lost; writes during the outage
 * fail with Elasticsearch's "store unavailable" error, never a hang; past {@code max_staleness} nothing
 * from the caches is accepted; the nodes serve again by themselves. The database is this test's own, as
 * the test stops it.
 */
class PostgresqlRestartTest {

    static final String FLEET = "/_security/service/elastic/fleet-server";
    static final String ROLE = "svctoken_app";
    static final String PASSWORD = "restart-db-password-7c2e";
    static final long MAX_STALENESS_MS = 2000;
    /** An answer slower than this counts as a hang. */
    static final long HANG_MS = 8000;
    /** A file-realm superuser: it logs in without the database, so creates during the outage reach the store. */
    static final String FILE_ADMIN = basic("file-admin", "file-admin-pass-1");

    @TempDir
    Path pgData;
    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    /** One client request during the run: when it started and ended (nanoTime), and its answer. */
    record Probe(String what, String node, long startNanos, long endNanos, int status, String errorType, String product) {
    }

    private static EmbeddedPostgres startPostgres(Path dir, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setDataDirectoryCustomizer(d -> writeHba(d.toPath().resolve("pg_hba.conf")))
                .setServerConfig("password_encryption", "scram-sha-256")
                .start();
    }

    private static void writeHba(Path hba) {
        try {
            Files.writeString(hba, String.join("\n",
                    "local all postgres trust",
                    "host  all postgres 127.0.0.1/32 trust",
                    "host  all postgres ::1/128 trust",
                    "local all all scram-sha-256",
                    "host  all all 127.0.0.1/32 scram-sha-256",
                    "host  all all ::1/128 scram-sha-256", ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Connection superuser(int port, String db) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + db, "postgres", "");
    }

    private static Map<String, String> settings(Path home, int port, String name) throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.write(home.resolve("config/users"), List.of("file-admin:" + Hasher.resolve("pbkdf2_1000").hash(Secret.of("file-admin-pass-1"))));
        Files.write(home.resolve("config/users_roles"), List.of("superuser:file-admin"));
        Map<String, String> s = new HashMap<>(Map.of("svctoken.store.type", "postgresql",
                "svctoken.store.postgresql.url", "jdbc:postgresql://localhost:" + port + "/svctoken",
                "svctoken.store.postgresql.username", ROLE,
                "svctoken.store.postgresql.password", PASSWORD,
                "svctoken.store.postgresql.pool.max_size", "4",
                "svctoken.store.postgresql.connect_timeout", "1s",
                "node.name", name));
        s.put("svctoken.cluster.heartbeat_interval", "200ms");
        s.put("svctoken.cluster.node_timeout", "1s");
        s.put("svctoken.cluster.departed_after", "60s");
        s.put("svctoken.cluster.poll_interval", "200ms");
        s.put("svctoken.cluster.max_staleness", MAX_STALENESS_MS + "ms");
        s.put("svctoken.cluster.ack_timeout", "2s");
        // the deleted token is tried thousands of times: every try must reach the check, not the throttle's 429
        s.put("svctoken.authc.failure_throttle.enabled", "false");
        return s;
    }

    private static Probe probe(String what, String nodeName, TestNode node, String method, String path, String authorization) {
        long t0 = System.nanoTime();
        try {
            Response r = node.request(method, path, authorization);
            String type = r.status() == 200 || r.body().isEmpty() ? null : r.json().at("/error/type").asText();
            if (r.status() == 503 && (r.body().contains("jdbc") || r.body().contains("Hikari"))) {
                type = "store details in the answer: " + r.body(); // the database's address and pool belong in the log only
            }
            return new Probe(what, nodeName, t0, System.nanoTime(), r.status(), type, r.header("X-Elastic-Product"));
        } catch (Exception e) {
            return new Probe(what, nodeName, t0, System.nanoTime(), -1, e.toString(), null);
        }
    }

    private static Set<String> storedTokenNames(int port) throws Exception {
        Set<String> names = new HashSet<>();
        try (Connection c = superuser(port, "svctoken"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM service_account_tokens WHERE principal = 'elastic/fleet-server'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void postgresqlStoppedAndStartedAgainUnderTrafficLosesNoAcknowledgedWriteAndTheNodesRecoverByThemselves() throws Exception {
        int port = freePort();
        EmbeddedPostgres pg = startPostgres(pgData, port);
        try (Connection c = superuser(port, "postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
            st.execute("CREATE DATABASE svctoken OWNER " + ROLE);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread client = null;
        Thread creator = null;
        try (TestNode a = TestNode.start(homeA, settings(homeA, port, "node-a"));
             TestNode b = TestNode.start(homeB, settings(homeB, port, "node-b"))) {
            Map<String, TestNode> nodes = Map.of("node-a", a, "node-b", b);

            // a token deleted just before the outage, once cached on both nodes
            String gone = bearer(a.asElastic("POST", FLEET + "/credential/token/gone").json().at("/token/value").asText());
            String live = bearer(a.asElastic("POST", FLEET + "/credential/token/live").json().at("/token/value").asText());
            for (TestNode n : nodes.values()) {
                assertThat(n.request("GET", "/_security/_authenticate", gone).status()).isEqualTo(200);
                assertThat(n.request("GET", "/_security/_authenticate", live).status()).isEqualTo(200);
            }
            assertThat(b.asElastic("DELETE", FLEET + "/credential/token/gone").body()).isEqualTo("{\"found\":true}");

            // the clients: one creating tokens, one logging in, each alternating nodes
            ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
            creator = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    String name = (i % 2 == 0) ? "node-a" : "node-b";
                    probes.add(probe("create:t" + i, name, nodes.get(name), "POST", FLEET + "/credential/token/t" + i, FILE_ADMIN));
                }
            }, "restart-test-creator");
            client = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    String name = (i % 2 == 0) ? "node-a" : "node-b";
                    probes.add(probe("live", name, nodes.get(name), "GET", "/_security/_authenticate", live));
                    probes.add(probe("gone", name, nodes.get(name), "GET", "/_security/_authenticate", gone));
                }
            }, "restart-test-client");
            creator.start();
            client.start();

            Thread.sleep(1000);
            pg.close(); // pg_ctl stop -m fast: sessions ended, the data directory kept
            long stopped = System.nanoTime();
            // long enough past max_staleness for whole login probes: with the database gone each store call takes about
            // a second, so one client round (a live and a gone login) takes about two
            Thread.sleep(MAX_STALENESS_MS + 6000);
            long restarting = System.nanoTime();
            pg = startPostgres(pgData, port);
            long restarted = System.nanoTime();

            // both nodes create again without being restarted
            long deadline = System.nanoTime() + 15_000_000_000L;
            Set<String> recovered = new HashSet<>();
            while (recovered.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                for (Probe p : probes) {
                    if (p.what().startsWith("create:") && p.status() == 200 && p.startNanos() > restarted) {
                        recovered.add(p.node());
                    }
                }
            }
            Thread.sleep(300);
            running.set(false);
            creator.join(HANG_MS + 2000);
            client.join(HANG_MS + 2000);
            assertThat(recovered).as("nodes creating tokens again after the restart").containsExactlyInAnyOrder("node-a", "node-b");

            List<Probe> all = new ArrayList<>(probes);
            // never a hang, never a broken connection, always Elasticsearch's header
            for (Probe p : all) {
                assertThat(p.status()).as(p.toString()).isPositive();
                assertThat((p.endNanos() - p.startNanos()) / 1_000_000).as(p.toString()).isLessThan(HANG_MS);
                assertThat(p.product()).as(p.toString()).isEqualTo("Elasticsearch");
            }
            // the deleted token: never accepted, by any node, at any time
            assertThat(all).filteredOn(p -> p.what().equals("gone")).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.status()).as(p.toString()).isEqualTo(401));
            // a create either succeeded or failed as Elasticsearch does when .security is unavailable
            List<Probe> creates = all.stream().filter(p -> p.what().startsWith("create:")).toList();
            assertThat(creates).allSatisfy(p -> {
                if (p.status() != 200) {
                    assertThat(p.status()).as(p.toString()).isEqualTo(503);
                    assertThat(p.errorType()).as(p.toString()).isEqualTo("unavailable_shards_exception");
                }
            });
            List<Probe> during = creates.stream().filter(p -> p.startNanos() > stopped && p.endNanos() < restarting).toList();
            assertThat(during).as("creates during the outage").isNotEmpty().allSatisfy(p -> assertThat(p.status()).isEqualTo(503));
            // past max_staleness after the stop, not even the valid cached token is taken from a cache
            List<Probe> stale = all.stream().filter(p -> p.what().equals("live") && p.startNanos() - stopped > MAX_STALENESS_MS * 1_000_000
                    && p.endNanos() < restarting).toList();
            assertThat(stale).as("logins past max_staleness during the outage").isNotEmpty()
                    .allSatisfy(p -> assertThat(p.status()).as(p.toString()).isEqualTo(401));

            // no acknowledged write lost: every create answered 200 is in the restarted database
            Set<String> stored = storedTokenNames(port);
            for (Probe p : creates) {
                if (p.status() == 200) {
                    assertThat(stored).as(p.toString()).contains(p.what().substring("create:".length()));
                }
            }
            assertThat(stored).contains("live").doesNotContain("gone");

            // serving again: logins from the store, and a revocation on one node is applied by the other at once
            for (TestNode n : nodes.values()) {
                assertThat(n.request("GET", "/_security/_authenticate", live).status()).isEqualTo(200);
                assertThat(n.request("GET", "/_security/_authenticate", gone).status()).isEqualTo(401);
            }
            assertThat(a.asElastic("DELETE", FLEET + "/credential/token/live").body()).isEqualTo("{\"found\":true}");
            assertThat(b.request("GET", "/_security/_authenticate", live).status()).isEqualTo(401);
            Response creds = a.asElastic("GET", FLEET + "/credential");
            assertThat(creds.json().at("/nodes_credentials/_nodes").toString()).as(creds.body())
                    .isEqualTo("{\"total\":2,\"successful\":2,\"failed\":0}");
        } finally {
            running.set(false);
            for (Thread t : new Thread[]{creator, client}) {
                if (t != null) {
                    t.join(HANG_MS + 2000);
                }
            }
            pg.close();
        }
    }
}
