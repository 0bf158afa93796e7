package io.svctoken.cli.tokens;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.server.Node;
import io.svctoken.server.settings.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole story of the service-tokens CLI against a running server (issue: "create a token with the
 * CLI, use it at once over HTTP, see it in the credentials API, delete it, and it stops working within a
 * second").
 */
class CliStoryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    private static int status(String base, String path, String auth) throws Exception {
        return send(base, path, auth).statusCode();
    }

    private static HttpResponse<String> send(String base, String path, String auth) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int statusWithin(String base, String auth, int expected, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        int s;
        do {
            s = status(base, "/_security/_authenticate", auth);
            if (s == expected) {
                return s;
            }
            Thread.sleep(25);
        } while (System.nanoTime() < deadline);
        return s;
    }

    private static String tokenFrom(CliRunner.Result created) {
        assertThat(created.exit()).as(created.toString()).isZero();
        String line = created.stdout().trim();
        assertThat(line).startsWith("SERVICE_TOKEN elastic/fleet-server/story = ");
        return line.substring(line.indexOf(" = ") + 3);
    }

    @Test
    void createUseListDeleteAgainstARunningServer() throws Exception {
        Path conf = Files.createDirectories(home.resolve("config"));
        Node node = Node.start(new NodeSettings(home, conf, Map.of("http.port", "0", "node.name", "story-node", "xpack.security.http.ssl.enabled", "false",
                "xpack.security.authc.password_hashing.algorithm", "pbkdf2_1000")), Map.of("ELASTIC_PASSWORD", "story-pass"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            String base = "http://127.0.0.1:" + node.address().getPort();
            String elastic = "Basic " + Base64.getEncoder().encodeToString("elastic:story-pass".getBytes(StandardCharsets.UTF_8));
            CliRunner cli = CliRunner.forConfig(conf);

            String bearer = "Bearer " + tokenFrom(cli.run(CliRunner.FAST_HASH, "create", "elastic/fleet-server", "story"));
            assertThat(statusWithin(base, bearer, 200, 1000)).isEqualTo(200);
            HttpResponse<String> me = send(base, "/_security/_authenticate", bearer);
            assertThat(me.body()).contains("\"token\":{\"name\":\"story\",\"type\":\"_service_account_file\"}");

            HttpResponse<String> creds = send(base, "/_security/service/elastic/fleet-server/credential", elastic);
            assertThat(creds.body()).contains("\"file_tokens\":{\"story\":{\"nodes\":[\"story-node\"]}}");
            assertThat(cli.run("list").stdout()).isEqualTo("elastic/fleet-server/story\n");

            CliRunner.Result deleted = cli.run("delete", "elastic/fleet-server", "story");
            assertThat(deleted.exit()).as(deleted.toString()).isZero();
            assertThat(statusWithin(base, bearer, 401, 1000)).isEqualTo(401);
        } finally {
            node.close();
        }
    }

    /**
     * The trap of Elasticsearch issues #81378/#124771: the server runs as its own user and root runs the
     * CLI. Here the server really runs unprivileged, so only a file it can read makes the token work.
     */
    @Test
    void rootRunningTheCliNeverLocksOutAnUnprivilegedServer() throws Exception {
        assumeTrue(CliRunner.command("id", "-u").stdout().trim().equals("0"), "needs root to create and switch to a test user");
        String user = ServiceTokensCliPermissionsTest.USER;
        if (CliRunner.command("id", "-u", user).exit() != 0) {
            assertThat(CliRunner.command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user).exit()).isZero();
        }
        Path base = Files.createTempDirectory("svctoken-story");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(base.resolve("config"));
        Path data = Files.createDirectories(base.resolve("data"));
        for (Path p : List.of(conf, data)) {
            assertThat(CliRunner.command("chown", user + ":", p.toString()).exit()).isZero();
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-x---"));
        }
        // a config directory whose group the server's user is not in (root's): the server still sets up its files
        assertThat(CliRunner.command("chgrp", "root", conf.toString()).exit()).isZero();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String group = CliRunner.command("id", "-gn", user).stdout().trim();
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--init-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", CliRunner.worldReadableClassPath(),
                "io.svctoken.cli.Main", "-E", "http.port=" + port, "-E", "path.data=" + data, "-E", "xpack.security.http.ssl.enabled=false",
                "-E", "xpack.security.authc.password_hashing.algorithm=pbkdf2_1000"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(base.toFile());
        pb.environment().put("ES_PATH_CONF", conf.toString());
        pb.environment().put("SVCTOKEN_HOME", base.toString());
        pb.environment().put("ELASTIC_PASSWORD", "story-pass");
        Process server = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder log = new StringBuilder();
            while ((line = out.readLine()) != null && !line.contains("listening on http://")) {
                log.append(line).append('\n');
            }
            assertThat(line).as(log.toString()).isNotNull();
            assertThat(log.toString()).doesNotContain("could not create an empty");
            for (String f : List.of("users", "users_roles")) {
                assertThat(Files.getOwner(conf.resolve(f)).getName()).isEqualTo(user);
                assertThat(Files.getPosixFilePermissions(conf.resolve(f))).isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe flowing
                    }
                } catch (Exception ignored) {
                    // process ended
                }
            });
            drain.setDaemon(true);
            drain.start();

            // root creates the file for the first time, in the server user's config directory
            String bearer = "Bearer " + tokenFrom(CliRunner.forConfig(conf).run(CliRunner.FAST_HASH, "create", "elastic/fleet-server", "story"));
            assertThat(statusWithin("http://127.0.0.1:" + port, bearer, 200, 2000)).isEqualTo(200);
            assertThat(Files.getOwner(conf.resolve("service_tokens")).getName()).isEqualTo(user);
        } finally {
            server.toHandle().destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            CliRunner.deleteTree(base);
        }
    }
}
