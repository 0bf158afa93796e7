package io.svctoken.server.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.svctoken.server.LogLines;
import io.svctoken.server.TestNode;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * svctoken's own bounds against clients that hold connections without finishing a request (Elasticsearch
 * has neither): {@code svctoken.http.max_open_connections} and {@code svctoken.http.request_head_timeout},
 * on real sockets.
 */
class HttpConnectionLimitsTest {

    @TempDir
    Path home;

    private static int okOn(RawHttp c) throws IOException {
        return c.send(RawHttp.get("/")).answer().status();
    }

    @Test
    void connectionsOverTheLimitAreClosedAtOnceTheOthersWorkAndAFreedSlotIsReused() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ConnectionLimit.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        List<RawHttp> open = new ArrayList<>();
        try (TestNode node = TestNode.start(home, Map.of("svctoken.http.max_open_connections", "3"))) {
            for (int i = 0; i < 3; i++) {
                open.add(new RawHttp(node));
                assertThat(okOn(open.get(i))).isEqualTo(200);
            }
            try (RawHttp extra = new RawHttp(node)) {
                assertThat(extra.millisUntilClosed(5000)).as("the fourth connection is closed without reading it").isBetween(0L, 3000L);
            }
            for (RawHttp c : open) {
                assertThat(okOn(c)).as("the first three still work").isEqualTo(200);
            }

            for (int i = 0; i < 10; i++) {
                try (RawHttp extra = new RawHttp(node)) {
                    assertThat(extra.millisUntilClosed(5000)).isNotNegative();
                }
            }
            List<ILoggingEvent> refusals = LogLines.copyOf(logs).stream().filter(e -> e.getFormattedMessage().contains("svctoken.http.max_open_connections"))
                    .toList();
            // eleven refusals: the first logged, the others counted into one line per 10 s (a second line only if
            // this machine took that long)
            assertThat(refusals).as("refusals are logged at most once per interval").hasSizeBetween(1, 2);
            assertThat(refusals.get(0).getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(refusals.get(0).getFormattedMessage()).startsWith("refused an HTTP connection from [");

            open.remove(0).close();
            int status = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (status != 200 && System.nanoTime() < deadline) {
                // the server notices the close a moment later: until then a new connection is still over the limit
                try (RawHttp again = new RawHttp(node)) {
                    status = okOn(again);
                } catch (AssertionError | IOException refusedStill) {
                    Thread.sleep(50);
                }
            }
            assertThat(status).as("a connection after one of the three closed").isEqualTo(200);
        } finally {
            for (RawHttp c : open) {
                c.close();
            }
            logger.detachAppender(logs);
        }
    }

    @Test
    void aConnectionWithoutACompleteRequestHeadInTimeIsClosed() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("svctoken.http.request_head_timeout", "500ms"))) {
            try (RawHttp half = new RawHttp(node)) {
                half.send("GET /_security/_authenticate HTT");
                assertThat(half.millisUntilClosed(5000)).as("half a request line").isBetween(300L, 4000L);
            }
            try (RawHttp headers = new RawHttp(node)) {
                headers.send("GET /_security/_authenticate HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ");
                assertThat(headers.millisUntilClosed(5000)).as("half the headers").isBetween(300L, 4000L);
            }
            try (RawHttp silent = new RawHttp(node)) {
                assertThat(silent.millisUntilClosed(5000)).as("nothing sent after connecting").isBetween(300L, 4000L);
            }
            // a byte every 100 ms never completes the head: the timer does not restart with each byte
            try (RawHttp trickle = new RawHttp(node)) {
                long t0 = System.nanoTime();
                byte[] line = ("GET /_security/_authenticate HTTP/1.1\r\nX-Slow: " + "y".repeat(100)).getBytes(StandardCharsets.ISO_8859_1);
                boolean closed = false;
                for (int i = 0; i < line.length && !closed; i++) {
                    try {
                        trickle.send(new String(line, i, 1, StandardCharsets.ISO_8859_1));
                        Thread.sleep(100);
                    } catch (IOException reset) {
                        closed = true;
                    }
                    closed = closed || trickle.millisUntilClosed(1) >= 0;
                }
                assertThat(closed).as("a slowly trickled head").isTrue();
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 4000L);
            }
            assertThat(node.asElastic("GET", "/").status()).as("still serving").isEqualTo(200);
        }
    }

    @Test
    void theHeadTimeoutLeavesAKeptAliveConnectionIdleBetweenRequestsAndSlowBodiesAlone() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("svctoken.http.request_head_timeout", "300ms"));
             RawHttp c = new RawHttp(node)) {
            assertThat(okOn(c)).isEqualTo(200);
            Thread.sleep(1500);
            assertThat(okOn(c)).as("idle five times the head timeout between requests").isEqualTo(200);
            Thread.sleep(1500);
            // the head arrives at once, the body a second later: only http.read_timeout governs the body
            c.send("PUT /_security/user/slow HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC
                    + "\r\nContent-Type: application/json\r\nContent-Length: 42\r\n\r\n");
            Thread.sleep(1000);
            RawHttp.Answer put = c.send("{\"password\":\"slow-pass-1\",\"roles\":[\"x\"]}  ").answer();
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            assertThat(okOn(c)).isEqualTo(200);
        }
    }

    /**
     * One timer per connection, not one per request: after requests answered back to back for longer than the timeout
     * (the timer made for the first one fires in the middle of a later one and waits for that one's deadline), a head
     * that then stops halfway still closes the connection in time, and one that completes is answered.
     */
    @Test
    void theHeadTimeoutHoldsForEveryRequestOfABusyConnection() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("svctoken.http.request_head_timeout", "500ms"));
             RawHttp c = new RawHttp(node)) {
            long t0 = System.nanoTime();
            while ((System.nanoTime() - t0) / 1_000_000 < 1500) {
                assertThat(okOn(c)).isEqualTo(200);
            }
            // a head split in two, 200 ms apart: within the timeout, answered
            c.send("GET / HTTP/1.1\r\nHost: x\r\n");
            Thread.sleep(200);
            assertThat(c.send("Authorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n").answer().status()).isEqualTo(200);
            c.send("GET / HTTP/1.1\r\nHost: x\r\nAuthor");
            assertThat(c.millisUntilClosed(5000)).as("half a head after busy requests").isBetween(300L, 4000L);
        }
    }

    @Test
    void aSilentConnectionToTheHttpsPortIsClosedToo() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("svctoken.http.request_head_timeout", "500ms"), Map.of("ELASTIC_PASSWORD", "x-pass-1"),
                true)) {
            assertThat(node.baseUrl()).startsWith("https:");
            URI u = URI.create(node.baseUrl());
            try (Socket s = new Socket(u.getHost(), u.getPort())) {
                s.setSoTimeout(5000);
                long t0 = System.nanoTime();
                assertThat(s.getInputStream().read()).as("closed before any TLS handshake").isEqualTo(-1);
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 4000L);
            }
        }
    }

    @Test
    void settingsDefaultsAndBadValues() {
        HttpServer.Limits d = new NodeSettings(home, home, Map.of()).httpLimits();
        assertThat(d.maxOpenConnections()).isEqualTo(1000);
        assertThat(d.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(30));
        HttpServer.Limits set = new NodeSettings(home, home, Map.of("svctoken.http.max_open_connections", "20",
                "svctoken.http.request_head_timeout", "2m")).httpLimits();
        assertThat(set.maxOpenConnections()).isEqualTo(20);
        assertThat(set.requestHeadTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(new NodeSettings(home, home, Map.of("svctoken.http.request_head_timeout", "-1")).httpLimits().requestHeadTimeout())
                .as("-1: no bound").isNegative();
        for (String bad : List.of("0", "-1", "many", "1.5")) {
            assertThatThrownBy(() -> new NodeSettings(home, home, Map.of("svctoken.http.max_open_connections", bad)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.http.max_open_connections]");
        }
        assertThatThrownBy(() -> new NodeSettings(home, home, Map.of("svctoken.http.request_head_timeout", "30")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.http.request_head_timeout]");
    }
}
