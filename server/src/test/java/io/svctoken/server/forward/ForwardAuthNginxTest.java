package io.svctoken.server.forward;

import com.sun.net.httpserver.HttpServer;
import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forward authentication with a real nginx ({@code auth_request}) in front of a static location and a proxied
 * application, svctoken deciding. nginx is Debian's package (CI installs it); without it this test fails in CI
 * ({@code CI} set) and is skipped elsewhere.
 */
class ForwardAuthNginxTest {

    @TempDir
    static Path home;
    @TempDir
    static Path nginxDir;
    static TestNode node;
    static Process nginx;
    static HttpServer app;
    static final AtomicReference<String> appSawPrincipal = new AtomicReference<>();
    static int port;
    static String token;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The nginx snippet the README shows, with this test's ports and directories. */
    static String config(Path dir, int listen, int svctoken, int appPort, boolean root) {
        return (root ? "user root root;\n" : "") + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 64; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        # any authenticated caller
                        location /static/ {
                            auth_request /_svctoken_auth;
                            auth_request_set $svctoken_principal $upstream_http_x_svctoken_principal;
                            add_header X-Svctoken-Principal $svctoken_principal always;
                            root %1$s/html;
                        }
                        # callers whose privileges grant an action (here manage_security's)
                        location /admin/ {
                            auth_request /_svctoken_auth_admin;
                            root %1$s/html;
                        }
                        # the principal passed on to the application
                        location /app/ {
                            auth_request /_svctoken_auth;
                            auth_request_set $svctoken_principal $upstream_http_x_svctoken_principal;
                            proxy_set_header X-Svctoken-Principal $svctoken_principal;
                            proxy_set_header Authorization "";
                            proxy_pass http://127.0.0.1:%4$d;
                        }
                        location = /_svctoken_auth {
                            internal;
                            proxy_pass http://127.0.0.1:%3$d/_svctoken/auth;
                            proxy_pass_request_body off;
                            proxy_set_header Content-Length "";
                        }
                        location = /_svctoken_auth_admin {
                            internal;
                            proxy_pass http://127.0.0.1:%3$d/_svctoken/auth?action=cluster:admin/xpack/security/user/put;
                            proxy_pass_request_body off;
                            proxy_set_header Content-Length "";
                        }
                    }
                }
                """.formatted(dir, listen, svctoken, appPort);
    }

    static Path nginxBinary() {
        for (String p : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @BeforeAll
    static void start() throws Exception {
        Path binary = nginxBinary();
        if (binary == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("nginx is not installed; CI installs Debian's nginx package (.ci/run)");
            }
            Assumptions.abort("nginx is not installed (not in CI: skipped)");
        }
        node = TestNode.start(home, Map.of());
        TestNode.Response created = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/nginx-test", null);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        token = created.json().at("/token/value").asText();

        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", ex -> {
            appSawPrincipal.set(ex.getRequestHeaders().getFirst("X-Svctoken-Principal"));
            byte[] b = "from the app".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        app.start();

        Files.createDirectories(nginxDir.resolve("html/static"));
        Files.createDirectories(nginxDir.resolve("html/admin"));
        Files.writeString(nginxDir.resolve("html/static/hello.txt"), "hello from nginx\n");
        Files.writeString(nginxDir.resolve("html/admin/secret.txt"), "admins only\n");
        port = freePort();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path conf = nginxDir.resolve("nginx.conf");
        Files.writeString(conf, config(nginxDir, port, node.node().address().getPort(), app.getAddress().getPort(), root));
        nginx = new ProcessBuilder(binary.toString(), "-p", nginxDir.toString(), "-e", nginxDir.resolve("error.log").toString(),
                "-c", conf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(nginxDir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listening(port)) {
            if (!nginx.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("nginx did not start: " + Files.readString(nginxDir.resolve("nginx.out"))
                        + (Files.exists(nginxDir.resolve("error.log")) ? Files.readString(nginxDir.resolve("error.log")) : ""));
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (app != null) {
            app.stop(0);
        }
        if (node != null) {
            node.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int p) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noCredentialsAre401WithElasticsearchsChallenge() throws Exception {
        HttpResponse<String> r = get("/static/hello.txt", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"security\", charset=\"UTF-8\"");
        assertThat(r.body()).doesNotContain("hello from nginx");
    }

    @Test
    void aValidServiceTokenGetsTheFileAndItsPrincipal() throws Exception {
        HttpResponse<String> r = get("/static/hello.txt", "Bearer " + token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from nginx\n");
        assertThat(r.headers().firstValue("X-Svctoken-Principal")).hasValue("elastic/fleet-server");
    }

    @Test
    void thePrincipalIsPassedToTheApplication() throws Exception {
        HttpResponse<String> r = get("/app/x", TestNode.ELASTIC_BASIC);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("from the app");
        assertThat(appSawPrincipal.get()).isEqualTo("elastic");
    }

    @Test
    void aWrongTokenIs401() throws Exception {
        String wrong = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(get("/static/hello.txt", "Bearer " + wrong).statusCode()).isEqualTo(401);
        assertThat(get("/static/hello.txt", TestNode.basic("elastic", "wrong-password")).statusCode()).isEqualTo(401);
    }

    @Test
    void aPrivilegeTheCallerLacksIs403() throws Exception {
        HttpResponse<String> denied = get("/admin/secret.txt", "Bearer " + token);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).doesNotContain("admins only");
        HttpResponse<String> allowed = get("/admin/secret.txt", TestNode.ELASTIC_BASIC);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("admins only\n");
    }

    @Test
    void svctokenAnswersTheCheckDirectlyWithHeadersForTraefikAndEnvoy() throws Exception {
        List<String> methods = new ArrayList<>(List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"));
        for (String m : methods) {
            TestNode.Response r = node.request(m, "/_svctoken/auth", "Bearer " + token);
            assertThat(r.status()).as(m).isEqualTo(200);
            assertThat(r.header("X-Svctoken-Principal")).isEqualTo("elastic/fleet-server");
            assertThat(r.header("X-Svctoken-Realm")).isEqualTo("_service_account");
            assertThat(r.header("X-Svctoken-Authentication-Type")).isEqualTo("token");
            assertThat(r.header("X-Svctoken-Service-Account")).isEqualTo("elastic/fleet-server");
            assertThat(r.header("X-Svctoken-Token-Name")).isEqualTo("nginx-test");
            assertThat(r.header("X-Svctoken-Token-Source")).isEqualTo("index");
        }
        TestNode.Response user = node.request("GET", "/_svctoken/auth", TestNode.ELASTIC_BASIC);
        assertThat(user.header("X-Svctoken-Principal")).isEqualTo("elastic");
        assertThat(user.header("X-Svctoken-Realm")).isEqualTo("reserved");
        assertThat(user.header("X-Svctoken-Authentication-Type")).isEqualTo("realm");
        assertThat(user.header("X-Svctoken-Service-Account")).isNull();
        TestNode.Response denied = node.request("GET", "/_svctoken/auth?action=cluster:admin/xpack/security/user/put", "Bearer " + token);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().at("/error/reason").asText())
                .startsWith("action [cluster:admin/xpack/security/user/put] is unauthorized for service account [elastic/fleet-server]");
        TestNode.Response notCluster = node.request("GET", "/_svctoken/auth?action=indices:data/read/search", TestNode.ELASTIC_BASIC);
        assertThat(notCluster.status()).isEqualTo(400);
    }

    @Test
    void envoysPathPrefixFormIsAcceptedToo() throws Exception {
        // Envoy's ext_authz (HTTP) asks for path_prefix + the original path
        TestNode.Response r = node.request("POST", "/_svctoken/auth/api/v1/items?page=2", "Bearer " + token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("X-Svctoken-Principal")).isEqualTo("elastic/fleet-server");
        assertThat(node.request("GET", "/_svctoken/auth/x", null).status()).isEqualTo(401);
    }

    @Test
    void aThrottledCallerIs429() throws Exception {
        assertThat(node.asElastic("POST", "/_security/user/throttled", "{\"password\":\"throttled-password\",\"roles\":[]}").status())
                .isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(node.request("GET", "/_svctoken/auth", TestNode.basic("throttled", "wrong-" + i)).status()).isEqualTo(401);
        }
        TestNode.Response r = node.request("GET", "/_svctoken/auth", TestNode.basic("throttled", "throttled-password"));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isNotNull();
    }
}
