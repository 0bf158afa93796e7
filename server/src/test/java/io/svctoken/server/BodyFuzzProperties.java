package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API that reads a JSON body, fed arbitrary bodies over real HTTP: the answer is a success or a
 * 4xx in Elasticsearch's envelope with {@code X-Elastic-Product} — never a 5xx — and the node keeps
 * serving. Bodies are built from the APIs' own field names, so that the checks behind the first get
 * reached too.
 */
class BodyFuzzProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("password", "password_hash", "roles", "full_name", "email", "metadata",
            "enabled", "username", "name", "expiration", "role_descriptors", "cluster", "indices", "names", "privileges", "run_as",
            "ids", "id", "realm_name", "owner", "applications", "global", "description", "x", "_reserved");
    /** Each endpoint with a body it accepts: mutations of it reach the checks behind the first one. */
    private static final Map<String, String> VALID = Map.of(
            "PUT /_security/user/fuzz_user",
            "{\"password\":\"fuzz-pass\",\"roles\":[\"viewer\"],\"full_name\":\"F\",\"email\":\"f@example.com\",\"metadata\":{\"a\":1},\"enabled\":true}",
            "POST /_security/user/fuzz_user/_password", "{\"password\":\"new-fuzz-pass\"}",
            "PUT /_security/role/fuzz_role",
            "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"a-*\"],\"privileges\":[\"read\"]}],\"run_as\":[],\"metadata\":{},\"description\":\"d\"}",
            "POST /_security/api_key",
            "{\"name\":\"k\",\"expiration\":\"1d\",\"role_descriptors\":{\"r\":{\"cluster\":[\"monitor\"]}},\"metadata\":{\"m\":1}}",
            "DELETE /_security/api_key", "{\"name\":\"k\"}");

    static Path home;
    static TestNode node;

    @BeforeContainer
    static void start() throws Exception {
        home = Files.createTempDirectory("svctoken-fuzz");
        node = TestNode.start(home, Map.of());
        assertThat(node.asElastic("PUT", "/_security/user/fuzz_user", VALID.get("PUT /_security/user/fuzz_user")).status()).isEqualTo(200);
    }

    @AfterContainer
    static void stop() {
        node.close();
        try (var paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: best effort
        }
    }

    @Property(tries = 1000)
    void anyBodyGetsASuccessOrAnElasticsearch4xx(@ForAll("requests") net.jqwik.api.Tuple.Tuple2<String, String> request) throws Exception {
        String endpoint = request.get1();
        String body = request.get2();
        String[] mp = endpoint.split(" ", 2);
        TestNode.Response r = node.request(mp[0], mp[1], TestNode.ELASTIC_BASIC, body, Map.of());
        assertThat(r.status()).as("%s %s -> %s", endpoint, body, r.body()).isLessThan(500);
        net.jqwik.api.statistics.Statistics.collect(r.status() < 300 ? "2xx" : "4xx");
        // both outcomes must be reached, or the bodies only ever test the first check
        net.jqwik.api.statistics.Statistics.coverage(c -> {
            c.check("2xx").percentage(p -> p > 8);
            c.check("4xx").percentage(p -> p > 50);
        });
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        if (r.status() >= 400) {
            JsonNode error = r.json().get("error");
            assertThat(error).as(r.body()).isNotNull();
            if (error.isObject()) {
                assertThat(error.get("type").asText()).isNotBlank();
                assertThat(error.get("reason").asText()).isNotBlank();
            }
        }
    }

    /**
     * Any bytes as a request on a raw connection: the node answers with an HTTP status line or closes the
     * connection, within seconds; and when it keeps the connection open, the next, valid request on it is
     * answered (a kept-alive connection that swallows requests would hang clients).
     */
    @Property(tries = 300)
    void anyRawRequestGetsAnAnswerOrACloseAndNeverAHang(@ForAll("rawRequests") String raw) throws Exception {
        if (incomplete(raw)) {
            // a request that promises more body than it sends is waited for, as by Elasticsearch (no read timeout by
            // default), and one without the end of its headers for svctoken.http.request_head_timeout (30s, tested in
            // HttpConnectionLimitsTest); what matters here is that other connections are served
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
            return;
        }
        URI u = URI.create(node.baseUrl());
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedWhileWriting) {
                return; // the node closed the connection: an acceptable end
            }
            String answer = readAnswer(in, raw.startsWith("HEAD "));
            if (answer == null) {
                return; // closed without an answer, which is how Netty ends some malformed requests
            }
            assertThat(answer).as("answer to %s", raw).startsWith("HTTP/1.");
            assertThat(answer.substring(9, 10)).as("%s -> %s", raw, answer).isNotEqualTo("5");
            // Only a request without a body is followed by another: bytes after one would be read as the next request.
            boolean bodiless = raw.indexOf("\r\n\r\n") == raw.length() - 4 && !raw.contains("Content-Length") && !raw.contains("Transfer-Encoding")
                    && !raw.contains("Expect:");
            if (bodiless && !answer.toLowerCase(Locale.ROOT).contains("connection: close")) {
                out.write(("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                String next = readAnswer(in, false);
                assertThat(next).as("the connection stayed open after %s -> %s, so the next request must be answered", raw, answer)
                        .isNotNull().startsWith("HTTP/1.1 200");
            }
        } catch (SocketTimeoutException hang) {
            throw new AssertionError("no answer and no close within 5 s for: " + raw, hang);
        }
        assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
    }

    /** Whether the request promises body bytes it does not send (Content-Length, or a chunked body without its last chunk). */
    private static boolean incomplete(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            return true;
        }
        String head = raw.substring(0, end);
        int bodyLength = raw.length() - end - 4;
        Matcher m = Pattern.compile("(?m)^Content-Length: (\\d+)$").matcher(head);
        if (m.find() && Integer.parseInt(m.group(1)) > bodyLength) {
            return true;
        }
        return head.contains("Transfer-Encoding: chunked") && !raw.endsWith("0\r\n\r\n");
    }

    /** The head and body of one answer (Content-Length framed; none after HEAD), or null when the connection closes first. */
    private static String readAnswer(InputStream in, boolean head_) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n")) {
            try {
                c = in.read();
            } catch (SocketException reset) {
                return head.length() == 0 ? null : head.toString();
            }
            if (c < 0) {
                return head.length() == 0 ? null : head.toString();
            }
            head.append((char) c);
        }
        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int length = head_ || !m.find() ? 0 : Integer.parseInt(m.group(1));
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> rawRequests() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW", "get", "", "G E T");
        Arbitrary<String> path = Arbitraries.oneOf(
                Arbitraries.of("/", "/_security/_authenticate", "/_security/service", "/_security/user/x", "*", "", "/%zz", "/a?b=%"),
                malformedEscapeTargets(),
                Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(p -> "/" + p),
                Arbitraries.integers().between(4000, 6000).map(n -> "/" + "a".repeat(n)));
        Arbitrary<String> version = Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 extra", "", "HTTX/1.1");
        Arbitrary<String> header = Arbitraries.oneOf(
                Arbitraries.of("Host: x", "Authorization: " + TestNode.ELASTIC_BASIC, "Content-Length: 5", "Content-Length: -1",
                        "Content-Length: abc", "Transfer-Encoding: chunked", "Expect: 100-continue", "Connection: close",
                        "Content-Encoding: gzip", "Content-Type: application/json", ": no-name", "NoColon", "X: \u00ff"),
                Arbitraries.integers().between(17_000, 20_000).map(n -> "X-Big: " + "y".repeat(n)));
        Arbitrary<String> body = Arbitraries.of("", "{}", "hello", "0\r\n\r\n", "zz\r\nbad\r\n", "{\"password\":");
        return net.jqwik.api.Combinators.combine(method, path, version, header.list().ofMaxSize(4), body)
                .as((m, p, v, hs, b) -> m + " " + p + (v.isEmpty() ? "" : " " + v) + "\r\n" + String.join("\r\n", hs)
                        + (hs.isEmpty() ? "" : "\r\n") + "\r\n" + b);
    }

    /**
     * A malformed percent-escape anywhere in the query or in a path parameter of an authenticated request:
     * Elasticsearch's 400 naming the escape, and the kept-alive connection answers the next request.
     */
    @Property(tries = 200)
    void aMalformedPercentEscapeGetsA400AndTheConnectionStaysUsable(@ForAll("malformedEscapeTargets") String target) throws Exception {
        URI u = URI.create(node.baseUrl());
        try (Socket socket = new Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String get = "GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n";
            out.write(String.format(Locale.ROOT, get, target).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = readAnswer(in, false);
            assertThat(answer).as("answer to %s", target).isNotNull().startsWith("HTTP/1.1 400 ");
            assertThat(answer).as(answer).containsIgnoringCase("X-Elastic-Product: Elasticsearch");
            JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
            assertThat(error.get("type").asText()).isIn("bad_parameter_exception", "illegal_argument_exception");
            assertThat(error.get("reason").asText()).as(answer).contains("escape sequence");
            out.write(String.format(Locale.ROOT, get, "/_security/_authenticate").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readAnswer(in, false)).as("the request after %s on the same connection", target).isNotNull().startsWith("HTTP/1.1 200");
        }
    }

    /** A path and query with one malformed escape: at the end ({@code %}, {@code %a}) or with a non-hex digit ({@code %zz}). */
    @Provide
    Arbitrary<String> malformedEscapeTargets() {
        Arbitrary<String> filler = Arbitraries.strings().withChars("abcdefxyzABC0129._~-").ofMaxLength(5);
        Arbitrary<String> hex = Arbitraries.of("0", "7", "a", "F");
        Arbitrary<String> nonHex = Arbitraries.of("g", "z", "G", "_", "~", ".", "-", "Z");
        Arbitrary<String> bad = Arbitraries.oneOf(
                filler.map(f -> f + "%"),
                net.jqwik.api.Combinators.combine(filler, hex).as((f, h) -> f + "%" + h),
                net.jqwik.api.Combinators.combine(filler, nonHex, Arbitraries.oneOf(hex, nonHex), filler).as((f, a, b, g) -> f + "%" + a + b + g),
                net.jqwik.api.Combinators.combine(filler, hex, nonHex, filler).as((f, a, b, g) -> f + "%" + a + b + g));
        return net.jqwik.api.Combinators.combine(bad, Arbitraries.integers().between(0, 6)).as((b, where) -> switch (where) {
            case 0 -> "/_security/_authenticate?filter_path=" + b;
            case 1 -> "/_security/_authenticate?" + b + "=1";
            case 2 -> "/_security/_authenticate?pretty&" + b;
            case 3 -> "/_security/service?a=1&b=" + b + "&c=2";
            case 4 -> "/_security/user/" + b;
            case 5 -> "/_security/role/" + b + "?pretty";
            default -> "/_security/service/elastic/" + b;
        });
    }

    /** Any Authorization value a client can send: 200, 401 (with its challenges) or the throttle's 429, never 5xx. */
    @Property(tries = 1000)
    void anyAuthorizationHeaderGets200Or401(@ForAll("authorizations") String authorization) throws Exception {
        TestNode.Response r = node.request("GET", "/_security/_authenticate", authorization);
        // 429: a credential name that failed ten times from here (the failed-authentication budget), with its Retry-After
        assertThat(r.status()).as("[%s] -> %s", authorization, r.body()).isIn(200, 401, 429);
        if (r.status() == 429) {
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        if (r.status() == 401) {
            assertThat(r.headers().allValues("WWW-Authenticate")).isNotEmpty();
            assertThat(r.body()).doesNotContain(authorization.length() > 12 ? authorization.substring(7) : "\u0000never");
        }
    }

    @Provide
    Arbitrary<String> authorizations() {
        Arbitrary<String> scheme = Arbitraries.of("Bearer ", "Basic ", "ApiKey ", "bearer ", "BASIC ", "", "Bearer  ", "Negotiate ");
        Arbitrary<String> b64 = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_")
                .ofMaxLength(120);
        Arbitrary<String> encoded = Arbitraries.strings().withChars("\u0000\u0001elastic/fleet-server:kibana-_.tok3n\u00e9")
                .ofMaxLength(60)
                .map(t -> Base64.getEncoder().withoutPadding().encodeToString(("\u0000\u0001\u0000\u0001" + t)
                        .getBytes(StandardCharsets.UTF_8)));
        Arbitrary<String> printable = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80);
        return net.jqwik.api.Combinators.combine(scheme, Arbitraries.oneOf(b64, encoded, printable)).as((a, b) -> (a + b).strip())
                .filter(v -> !v.isEmpty());
    }

    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> requests() {
        return Arbitraries.of(List.copyOf(VALID.keySet())).flatMap(e -> bodies(VALID.get(e)).map(b -> Tuple.of(e, b)));
    }

    /** The valid body, one field of it replaced or added, a random body, or text that is hardly JSON. */
    private static Arbitrary<String> bodies(String valid) {
        ObjectNode base;
        try {
            base = (ObjectNode) JSON.readTree(valid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<String> own = new ArrayList<>();
        base.fieldNames().forEachRemaining(own::add);
        Arbitrary<String> field = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(own)), Tuple.of(1, Arbitraries.of(FIELDS)));
        Arbitrary<String> mutated = net.jqwik.api.Combinators.combine(field, value(2), Arbitraries.of(true, false)).as((f, v, remove) -> {
            ObjectNode copy = base.deepCopy();
            if (remove && v.isNull()) {
                copy.remove(f);
            } else {
                copy.set(f, v);
            }
            return copy.toString();
        });
        Arbitrary<String> structured = value(3).map(JsonNode::toString);
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(valid)),
                Tuple.of(10, mutated),
                Tuple.of(3, structured),
                Tuple.of(1, Arbitraries.strings().withChars("{}[]\":,tfnul0123 -.eE\\").ofMaxLength(30)),
                Tuple.of(1, Arbitraries.of("", "{", "null", "[]")));
    }

    private static Arbitrary<JsonNode> value(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.of(FIELDS).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.of("abcdef-pass", "all", "superuser", "1d", "-5m", "30m", "{PBKDF2}x", "", "*").map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.strings().ofMaxLength(6).map(s -> (JsonNode) F.textNode(s)),
                Arbitraries.integers().between(-1, 2).map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b)),
                Arbitraries.just(F.nullNode()));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> array = value(depth - 1).list().ofMaxSize(3).map(items -> {
            ArrayNode a = F.arrayNode();
            items.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.of(FIELDS), value(depth - 1)).ofMaxSize(4).map(m -> {
            ObjectNode o = F.objectNode();
            m.forEach(o::set);
            return o;
        });
        return Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(2, array), Tuple.of(5, object));
    }
}
