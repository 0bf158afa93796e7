package io.svctoken.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.svctoken.server.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console over the HTTPS a first start configures: the cookie is {@code Secure}, HSTS is sent; the first-start banner
 * and the start's log line give the console's address; {@code svctoken.console.enabled: false} serves no console path.
 */
class ConsoleHttpsTest {

    @TempDir
    Path home;

    @Test
    void overHttpsTheCookieIsSecureAndHstsIsSent() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of(), Map.of("ELASTIC_PASSWORD", PASSWORD), true)) {
            assertThat(node.node().scheme()).isEqualTo("https");
            HttpClient client = HttpClient.newBuilder().sslContext(TlsTest.trusting(home.resolve("config/certs/http_ca.crt")))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://localhost:" + node.node().address().getPort();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/_svctoken/console/session"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"elastic\",\"password\":\"" + PASSWORD + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                    .matches("svctoken_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Secure");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        }
    }

    @Test
    void theBannerAndTheStartLogGiveTheConsolesAddress() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger nodeLog = (Logger) LoggerFactory.getLogger(Node.class);
        nodeLog.addAppender(logs);
        nodeLog.setLevel(ch.qos.logback.classic.Level.INFO);
        try (TestNode node = TestNode.start(home, Map.of(), Map.of(), true)) {
            String url = "https://127.0.0.1:" + node.node().address().getPort() + "/_svctoken/console/";
            assertThat(node.console).contains("  Console: " + url + System.lineSeparator());
            assertThat(LogLines.copyOf(logs).stream().map(ILoggingEvent::getFormattedMessage))
                    .anySatisfy(m -> assertThat(m).contains("listening on").endsWith("; Console: " + url));
        } finally {
            nodeLog.detachAppender(logs);
            nodeLog.setLevel(null);
        }
    }

    @Test
    void aDisabledConsoleHasNoPathsNoCookieAndNoAddress() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger nodeLog = (Logger) LoggerFactory.getLogger(Node.class);
        nodeLog.addAppender(logs);
        nodeLog.setLevel(ch.qos.logback.classic.Level.INFO);
        try (TestNode node = TestNode.start(home, Map.of("svctoken.console.enabled", "false"))) {
            // as any unknown path: 401 without credentials (authentication comes first), 400 no handler with them
            TestNode.Response anonymous = node.request("POST", "/_svctoken/console/session", null,
                    "{\"username\":\"elastic\",\"password\":\"" + PASSWORD + "\"}", Map.of());
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.json().at("/error/reason").asText()).startsWith("missing authentication credentials");
            TestNode.Response r = node.request("POST", "/_svctoken/console/session", TestNode.ELASTIC_BASIC,
                    "{\"username\":\"elastic\",\"password\":\"" + PASSWORD + "\"}", Map.of());
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("no handler found for uri [/_svctoken/console/session] and method [POST]");
            assertThat(r.header("Set-Cookie")).isNull();
            assertThat(r.header("Content-Security-Policy")).as("no console, no console headers").isNull();
            // a cookie is no credential then
            TestNode.Response who = node.request("GET", "/_security/_authenticate", null, null, Map.of("Cookie", "svctoken_session=x"));
            assertThat(who.json().at("/error/reason").asText()).startsWith("missing authentication credentials");
            assertThat(node.console).doesNotContain("Console:");
            assertThat(LogLines.copyOf(logs).stream().map(ILoggingEvent::getFormattedMessage)).noneMatch(m -> m.contains("Console:"));
        } finally {
            nodeLog.detachAppender(logs);
            nodeLog.setLevel(null);
        }
    }
}
