package io.svctoken.server.http;

import io.svctoken.server.TestNode;
import io.svctoken.server.settings.NodeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compression as the official clients use it (gzip request bodies, {@code Accept-Encoding: gzip}), and the
 * answers Netty writes by itself (413, 100-continue), over real HTTP.
 */
class HttpCompressionTest {

    @TempDir
    static Path home;
    static TestNode node;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).header("Authorization", TestNode.ELASTIC_BASIC);
    }

    @Test
    void aGzippedRequestBodyIsInflated() throws Exception {
        byte[] body = gzip("{\"password\":\"zipped-pass\",\"roles\":[\"viewer\"]}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = send(to("/_security/user/zipped").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"created\":true}");
        assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic("zipped", "zipped-pass")).status()).isEqualTo(200);
    }

    @Test
    void answersAreGzippedForClientsThatAskAndOnlyForThem() throws Exception {
        String plain = node.asElastic("GET", "/_security/service").body();
        HttpResponse<byte[]> r = send(to("/_security/service").header("Accept-Encoding", "gzip"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
        assertThat(r.body().length).isLessThan(plain.length() / 3);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain);
        }
        HttpResponse<byte[]> identity = send(to("/_security/service"));
        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void compressionFollowsTheSettingAndElasticsearchsDefault(@TempDir Path other) throws Exception {
        assertThat(new NodeSettings(other, other, Map.of()).httpCompression(false)).isTrue();
        assertThat(new NodeSettings(other, other, Map.of()).httpCompression(true)).as("off with TLS").isFalse();
        assertThat(new NodeSettings(other, other, Map.of("http.compression", "true")).httpCompression(true)).isTrue();
        try (TestNode off = TestNode.start(other, Map.of("http.compression", "false"))) {
            HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create(off.baseUrl() + "/_security/service"))
                    .header("Authorization", TestNode.ELASTIC_BASIC).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        }
    }

    @Test
    void aBodyOverTheLimitIs413WithTheProductHeaderEvenWhenItOnlyGetsThatBigInflated() throws Exception {
        byte[] big = new byte[11 * 1024 * 1024];
        Arrays.fill(big, (byte) 'a');
        HttpResponse<byte[]> plain = send(to("/_security/user/big").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertThat(plain.statusCode()).isEqualTo(413);
        assertThat(plain.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");

        byte[] bomb = gzip(big); // ~11 KB on the wire
        assertThat(bomb.length).isLessThan(64 * 1024);
        HttpResponse<byte[]> inflated = send(to("/_security/user/big").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(bomb)));
        assertThat(inflated.statusCode()).isEqualTo(413);
        assertThat(inflated.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");

        assertThat(node.asElastic("GET", "/").status()).as("the node still serves").isEqualTo(200);
        assertThat(node.asElastic("GET", "/_security/user/big").status()).isEqualTo(404);
    }

    @Test
    void afterA413TheBodyIsDrainedAndTheKeptAliveConnectionServesTheNextRequest() throws Exception {
        URI u = URI.create(node.baseUrl());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            int size = 11 * 1024 * 1024;
            out.write(("PUT /_security/user/drained HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, size - sent));
            }
            out.write(("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answers = new String(s.getInputStream().readNBytes(200), StandardCharsets.ISO_8859_1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            InputStream in = s.getInputStream();
            StringBuilder all = new StringBuilder(answers);
            while (!all.toString().contains("You Know, for Search") && System.nanoTime() < deadline) {
                byte[] more = new byte[4096];
                int n = in.read(more);
                if (n < 0) {
                    break;
                }
                all.append(new String(more, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(all.toString()).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n")
                    .contains("\r\nHTTP/1.1 200 OK\r\n").contains("You Know, for Search");
        }
    }

    @Test
    void expectContinueGetsContinueOrAn413WithTheProductHeader() throws Exception {
        String small = "{\"password\":\"continue-pass\",\"roles\":[]}";
        String ok = raw("PUT /_security/user/continued HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC
                + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " + small.length() + "\r\n\r\n", small);
        assertThat(ok).startsWith("HTTP/1.1 100 Continue\r\n").contains("\r\nHTTP/1.1 200 OK\r\n").contains("{\"created\":true}");

        String refused = raw("PUT /_security/user/continued HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC
                + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 20000000\r\n\r\n", null);
        assertThat(refused).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
        assertThat(refused.toLowerCase(Locale.ROOT)).contains("x-elastic-product: elasticsearch");
    }

    @Test
    void aCorruptGzipBodyIsRefusedAndTheNodeStaysUp() throws Exception {
        byte[] corrupt = gzip("{\"password\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        corrupt[12] ^= 0x55;
        corrupt[13] ^= 0x55;
        HttpResponse<byte[]> r = send(to("/_security/user/corrupt").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(corrupt)));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        assertThat(r.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
        assertThat(body).startsWith("{\"error\":\"bad HTTP request: the body cannot be decoded (").endsWith(",\"status\":400}");
        assertThat(node.asElastic("GET", "/_security/user/corrupt").status()).isEqualTo(404);
        assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
    }

    /** Writes the head, reads the first answer, then writes the body (if any) and reads to the end or 3 s. */
    private static String raw(String head, String body) throws Exception {
        URI u = URI.create(node.baseUrl());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n = in.read(buf);
            if (n > 0) {
                got.write(buf, 0, n);
            }
            if (body != null) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
                out.flush();
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (!got.toString(StandardCharsets.ISO_8859_1).contains("\"created\"") && System.nanoTime() < deadline) {
                    n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got.write(buf, 0, n);
                }
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
