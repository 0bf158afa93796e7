package io.svctoken.server.http;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short way of bodiless requests ({@link BodilessRequests}) answers byte for byte as the general way (decompressor,
 * compressor, aggregator) does, and every request it does not take (a body, {@code Accept-Encoding},
 * {@code Content-Encoding}, {@code Expect}) still goes the general way, also when both kinds are pipelined on one connection.
 */
class BodilessRequestsTest {

    @TempDir
    static Path home;
    static TestNode node;
    static String bearer;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        bearer = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/lane").json()
                .path("token").path("value").asText();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String request(String method, String path, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    /**
     * The same request, once as it is (the short way) and once with {@code Accept-Encoding: identity} (the general way,
     * which compresses nothing for it): the same bytes on the wire.
     */
    @Test
    void aBodilessRequestIsAnsweredTheSameBytesAsByTheGeneralWay() throws Exception {
        String auth = "Authorization: Bearer " + bearer;
        String basic = "Authorization: " + TestNode.ELASTIC_BASIC;
        List<String[]> cases = List.of(
                new String[]{"GET", "/_security/_authenticate", auth},
                new String[]{"GET", "/_security/_authenticate?pretty&human", auth},
                new String[]{"GET", "/_security/_authenticate?filter_path=username,token.name", auth},
                new String[]{"HEAD", "/", basic},
                new String[]{"GET", "/", basic, "Content-Length: 0"},
                new String[]{"GET", "/_security/_authenticate", "Authorization: Bearer AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL2xhbmU6bm9wZQ"},
                new String[]{"GET", "/_security/_authenticate"},
                new String[]{"GET", "/_nowhere", basic},
                new String[]{"DELETE", "/_security/_authenticate", basic},
                new String[]{"OPTIONS", "/_security/_authenticate", basic},
                new String[]{"GET", "/_security/_authenticate", auth, "Accept: application/vnd.elasticsearch+json;compatible-with=8"},
                new String[]{"GET", "/_security/_authenticate", auth, "Connection: close"});
        for (String[] c : cases) {
            String[] headers = java.util.Arrays.copyOfRange(c, 2, c.length);
            String[] general = java.util.Arrays.copyOf(headers, headers.length + 1);
            general[headers.length] = "Accept-Encoding: identity";
            String shortWay;
            String generalWay;
            try (Conn a = new Conn()) {
                shortWay = a.send(request(c[0], c[1], headers)).answer(c[0]);
            }
            try (Conn b = new Conn()) {
                generalWay = b.send(request(c[0], c[1], general)).answer(c[0]);
            }
            assertThat(shortWay).as(String.join(" ", c)).isEqualTo(generalWay).startsWith("HTTP/1.1 ");
        }
    }

    @Test
    void pipelinedRequestsOfBothWaysAreAnsweredInOrderAndCompressedWhenAsked() throws Exception {
        String auth = "Authorization: Bearer " + bearer;
        String basic = "Authorization: " + TestNode.ELASTIC_BASIC;
        String all = request("GET", "/_security/_authenticate", auth)
                + request("GET", "/_security/service", basic, "Accept-Encoding: gzip")
                + request("HEAD", "/", basic)
                + request("GET", "/_security/_authenticate", auth, "Accept-Encoding: gzip")
                + request("GET", "/_security/_authenticate?filter_path=token", auth);
        try (Conn c = new Conn()) {
            c.send(all);
            assertThat(c.answer("GET")).startsWith("HTTP/1.1 200 OK").doesNotContainIgnoringCase("content-encoding")
                    .contains("\"username\":\"elastic/fleet-server\"");
            String zipped = c.answer("GET");
            assertThat(zipped).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-encoding: gzip");
            assertThat(inflate(zipped)).isEqualTo(node.asElastic("GET", "/_security/service").body());
            assertThat(c.answer("HEAD")).startsWith("HTTP/1.1 200 OK").doesNotContainIgnoringCase("content-encoding");
            String zippedToo = c.answer("GET");
            assertThat(zippedToo).containsIgnoringCase("content-encoding: gzip");
            assertThat(inflate(zippedToo)).contains("\"username\":\"elastic/fleet-server\"");
            assertThat(c.answer("GET")).endsWith("\r\n\r\n{\"token\":{\"name\":\"lane\",\"type\":\"_service_account_index\"}}");
            // and the connection still serves, both ways
            c.send(request("GET", "/_security/_authenticate", auth, "Accept-Encoding: gzip"));
            assertThat(c.answer("GET")).containsIgnoringCase("content-encoding: gzip");
            c.send(request("GET", "/_security/_authenticate", auth));
            assertThat(c.answer("GET")).doesNotContainIgnoringCase("content-encoding").contains("\"username\":\"elastic/fleet-server\"");
        }
    }

    /**
     * An answer that is not ready at once (a role written to the store) keeps its place: the pipelined requests after it,
     * ready at once or not, are answered after it, in order, and a HEAD among them still gets no body.
     */
    @Test
    void anAnswerNotReadyAtOnceKeepsItsPlaceAmongPipelinedAnswers() throws Exception {
        String auth = "Authorization: Bearer " + bearer;
        String basic = "Authorization: " + TestNode.ELASTIC_BASIC;
        String body = "{\"cluster\":[\"monitor\"]}";
        String put = "PUT /_security/role/lane_role HTTP/1.1\r\nHost: x\r\n" + basic + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        try (Conn c = new Conn()) {
            c.send(request("GET", "/_security/_authenticate", auth) + put + request("HEAD", "/", basic)
                    + request("GET", "/_security/_authenticate", auth, "Accept-Encoding: gzip") + put
                    + request("GET", "/_security/role/lane_role", basic) + request("GET", "/_security/_authenticate?filter_path=token", auth));
            assertThat(c.answer("GET")).startsWith("HTTP/1.1 200 OK").contains("\"username\":\"elastic/fleet-server\"");
            assertThat(c.answer("PUT")).startsWith("HTTP/1.1 200 OK").endsWith("{\"role\":{\"created\":true}}");
            assertThat(c.answer("HEAD")).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n");
            assertThat(inflate(c.answer("GET"))).contains("\"username\":\"elastic/fleet-server\"");
            assertThat(c.answer("PUT")).startsWith("HTTP/1.1 200 OK").endsWith("{\"role\":{\"created\":false}}");
            assertThat(c.answer("GET")).startsWith("HTTP/1.1 200 OK").contains("\"lane_role\":{\"cluster\":[\"monitor\"]");
            assertThat(c.answer("GET")).endsWith("\r\n\r\n{\"token\":{\"name\":\"lane\",\"type\":\"_service_account_index\"}}");
            c.send(request("GET", "/_security/_authenticate", auth));
            assertThat(c.answer("GET")).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void connectionCloseIsHonouredOnTheShortWay() throws Exception {
        try (Conn c = new Conn()) {
            c.send(request("GET", "/_security/_authenticate", "Authorization: Bearer " + bearer, "Connection: close"));
            assertThat(c.answer("GET")).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("connection: close");
            assertThat(c.in.read()).as("closed after the answer").isEqualTo(-1);
        }
        try (Conn c = new Conn()) {
            // HTTP/1.0 without keep-alive: closed after the answer too
            c.send("GET /_security/_authenticate HTTP/1.0\r\nAuthorization: Bearer " + bearer + "\r\n\r\n");
            assertThat(c.answer("GET")).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("connection: close");
            assertThat(c.in.read()).isEqualTo(-1);
        }
    }

    private static String inflate(String answer) throws IOException {
        byte[] body = answer.substring(answer.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A raw connection: answers as the bytes they are (ISO-8859-1), framed by Content-Length. */
    private static final class Conn implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Conn() throws IOException {
            URI u = URI.create(node.baseUrl());
            socket = new Socket(u.getHost(), u.getPort());
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        Conn send(String raw) throws IOException {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        }

        /** The next answer, head and body; a HEAD answer has no body whatever its Content-Length says. */
        String answer(String method) throws IOException {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed after: " + head);
                }
                head.append((char) b);
            }
            if (method.equals("HEAD")) {
                return head.toString();
            }
            List<String> lines = new ArrayList<>(List.of(head.toString().split("\r\n")));
            int length = 0;
            for (String l : lines) {
                if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(l.substring(15).trim());
                }
            }
            return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
