package io.svctoken.server.console;

import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.console.ConsoleClient.SESSION;
import static io.svctoken.server.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** The console session's two ends, with short settings: the idle timeout (activity keeps it) and the maximum lifetime. */
class ConsoleSessionTimeoutTest {

    @TempDir
    Path home;

    private static void assertEnded(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("console session expired or missing");
    }

    @Test
    void aSessionEndsAfterTheIdleTimeoutWhileRequestsKeepItAlive() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("svctoken.console.session.idle_timeout", "4s"))) {
            ConsoleClient active = ConsoleClient.signInAs(node, "elastic", PASSWORD);
            ConsoleClient idle = ConsoleClient.signInAs(node, "elastic", PASSWORD);
            assertThat(active.signIn.json().path("idle_timeout_in_millis").asLong()).isEqualTo(4000);
            long end = System.nanoTime() + 6_000_000_000L;
            while (System.nanoTime() < end) {
                Response r = active.get(node, "/_security/_authenticate");
                assertThat(r.status()).as("a request every half second keeps the session: " + r.body()).isEqualTo(200);
                Thread.sleep(500);
            }
            assertEnded(idle.get(node, "/_security/_authenticate"));
            assertEnded(idle.get(node, SESSION));
            Thread.sleep(5_000);
            assertEnded(active.get(node, SESSION));
        }
    }

    @Test
    void aSessionEndsAtItsMaximumLifetimeHoweverActive() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("svctoken.console.session.max_lifetime", "3s"))) {
            ConsoleClient c = ConsoleClient.signInAs(node, "elastic", PASSWORD);
            assertThat(c.signIn.json().path("expires_in_millis").asLong()).isBetween(1L, 3000L);
            assertThat(c.get(node, SESSION).status()).isEqualTo(200);
            Thread.sleep(3_500);
            assertEnded(c.get(node, "/_security/_authenticate"));
        }
    }
}
