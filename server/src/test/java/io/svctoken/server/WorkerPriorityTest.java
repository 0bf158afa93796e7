package io.svctoken.server;

import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hashing pool's threads really run at the configured nice value (read back from the kernel in
 * {@code /proc/self/task/<tid>/stat}), the event loops at the node's own, and a cold authentication
 * still completes on them.
 */
class WorkerPriorityTest {

    @TempDir
    Path home;

    /** Nice values of this JVM's threads whose kernel name (15 chars at most) starts with {@code comm}. */
    private static List<Integer> niceOf(String comm) throws IOException {
        List<Integer> nice = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name;
                String stat;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                if (name.startsWith(comm)) {
                    nice.add(niceField(stat)); // fields after "(comm)": state is field 3, nice is field 19
                }
            }
        }
        return nice;
    }

    /** The nice value (field 19) of a {@code /proc/.../stat} line. */
    private static int niceField(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[19 - 3]);
    }

    /** The workers' nice values once {@code count} of them run at {@code expected}, or what was seen after 10 s. */
    private static List<Integer> awaitWorkers(int count, int expected) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Integer> nice;
        do {
            nice = niceOf("svctoken-worker");
            if (nice.size() == count && nice.stream().allMatch(n -> n == expected)) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return nice;
    }

    @Test
    void hashingThreadsRunAtTheLowestPriorityByDefaultAndTheEventLoopsAtTheNodes() throws Exception {
        int own = niceField(Files.readString(Path.of("/proc/thread-self/stat")));
        try (TestNode node = TestNode.start(home, Map.of("svctoken.worker.threads", "3"))) {
            assertThat(awaitWorkers(3, 19)).containsExactly(19, 19, 19);
            // a cold authentication (hash verification on those threads) still completes
            String token = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/t1").json()
                    .at("/token/value").asText();
            TestNode.Response me = node.request("GET", "/_security/_authenticate", TestNode.bearer(token));
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            assertThat(me.json().get("username").asText()).isEqualTo("elastic/fleet-server");
            assertThat(niceOf("svctoken-http")).isNotEmpty().allMatch(n -> n == own);
        }
    }

    /**
     * A wrong secret for a stored token fails both stores and asks the {@code service_tokens} file to be re-read.
     * That re-read ran on the common pool, which on one or two cores means a new thread per failure (it inherited
     * the hashing thread's nice value and then wrote the 401 to the event loop at that priority). It now runs on
     * the file watcher's thread: a flood of wrong secrets starts no thread.
     */
    @Test
    void wrongSecretsStartNoThreadPerFailure() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (TestNode node = TestNode.start(home, Map.of("svctoken.authc.failure_throttle.enabled", "false"))) {
            String token = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/t1").json()
                    .at("/token/value").asText();
            String wrong = TestNode.bearer(wrongSecret(token));
            for (int i = 0; i < 5; i++) { // the client's and the node's pools reach their size
                assertThat(node.request("GET", "/_security/_authenticate", wrong).status()).isEqualTo(401);
            }
            long before = threads.getTotalStartedThreadCount();
            int failures = 30;
            for (int i = 0; i < failures; i++) {
                assertThat(node.request("GET", "/_security/_authenticate", wrong).status()).isEqualTo(401);
            }
            assertThat(threads.getTotalStartedThreadCount() - before).as("threads started during %d failures", failures)
                    .isLessThan(5);
        }
    }

    /** The same token with its secret's last character changed (a bearer is base64 of {@code ns/svc/name:secret}). */
    private static String wrongSecret(String bearer) {
        String decoded = new String(java.util.Base64.getDecoder().decode(bearer), java.nio.charset.StandardCharsets.UTF_8);
        char last = decoded.charAt(decoded.length() - 1);
        String changed = decoded.substring(0, decoded.length() - 1) + (last == 'A' ? 'B' : 'A');
        return java.util.Base64.getEncoder().encodeToString(changed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Relative to the niceness this JVM inherited ({@code nice -n 10 mvn verify} must pass too): raising one's own
     * nice value needs no privilege, lowering it below the inherited one does, and 0 keeps the inherited one.
     */
    @Test
    void theNiceValueIsASettingAndZeroLeavesThePriorityAlone() throws Exception {
        int inherited = niceField(Files.readString(Path.of("/proc/thread-self/stat")));
        int raised = Math.min(19, inherited + 7);
        try (TestNode node = TestNode.start(home, Map.of("svctoken.worker.threads", "2", "svctoken.worker.nice", String.valueOf(raised)))) {
            assertThat(awaitWorkers(2, raised)).containsExactly(raised, raised);
        }
        try (TestNode node = TestNode.start(home, Map.of("svctoken.worker.threads", "2", "svctoken.worker.nice", "0"))) {
            assertThat(awaitWorkers(2, inherited)).containsExactly(inherited, inherited);
        }
    }

    @Test
    void anOutOfRangeNiceValueStopsTheStartNamingTheSetting() {
        for (String bad : List.of("20", "-1", "low")) {
            assertThatThrownBy(() -> new NodeSettings(home, home.resolve("config"), Map.of("svctoken.worker.nice", bad)))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("Failed to parse value [" + bad + "] for setting [svctoken.worker.nice]");
        }
    }
}
