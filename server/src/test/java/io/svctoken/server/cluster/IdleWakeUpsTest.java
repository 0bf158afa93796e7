package io.svctoken.server.cluster;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle node's cluster threads (heartbeat, listener, publishers) sleep between their second-long rounds: they do
 * not wake every few milliseconds to look at an empty queue of writes awaiting acknowledgements, which on a machine
 * of two cores takes time slices from the event loops. Wake-ups are read from the kernel
 * ({@code voluntary_ctxt_switches} of {@code /proc/self/task/<tid>/status}) for the threads the node started.
 */
class IdleWakeUpsTest {

    /** The kernel's 15-character name of every {@code svctoken-cluster-*} thread. */
    private static final String CLUSTER_THREADS = "svctoken-cluste";

    @TempDir
    Path home;

    @Test
    void anIdleNodesClusterThreadsWakeOnlyForTheirRounds() throws Exception {
        Set<String> before = clusterThreads().keySet();
        try (TestNode node = TestNode.start(home, Map.of())) {
            // a revocation waits for acknowledgements once: its checks stop when it is acknowledged
            String token = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/t1").json()
                    .at("/token/value").asText();
            assertThat(token).isNotEmpty();
            assertThat(node.asElastic("DELETE", "/_security/service/elastic/fleet-server/credential/token/t1").status()).isEqualTo(200);
            Thread.sleep(500);
            Map<String, Long> start = clusterThreads();
            start.keySet().removeAll(before);
            assertThat(start).as("the node's cluster threads").isNotEmpty();
            Thread.sleep(2000);
            Map<String, Long> end = clusterThreads();
            long wakeUps = 0;
            for (Map.Entry<String, Long> t : start.entrySet()) {
                wakeUps += end.getOrDefault(t.getKey(), t.getValue()) - t.getValue();
            }
            // A check of the acknowledgements every 10 ms alone is ~200 in 2 s. The rounds are a heartbeat and a log poll
            // per second, but a heartbeat's durable write also blocks in fsync and on the store's locks: 5 to 21 seen in
            // 2 s, the most on a loaded CI machine.
            assertThat(wakeUps).as("wake-ups of %s threads in 2 s", start.size()).isLessThan(60);
        }
    }

    /** Thread id → voluntary context switches, for this JVM's cluster threads. */
    private static Map<String, Long> clusterThreads() throws IOException {
        Map<String, Long> switches = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.collect(Collectors.toList())) {
                try {
                    if (!Files.readString(task.resolve("comm")).strip().equals(CLUSTER_THREADS)) {
                        continue;
                    }
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            switches.put(task.getFileName().toString(), Long.parseLong(line.substring(line.indexOf(':') + 1).strip()));
                        }
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return switches;
    }
}
