package io.svctoken.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import io.svctoken.server.TestNode;
import io.svctoken.server.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's proxying against stand-in upstreams that record what reaches them, hang, or are not there. */
class GatewayProxyTest {

    @TempDir
    static Path home;
    static RecordingUpstream recorder;
    static TestNode node;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        recorder = new RecordingUpstream();
        node = TestNode.start(home, Map.of("svctoken.gateway.upstream", recorder.url(),
                "svctoken.gateway.upstream_auth.basic.username", "gateway",
                "svctoken.gateway.upstream_auth.basic.password", "gateway-secret"));
    }

    @AfterAll
    static void stop() {
        node.close();
        recorder.close();
    }

    private static HttpResponse<String> send(TestNode n, String method, String path, String authorization, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clusterHealthIsTheUpstreamsWhileTheProbesAreServedHere() throws Exception {
        int before = recorder.requests.get();
        TestNode.Response health = node.asElastic("GET", "/_cluster/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"recorded\":true}");
        assertThat(recorder.lastPath.get()).isEqualTo("/_cluster/health");
        int after = recorder.requests.get();
        assertThat(after).isEqualTo(before + 1);
        TestNode.Response live = node.request("GET", "/_svctoken/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");
        assertThat(recorder.requests.get()).isEqualTo(after);
    }

    @Test
    void aBulkWhoseItemsAreAllDeniedNeverReachesTheUpstream() throws Exception {
        assertThat(node.asElastic("PUT", "/_security/role/app_writer", "{\"indices\":[{\"names\":[\"app-*\"],\"privileges\":[\"create_doc\"]}]}")
                .status()).isEqualTo(200);
        assertThat(node.asElastic("POST", "/_security/user/ingest", "{\"password\":\"ingest-password\",\"roles\":[\"app_writer\"]}")
                .status()).isEqualTo(200);
        int before = recorder.seen.size();
        String body = "{\"create\":{\"_index\":\"other\",\"_id\":\"1\"}}\n{\"msg\":\"a\"}\n\n{\"delete\":{\"_index\":\"secret\",\"_id\":\"2\"}}\n";

        TestNode.Response r = node.request("POST", "/_bulk", TestNode.basic("ingest", "ingest-password"), body, Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"errors\":true,\"took\":");
        assertThat(r.json().at("/items/0/create/status").asInt()).isEqualTo(403);
        assertThat(r.json().at("/items/1/delete/status").asInt()).isEqualTo(403);
        assertThat(recorder.seen.subList(before, recorder.seen.size())).noneMatch(s -> s.contains("_bulk"));
    }

    @Test
    void aRoleChangeTakesEffectForTheVeryNextForwardedRequest() throws Exception {
        // the caller's compiled index permission is kept between requests: a changed or deleted role must never outlive that
        assertThat(node.asElastic("PUT", "/_security/role/swap_reader", "{\"indices\":[{\"names\":[\"alpha-*\"],\"privileges\":[\"read\"]}]}")
                .status()).isEqualTo(200);
        assertThat(node.asElastic("POST", "/_security/user/swapper", "{\"password\":\"swapper-password\",\"roles\":[\"swap_reader\"]}")
                .status()).isEqualTo(200);
        String swapper = TestNode.basic("swapper", "swapper-password");
        for (int i = 0; i < 3; i++) {
            assertThat(send(node, "GET", "/alpha-1/_search", swapper, Map.of()).statusCode()).isEqualTo(200);
            assertThat(send(node, "GET", "/beta-1/_search", swapper, Map.of()).statusCode()).isEqualTo(403);
        }

        assertThat(node.asElastic("PUT", "/_security/role/swap_reader", "{\"indices\":[{\"names\":[\"beta-*\"],\"privileges\":[\"read\"]}]}")
                .status()).isEqualTo(200);

        HttpResponse<String> alpha = send(node, "GET", "/alpha-1/_search", swapper, Map.of());
        assertThat(alpha.statusCode()).isEqualTo(403);
        assertThat(alpha.body()).contains("is unauthorized for user [swapper] with effective roles [swap_reader] on indices [alpha-1]");
        assertThat(send(node, "GET", "/beta-1/_search", swapper, Map.of()).statusCode()).isEqualTo(200);

        assertThat(node.asElastic("DELETE", "/_security/role/swap_reader").status()).isEqualTo(200);

        HttpResponse<String> gone = send(node, "GET", "/beta-1/_search", swapper, Map.of());
        assertThat(gone.statusCode()).isEqualTo(403);
        assertThat(gone.body()).contains("is unauthorized for user [swapper] with effective roles [] (assigned roles [swap_reader] were not found)");
    }

    @Test
    void theUpstreamGetsTheGatewaysCredentialsNeverTheCallersAndTraceHeadersPass() throws Exception {
        HttpResponse<String> r = send(node, "GET", "/logs/_search", TestNode.ELASTIC_BASIC, Map.of(
                "es-secondary-authorization", TestNode.ELASTIC_BASIC, "X-Opaque-Id", "op-1",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tracestate", "a=b", "X-Private", "p"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"recorded\":true}");
        assertThat(r.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
        Headers seen = recorder.lastHeaders.get();
        assertThat(seen.getFirst("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("gateway:gateway-secret".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(TestNode.ELASTIC_BASIC);
        assertThat(seen.containsKey("es-secondary-authorization")).isFalse();
        assertThat(seen.getFirst("X-Opaque-Id")).isEqualTo("op-1");
        assertThat(seen.getFirst("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(seen.getFirst("tracestate")).isEqualTo("a=b");
        assertThat(seen.getFirst("X-Private")).isEqualTo("p");
        assertThat(recorder.lastPath.get()).isEqualTo("/logs/_search");
    }

    @Test
    void headersNamedByConnectionAndRunAsNeverReachTheUpstream() throws Exception {
        // raw socket: the JDK client refuses to send Connection itself
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.node().address().getPort())) {
            String req = "GET /x/_count HTTP/1.1\r\nHost: a\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n"
                    + "Connection: keep-alive, X-Hop\r\nX-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic eA==\r\n"
                    + "es-security-runas-user: elastic\r\n\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK").contains("X-elastic-product: Elasticsearch");
        }
        Headers seen = recorder.lastHeaders.get();
        assertThat(seen.keySet()).map(String::toLowerCase)
                .doesNotContain("x-hop", "keep-alive", "te", "proxy-authorization", "es-security-runas-user");
        assertThat(seen.getFirst("Host")).isEqualTo(URI.create(recorder.url()).getAuthority());
    }

    @Test
    void aCompressedBodyPassesUnchangedAndAChunkedAnswerComesBackChunked() throws Exception {
        byte[] json = "{\"query\":{\"match_all\":{}}}".repeat(1000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json);
        }
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/chunked/_search"))
                .header("Authorization", TestNode.ELASTIC_BASIC).header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"recorded\":true}");
        assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(r.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
        assertThat(recorder.lastHeaders.get().getFirst("Content-Encoding")).isEqualTo("gzip");
        assertThat(recorder.lastBodyBytes.get()).isEqualTo(gz.size()).isLessThan(json.length);
    }

    @Test
    void expectContinueIsAnsweredOnceTheRequestIsAuthenticatedAndNeverForAnUnauthenticatedOne() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.node().address().getPort())) {
            s.setSoTimeout(10_000);
            String head = "POST /logs/_doc HTTP/1.1\r\nHost: a\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(readSome(s)).startsWith("HTTP/1.1 100 Continue");
            s.getOutputStream().write("{\"a\":\"bcd\"}".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(readSome(s)).startsWith("HTTP/1.1 200 OK");
        }
        assertThat(recorder.lastHeaders.get().containsKey("Expect")).isFalse();
        assertThat(recorder.lastBodyBytes.get()).isEqualTo(11);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.node().address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /logs/_doc HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(readSome(s)).startsWith("HTTP/1.1 401 Unauthorized").contains("connection: close");
        }
    }

    @Test
    void pipelinedRequestsWithoutBodiesAreEachForwardedAndAnsweredInOrder() throws Exception {
        // the client's reads are not paused for a request without a body: what comes meanwhile waits, in order
        String get = "GET /pipe-%d/_search HTTP/1.1\r\nHost: a\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n";
        String local = "GET /_svctoken/health/live HTTP/1.1\r\nHost: a\r\n\r\n";
        int before = recorder.seen.size();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.node().address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((get.formatted(1) + get.formatted(2) + local + get.formatted(3)).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bodies.add(readAnswerBody(in));
            }
            assertThat(bodies).containsExactly("{\"recorded\":true}", "{\"recorded\":true}", "{\"status\":\"live\"}", "{\"recorded\":true}");
        }
        assertThat(recorder.seen.subList(before, recorder.seen.size()).stream().filter(p -> p.contains("/pipe-")))
                .containsExactly("GET /pipe-1/_search", "GET /pipe-2/_search", "GET /pipe-3/_search");
    }

    @Test
    void aRefusedRequestWithoutABodyBetweenPipelinedOnesKeepsTheConnection() throws Exception {
        // a request without a body is decided as soon as it is read (its credentials cached, or missing): a refusal
        // then must not close the connection, since nothing of that request is left unread
        String get = "GET /kept-%d/_search HTTP/1.1\r\nHost: a\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n";
        String anonymous = "GET /kept-2/_search HTTP/1.1\r\nHost: a\r\n\r\n";
        send(node, "GET", "/kept-0/_search", TestNode.ELASTIC_BASIC, Map.of()); // elastic's password in the cache
        int before = recorder.seen.size();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.node().address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((get.formatted(1) + anonymous + get.formatted(3)).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertThat(readAnswerBody(in)).isEqualTo("{\"recorded\":true}");
            assertThat(readAnswerBody(in)).contains("\"security_exception\"");
            assertThat(readAnswerBody(in)).isEqualTo("{\"recorded\":true}");
            // still open: a fourth request on it is answered
            s.getOutputStream().write(get.formatted(4).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(readAnswerBody(in)).isEqualTo("{\"recorded\":true}");
        }
        assertThat(recorder.seen.subList(before, recorder.seen.size()).stream().filter(p -> p.contains("/kept-")))
                .containsExactly("GET /kept-1/_search", "GET /kept-3/_search", "GET /kept-4/_search");
    }

    @Test
    void aRefusedRequestWhoseSmallBodyComesLaterIsAnsweredAfterItOnTheKeptConnection() throws Exception {
        // refused on its head; closing then, under a client still sending its body, can reach the client as a reset
        // that loses the answer: the rest of a small body is read and dropped first
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.node().address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("PUT /late/_doc/1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(300); // the refusal is decided meanwhile
            s.getOutputStream().write("{\"a\":\"bcd\"}".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertThat(readAnswerBody(in)).contains("\"security_exception\"");
            s.getOutputStream().write(("GET /late/_search HTTP/1.1\r\nHost: a\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(readAnswerBody(in)).isEqualTo("{\"recorded\":true}");
        }
    }

    @Test
    void aClientThatAsksToCloseGetsTheWholeAnswerBeforeTheConnectionEnds() throws Exception {
        // answers leave at the end of the event loop's pass; the close after a last answer must not drop it
        for (String request : List.of(
                "GET /closing/_search HTTP/1.1\r\nHost: a\r\nConnection: close\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n",
                "GET /closing/_search HTTP/1.0\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n")) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.node().address().getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII); // up to the close
                assertThat(all).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("connection: close").endsWith("{\"recorded\":true}");
            }
        }
    }

    /** One answer with a Content-Length from {@code in}: its body. */
    private static String readAnswerBody(InputStream in) throws Exception {
        ByteArrayOutputStream headLine = new ByteArrayOutputStream();
        int length = -1;
        while (true) {
            int c = in.read();
            assertThat(c).as("the connection ended within an answer's head").isNotNegative();
            if (c != '\n') {
                headLine.write(c);
                continue;
            }
            String line = headLine.toString(StandardCharsets.US_ASCII).trim();
            headLine.reset();
            if (line.isEmpty()) {
                break;
            }
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(length).as("Content-Length").isNotNegative();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readSome(Socket s) throws Exception {
        byte[] buf = new byte[4096];
        int n = s.getInputStream().read(buf);
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void anUnauthenticatedRequestIs401AndNeverReachesTheUpstream() throws Exception {
        int before = recorder.requests.get();
        HttpResponse<String> none = send(node, "GET", "/logs/_search", null, Map.of());
        HttpResponse<String> wrong = send(node, "POST", "/logs/_doc", TestNode.basic("elastic", "wrong"), Map.of());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(none.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
        JsonNode err = Json.MAPPER.readTree(none.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("security_exception");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(recorder.requests.get()).isEqualTo(before);
    }

    @Test
    void whatSvctokenServesIsStillAnsweredHere() throws Exception {
        int before = recorder.requests.get();
        HttpResponse<String> root = send(node, "GET", "/", TestNode.ELASTIC_BASIC, Map.of());
        HttpResponse<String> authn = send(node, "GET", "/_security/_authenticate", TestNode.ELASTIC_BASIC, Map.of());
        HttpResponse<String> unknownSecurity = send(node, "GET", "/_security/nothing_here", TestNode.ELASTIC_BASIC, Map.of());

        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("\"tagline\"").doesNotContain("recorded");
        assertThat(authn.body()).contains("\"username\":\"elastic\"");
        assertThat(unknownSecurity.statusCode()).isEqualTo(400);
        assertThat(unknownSecurity.body()).contains("no handler found");
        assertThat(recorder.requests.get()).isEqualTo(before);
    }

    @Test
    void aHundredMegabyteChunkedBodyStreamsToASlowUpstreamWithBoundedBuffers() throws Exception {
        byte[] line = "{\"index\":{\"_index\":\"logs\"}}\n{\"msg\":\"hello world, a line of a bulk body that is streamed\"}\n"
                .getBytes(StandardCharsets.UTF_8);
        // 100 MB of whole items: the gateway reads a _bulk item by item, and a body cut mid-line is refused as Elasticsearch refuses it
        long size = 100L * 1024 * 1024 / line.length * line.length;
        InputStream body = new InputStream() {
            long sent;

            @Override
            public int read() {
                return sent < size ? line[(int) (sent++ % line.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - sent);
                for (int i = 0; i < n; i++) {
                    b[off + i] = line[(int) ((sent + i) % line.length)];
                }
                sent += n;
                return n;
            }
        };
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/slow/_bulk"))
                .header("Authorization", TestNode.ELASTIC_BASIC).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long heapAfter = rt.totalMemory() - rt.freeMemory();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(recorder.lastBodyBytes.get()).isEqualTo(size);
        long maxBuffered = Gateway.maxInFlightBytes();
        System.out.printf("100 MB through the gateway in %d ms; most bytes queued at once: %d; heap %d MB -> %d MB%n", millis,
                maxBuffered, heapBefore >> 20, heapAfter >> 20);
        assertThat(maxBuffered).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void aHangingUpstreamIs504WithinTheTimeout(@TempDir Path home2) throws Exception {
        try (ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestNode n = TestNode.start(home2, Map.of("svctoken.gateway.upstream", "http://127.0.0.1:" + hanging.getLocalPort(),
                     "svctoken.gateway.response_timeout", "1s"))) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(hanging.accept()); // accepts, never answers
                    }
                } catch (Exception ignored) {
                    // closed at the end
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(n, "GET", "/logs/_search", TestNode.ELASTIC_BASIC, Map.of());
            long millis = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
            JsonNode err = Json.MAPPER.readTree(r.body());
            assertThat(err.at("/error/type").asText()).isEqualTo("timeout_exception");
            assertThat(err.at("/error/root_cause/0/type").asText()).isEqualTo("timeout_exception");
            assertThat(err.at("/error/reason").asText()).contains("did not answer within [1000ms]");
            assertThat(err.at("/status").asInt()).isEqualTo(504);
            assertThat(millis).isBetween(900L, 5000L);
        }
    }

    @Test
    void aRequestThatHangsAfterAnAnsweredOneOnTheSameConnectionIs504AfterItsOwnTimeout(@TempDir Path home2) throws Exception {
        // one timeout check per client connection, kept between its requests: the second's timeout counts from its own start
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestNode n = TestNode.start(home2, Map.of("svctoken.gateway.upstream", "http://127.0.0.1:" + upstream.getLocalPort(),
                     "svctoken.gateway.response_timeout", "1s", "svctoken.gateway.health_check.interval", "0"))) {
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread server = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = upstream.accept();
                        accepted.add(s);
                        Thread t = new Thread(() -> answerUnlessSlow(s));
                        t.setDaemon(true);
                        t.start();
                    }
                } catch (Exception ignored) {
                    // closed at the end
                }
            });
            server.setDaemon(true);
            server.start();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), n.node().address().getPort())) {
                c.setSoTimeout(10_000);
                String get = "GET /%s/_search HTTP/1.1\r\nHost: a\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n";
                c.getOutputStream().write(get.formatted("fast").getBytes(StandardCharsets.US_ASCII));
                assertThat(readAnswerBody(c.getInputStream())).isEqualTo("{}");
                Thread.sleep(600);
                long t0 = System.nanoTime();
                c.getOutputStream().write(get.formatted("slow").getBytes(StandardCharsets.US_ASCII));
                String body = readAnswerBody(c.getInputStream());
                long millis = (System.nanoTime() - t0) / 1_000_000;

                assertThat(body).contains("\"type\":\"timeout_exception\"").contains("did not answer within [1000ms]");
                assertThat(millis).isBetween(900L, 5000L);
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /** Never answers a request for {@code /slow...}; answers {@code 200 {}} to any other (the index names' fetch too). */
    private static void answerUnlessSlow(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            while (true) {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.write(b);
                }
                if (head.toString(StandardCharsets.US_ASCII).startsWith("GET /slow")) {
                    in.transferTo(java.io.OutputStream.nullOutputStream()); // hangs until the gateway closes
                    return;
                }
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
        } catch (Exception ignored) {
            // closed
        }
    }

    @Test
    void anAnswerTheUpstreamSendsInPiecesReachesTheClientPieceByPiece(@TempDir Path home2) throws Exception {
        // the client is flushed once per read of the upstream: a piece must not wait for the next one
        java.util.concurrent.CountDownLatch firstSeen = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             TestNode n = TestNode.start(home2, Map.of("svctoken.gateway.upstream", "http://127.0.0.1:" + upstream.getLocalPort(),
                     "svctoken.gateway.health_check.interval", "0"))) {
            Thread server = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = upstream.accept();
                        Thread t = new Thread(() -> answerInPieces(s, firstSeen));
                        t.setDaemon(true);
                        t.start();
                    }
                } catch (Exception ignored) {
                    // closed at the end
                }
            });
            server.setDaemon(true);
            server.start();
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), n.node().address().getPort())) {
                c.setSoTimeout(20_000);
                c.getOutputStream().write(("GET /logs/_search HTTP/1.1\r\nHost: a\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = c.getInputStream();
                StringBuilder seen = new StringBuilder();
                byte[] buf = new byte[4096];
                while (!seen.toString().contains("{\"first\":")) {
                    int k = in.read(buf);
                    assertThat(k).as("the first piece before the upstream sends the rest; got: " + seen).isPositive();
                    seen.append(new String(buf, 0, k, StandardCharsets.US_ASCII));
                }
                assertThat(seen.toString()).startsWith("HTTP/1.1 200 OK").doesNotContain("second");
                firstSeen.countDown();
                while (!seen.toString().endsWith("0\r\n\r\n")) {
                    int k = in.read(buf);
                    assertThat(k).as(seen.toString()).isPositive();
                    seen.append(new String(buf, 0, k, StandardCharsets.US_ASCII));
                }
                assertThat(seen.toString()).contains("\"second\":2}");
            }
        }
    }

    /** Answers the catalog's {@code _resolve/index} whole, and anything else in two chunks, the second once the client saw the first. */
    private static void answerInPieces(Socket s, java.util.concurrent.CountDownLatch firstSeen) {
        try (s) {
            InputStream in = s.getInputStream();
            java.io.OutputStream out = s.getOutputStream();
            while (true) {
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                if (head.toString().startsWith("GET /_resolve/index")) {
                    String names = "{\"indices\":[{\"name\":\"logs\",\"attributes\":[\"open\"]}],\"aliases\":[],\"data_streams\":[]}";
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + names.length() + "\r\n\r\n" + names)
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                String first = "{\"first\":1,";
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (!firstSeen.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    return;
                }
                String second = "\"second\":2}";
                out.write((Integer.toHexString(second.length()) + "\r\n" + second + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (Exception ignored) {
            // the test's end closes the connections
        }
    }

    @Test
    void anUpstreamThatIsDownIs502(@TempDir Path home2) throws Exception {
        int closedPort = OpenSearchUpstream.freePort();
        try (TestNode n = TestNode.start(home2, Map.of("svctoken.gateway.upstream", "http://127.0.0.1:" + closedPort))) {
            HttpResponse<String> r = send(n, "GET", "/logs/_search", TestNode.ELASTIC_BASIC, Map.of());

            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
            JsonNode err = Json.MAPPER.readTree(r.body());
            assertThat(err.at("/error/type").asText()).isEqualTo("connect_exception");
            assertThat(err.at("/error/reason").asText()).startsWith("cannot reach the upstream [http://127.0.0.1:" + closedPort + "]");
            // the node itself is fine
            assertThat(send(n, "GET", "/_security/_authenticate", TestNode.ELASTIC_BASIC, Map.of()).statusCode()).isEqualTo(200);
        }
    }
}
