package io.svctoken.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.cli.ServerProcessTest.ServerProcess;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #11: two real node processes on one PostgreSQL (started by this JVM); one is killed with
 * {@code kill -9}, so it never leaves the node registry. The other keeps serving, a revocation on it is not
 * held up by the dead node for longer than {@code node_timeout} (and never longer than {@code ack_timeout}),
 * its credentials API reports the dead node under {@code _nodes.failed} once {@code node_timeout} passed, and
 * stops counting it once {@code departed_after} passed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NodeKillProcessTest {

    private static final String FLEET = "/_security/service/elastic/fleet-server";
    private static final String PASSWORD = "kill-test-elastic-pw";
    private static final String ELASTIC = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final long NODE_TIMEOUT_MS = 1500;
    private static final long DEPARTED_AFTER_MS = 5000;
    private static final long ACK_TIMEOUT_MS = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<ServerProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (ServerProcess p : processes) {
            p.kill();
        }
    }

    private ServerProcess node(String db, String name, int port) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Path config = Files.createDirectories(home.resolve("config"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "-E", "xpack.security.http.ssl.enabled=false",
                "-E", "node.name=" + name,
                "-E", "http.port=" + port,
                "-E", "path.data=" + home.resolve("data"),
                "-E", "xpack.security.authc.password_hashing.algorithm=pbkdf2_1000",
                "-E", "xpack.security.authc.service_token_hashing.algorithm=pbkdf2_stretch_1000",
                "-E", "svctoken.store.type=postgresql",
                "-E", "svctoken.store.postgresql.url=" + EmbeddedPostgresql.url(db),
                "-E", "svctoken.store.postgresql.username=" + EmbeddedPostgresql.ROLE,
                "-E", "svctoken.store.postgresql.pool.max_size=4",
                "-E", "svctoken.cluster.heartbeat_interval=300ms",
                "-E", "svctoken.cluster.node_timeout=" + NODE_TIMEOUT_MS + "ms",
                "-E", "svctoken.cluster.departed_after=" + DEPARTED_AFTER_MS + "ms",
                "-E", "svctoken.cluster.ack_timeout=" + ACK_TIMEOUT_MS + "ms"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().put("SVCTOKEN_HOME", home.toString());
        pb.environment().put("ES_PATH_CONF", config.toString());
        pb.environment().put("ELASTIC_PASSWORD", PASSWORD);
        pb.environment().put("SVCTOKEN_STORE_POSTGRESQL_PASSWORD", EmbeddedPostgresql.PASSWORD);
        ServerProcess p = new ServerProcess(pb.start(), name);
        processes.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private Response send(String method, int port, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private JsonNode nodesHeader(int port) throws Exception {
        Response r = send("GET", port, FLEET + "/credential", ELASTIC);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().at("/nodes_credentials/_nodes");
    }

    @Test
    void aKilledNodeDoesNotHoldUpTheSurvivorIsReportedFailedAfterNodeTimeoutAndDropsOutAfterDepartedAfter() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        int port1 = freePort();
        int port2 = freePort();
        ServerProcess victim = node(db, "node-1", port1);
        ServerProcess survivor = node(db, "node-2", port2);
        victim.awaitListening();
        survivor.awaitListening();
        String victimId = Files.readString(tmp.resolve("node-1/data/node.id")).trim();

        // one cluster: a token created on one node works on the other, both nodes are counted
        Response created = send("POST", port1, FLEET + "/credential/token/before-kill", ELASTIC);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String token = "Bearer " + created.json().at("/token/value").asText();
        assertThat(send("GET", port2, "/_security/_authenticate", token).status()).isEqualTo(200);
        assertThat(nodesHeader(port2).toString()).isEqualTo("{\"total\":2,\"successful\":2,\"failed\":0}");

        Process kill = new ProcessBuilder("kill", "-9", Long.toString(victim.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        assertThat(victim.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(victim.process.exitValue()).isEqualTo(128 + 9);
        long killed = System.nanoTime();

        // at once, while the dead node's last heartbeat is still recent: the delete waits for it at most until
        // it counts as failed (node_timeout), never for the whole ack_timeout
        long t0 = System.nanoTime();
        Response deleted = send("DELETE", port2, FLEET + "/credential/token/before-kill", ELASTIC);
        long deleteMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(deleted.body()).isEqualTo("{\"found\":true}");
        assertThat(deleteMillis).as("delete on the survivor, dead node not yet failed").isLessThan(ACK_TIMEOUT_MS);
        assertThat(send("GET", port2, "/_security/_authenticate", token).status()).isEqualTo(401);

        // the survivor keeps serving: creates, logins, and a second delete that does not wait at all
        Response again = send("POST", port2, FLEET + "/credential/token/after-kill", ELASTIC);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(send("GET", port2, "/_security/_authenticate", "Bearer " + again.json().at("/token/value").asText()).status())
                .isEqualTo(200);

        // failed once node_timeout passed since its last heartbeat
        JsonNode header;
        long deadline = killed + TimeUnit.MILLISECONDS.toNanos(NODE_TIMEOUT_MS + 5000);
        do {
            header = nodesHeader(port2);
        } while (header.path("failed").asInt() == 0 && System.nanoTime() < deadline && sleep(100));
        assertThat(header.path("total").asInt()).as(header.toString()).isEqualTo(2);
        assertThat(header.path("successful").asInt()).isEqualTo(1);
        assertThat(header.path("failed").asInt()).isEqualTo(1);
        assertThat(header.at("/failures/0/type").asText()).isEqualTo("failed_node_exception");
        assertThat(header.at("/failures/0/node_id").asText()).isEqualTo(victimId);
        assertThat(header.at("/failures/0/reason").asText()).isEqualTo("Failed node [" + victimId + "]");

        t0 = System.nanoTime();
        deleted = send("DELETE", port2, FLEET + "/credential/token/after-kill", ELASTIC);
        assertThat(deleted.body()).isEqualTo("{\"found\":true}");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("a failed node is never waited for").isLessThan(1000);

        // departed: no longer counted
        deadline = killed + TimeUnit.MILLISECONDS.toNanos(DEPARTED_AFTER_MS + 5000);
        do {
            header = nodesHeader(port2);
        } while (header.path("total").asInt() != 1 && System.nanoTime() < deadline && sleep(200));
        assertThat(header.toString()).isEqualTo("{\"total\":1,\"successful\":1,\"failed\":0}");
        assertThat((System.nanoTime() - killed) / 1_000_000).as("not removed before departed_after").isGreaterThanOrEqualTo(DEPARTED_AFTER_MS - 500);
        assertThat(survivor.process.isAlive()).isTrue();
        assertThat(survivor.stderrText()).as("no stack trace on the survivor").doesNotContain("\tat ");
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
