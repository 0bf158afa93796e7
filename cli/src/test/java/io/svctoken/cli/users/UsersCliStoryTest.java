package io.svctoken.cli.users;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.server.Node;
import io.svctoken.server.settings.NodeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The users the CLI writes are the running node's file-realm users within a second, with their roles. */
class UsersCliStoryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    private static HttpResponse<String> authenticate(String base, String user, String password) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_security/_authenticate")).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> within(String base, String user, String password, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        HttpResponse<String> r;
        do {
            r = authenticate(base, user, password);
            if (r.statusCode() == expected) {
                return r;
            }
            Thread.sleep(25);
        } while (System.nanoTime() < deadline);
        return r;
    }

    private static void ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void addChangeRoleAndDeleteAFileUserOfARunningNode() throws Exception {
        Path conf = Files.createDirectories(home.resolve("config"));
        Files.writeString(conf.resolve("users"), "");
        Files.writeString(conf.resolve("users_roles"), "");
        Node node = Node.start(new NodeSettings(home, conf, Map.of("http.port", "0", "xpack.security.http.ssl.enabled", "false",
                        "xpack.security.authc.password_hashing.algorithm", "pbkdf2_1000")), Map.of("ELASTIC_PASSWORD", "story-pass"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            String base = "http://127.0.0.1:" + node.address().getPort();
            CliRunner cli = CliRunner.users(conf);

            ok(cli.run("useradd", "ops", "-p", "ops-password", "-r", "viewer"));
            HttpResponse<String> me = within(base, "ops", "ops-password", 200);
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(me.body()).contains("\"username\":\"ops\"", "\"roles\":[\"viewer\"]", "\"authentication_realm\":{\"name\":\"default_file\"");

            ok(cli.stdin("ops-password-2\nops-password-2\n").run("passwd", "ops"));
            assertThat(within(base, "ops", "ops-password", 401).statusCode()).isEqualTo(401);
            assertThat(within(base, "ops", "ops-password-2", 200).statusCode()).isEqualTo(200);

            ok(cli.run("roles", "ops", "-a", "superuser", "-r", "viewer"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!authenticate(base, "ops", "ops-password-2").body().contains("\"roles\":[\"superuser\"]") && System.nanoTime() < deadline) {
                Thread.sleep(25);
            }
            assertThat(authenticate(base, "ops", "ops-password-2").body()).contains("\"roles\":[\"superuser\"]");

            ok(cli.run("userdel", "ops"));
            assertThat(within(base, "ops", "ops-password-2", 401).statusCode()).isEqualTo(401);
        } finally {
            node.close();
        }
    }
}
