package io.svctoken.server;

import org.junit.jupiter.api.Test;
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

/** The console over the HTTPS a first start configures: the cookie is {@code Secure}, HSTS is sent, the banner names the console. */
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
}
