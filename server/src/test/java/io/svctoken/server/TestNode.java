package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.http.Json;
import io.svctoken.server.settings.NodeSettings;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A real node on a free loopback port over a real SQLite file, plus a small HTTP client. */
public final class TestNode implements AutoCloseable {

    public static final String PASSWORD = "test-elastic-password";
    public static final String ELASTIC_BASIC = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final Node node;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public final String console;

    private TestNode(Node node, String console) {
        this.node = node;
        this.console = console;
    }

    public static TestNode start(Path home, Map<String, String> extraSettings) throws Exception {
        return start(home, extraSettings, Map.of("ELASTIC_PASSWORD", PASSWORD));
    }

    public static TestNode start(Path home, Map<String, String> extraSettings, Map<String, String> env) throws Exception {
        return start(home, extraSettings, env, false);
    }

    /**
     * @param defaultTls false: plain HTTP ({@code xpack.security.http.ssl.enabled=false}, unless {@code extraSettings}
     *                   say otherwise), as most suites expect; true: no TLS setting at all, so a first start
     *                   auto-configures HTTPS (the client of this class then cannot talk to it: see TlsTest)
     */
    public static TestNode start(Path home, Map<String, String> extraSettings, Map<String, String> env, boolean defaultTls) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        if (!defaultTls) {
            s.put("xpack.security.http.ssl.enabled", "false");
        }
        s.put("http.port", "0");
        s.put("node.name", "node-0");
        s.put("cluster.name", "test-cluster");
        // cheap hashing keeps tests fast; compatibility of the default is tested separately
        s.put("xpack.security.authc.password_hashing.algorithm", "pbkdf2_1000");
        s.put("xpack.security.authc.service_token_hashing.algorithm", "pbkdf2_stretch_1000");
        s.putAll(extraSettings);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Node n = Node.start(new NodeSettings(home, home.resolve("config"), s), env, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new TestNode(n, out.toString(StandardCharsets.UTF_8));
    }

    public Node node() {
        return node;
    }

    public String baseUrl() {
        return node.scheme() + "://127.0.0.1:" + node.address().getPort();
    }

    public record Response(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response request(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    public Response request(String method, String path, String authorization, String jsonBody, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    public Response asElastic(String method, String path, String jsonBody) throws Exception {
        return request(method, path, ELASTIC_BASIC, jsonBody, Map.of());
    }

    /** Puts a native role as {@code elastic}; fails unless it was stored. */
    public void putRole(String name, String body) throws Exception {
        Response r = asElastic("PUT", "/_security/role/" + name, body);
        if (r.status() != 200) {
            throw new AssertionError("role [" + name + "]: " + r.status() + " " + r.body());
        }
    }

    /** Creates a native user with the password {@code <name>-password} and one role, as {@code elastic}; see {@link #asUser}. */
    public void putUser(String name, String role) throws Exception {
        Response r = asElastic("POST", "/_security/user/" + name, "{\"password\":\"" + name + "-password\",\"roles\":[\"" + role + "\"]}");
        if (r.status() != 200) {
            throw new AssertionError("user [" + name + "]: " + r.status() + " " + r.body());
        }
    }

    /** The Basic credentials of a user made by {@link #putUser}. */
    public static String asUser(String name) {
        return basic(name, name + "-password");
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Response asElastic(String method, String path) throws Exception {
        return request(method, path, ELASTIC_BASIC);
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    @Override
    public void close() {
        node.close();
    }
}
