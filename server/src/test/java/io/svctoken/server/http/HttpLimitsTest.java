package io.svctoken.server.http;

import io.svctoken.server.TestNode;
import io.svctoken.server.settings.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code http.max_content_length}, {@code http.max_header_size} and {@code http.max_initial_line_length} on a real node. */
class HttpLimitsTest {

    @TempDir
    Path home;

    @Test
    void theConfiguredLimitsApplyAndTheNodeKeepsServing() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("http.max_content_length", "1kb", "http.max_header_size", "2kb",
                "http.max_initial_line_length", "512b"))) {
            String small = "{\"password\":\"small-pass\",\"roles\":[]}";
            assertThat(node.asElastic("PUT", "/_security/user/small", small).status()).isEqualTo(200);

            String big = "{\"password\":\"big-pass1\",\"roles\":[],\"full_name\":\"" + "x".repeat(1100) + "\"}";
            TestNode.Response tooBig = node.asElastic("PUT", "/_security/user/big", big);
            assertThat(tooBig.status()).isEqualTo(413);
            assertThat(tooBig.header("X-Elastic-Product")).isEqualTo("Elasticsearch");

            TestNode.Response bigHeader = node.request("GET", "/_security/_authenticate", TestNode.ELASTIC_BASIC, null,
                    Map.of("X-Filler", "y".repeat(3000)));
            assertThat(bigHeader.status()).isEqualTo(400);
            assertThat(bigHeader.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
            assertThat(bigHeader.header("connection")).as("the decoder cannot recover: the connection closes").isEqualTo("close");

            TestNode.Response longLine = node.asElastic("GET", "/_security/user/" + "a".repeat(600));
            assertThat(longLine.status()).isEqualTo(400);

            assertThat(node.asElastic("GET", "/_security/user/small").status()).as("still serving").isEqualTo(200);
        }
    }

    @Test
    void aReadTimeoutClosesConnectionsThatStopSending() throws Exception {
        try (TestNode node = TestNode.start(home, Map.of("http.read_timeout", "300ms"))) {
            URI u = URI.create(node.baseUrl());
            try (Socket s = new Socket(u.getHost(), u.getPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("PUT /_security/user/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"pass".getBytes(
                        StandardCharsets.ISO_8859_1));
                long t0 = System.nanoTime();
                assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(200L, 4000L);
            }
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void theDefaultBodyLimitIsTenMegabytes() throws Exception {
        assertThat(HttpServer.Limits.DEFAULT.content()).isEqualTo(10 * 1024 * 1024);
        assertThat(new NodeSettings(home, home, Map.of()).httpLimits()).isEqualTo(HttpServer.Limits.DEFAULT);
        assertThat(new NodeSettings(home, home, Map.of("http.max_content_length", "100mb")).httpLimits().content())
                .isEqualTo(100 * 1024 * 1024);
        assertThat(HttpServer.Limits.DEFAULT.readTimeout()).as("Elasticsearch's default: no read timeout").isZero();
    }
}
