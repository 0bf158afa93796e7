package io.svctoken.server.audit;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code svctoken.audit.on_write_failure}: while the audit file cannot be written (here a full disk: the file is
 * {@code /dev/full}), {@code continue} serves requests as Elasticsearch does, {@code refuse} answers them with a 503 until
 * a write succeeds again (the lines waiting are then written).
 */
class AuditFailurePolicyTest {

    @TempDir
    Path home;

    private TestNode start(String policy) throws Exception {
        Path logs = home.resolve("logs");
        Files.createDirectories(logs);
        Files.createSymbolicLink(logs.resolve("test-cluster_audit.json"), Path.of("/dev/full"));
        return TestNode.start(home, Map.of("xpack.security.audit.enabled", "true", "path.logs", logs.toString(),
                "svctoken.audit.on_write_failure", policy));
    }

    @Test
    void refuseAnswers503WhileTheFileCannotBeWrittenAndServesAgainOnceItCan() throws Exception {
        try (TestNode n = start("refuse")) {
            assertThat(n.asElastic("GET", "/_security/_authenticate").status()).isEqualTo(200); // its access_granted cannot be written
            TestNode.Response refused = awaitStatus(n, 503);
            assertThat(refused.json().at("/error/type").asText()).isEqualTo("security_exception");
            assertThat(refused.json().at("/error/reason").asText()).isEqualTo(
                    "the audit log cannot be written; requests are refused until it can ([svctoken.audit.on_write_failure] is [refuse])");
            assertThat(refused.json().at("/status").asInt()).isEqualTo(503);
            assertThat(refused.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
            // the disk has room again
            Path file = home.resolve("logs/test-cluster_audit.json");
            Files.delete(file);
            awaitStatus(n, 200);
            assertThat(Files.readString(file)).contains("\"event.action\":\"access_granted\"");
        }
    }

    @Test
    void continueKeepsServingLikeElasticsearch() throws Exception {
        try (TestNode n = start("continue")) {
            for (int i = 0; i < 20; i++) {
                assertThat(n.asElastic("GET", "/_security/_authenticate").status()).isEqualTo(200);
                Thread.sleep(100);
            }
        }
    }

    private static TestNode.Response awaitStatus(TestNode n, int status) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        TestNode.Response r;
        do {
            r = n.asElastic("GET", "/_security/_authenticate");
            if (r.status() == status) {
                return r;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + status + " within 20s, last: " + r.status() + " " + r.body());
    }
}
