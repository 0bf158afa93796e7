package io.svctoken.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.cli.common.CliRunner;
import io.svctoken.cli.common.UnprivilegedUser;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node runs as an unprivileged user (as in production) and finds its security files unreadable:
 * each message names the cause without a stack trace and ends with a command computed from the file's
 * owner, group and mode and from the node's user and groups. Applied literally (as root), the command
 * makes the file readable, and the node reads it within its reload interval, without a restart
 * (the {@code service_tokens} file stops the start, and the next start works).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnreadableFilesProcessTest {

    private static final String USER = UnprivilegedUser.NAME;
    /** A hint's command is quoted in backticks. */
    private static final Pattern COMMAND = Pattern.compile("`([^`]+)`");
    /** The hint before this test existed, so that it shows where following it led (the file stayed unreadable). */
    private static final Pattern OLD_HINT = Pattern.compile("for example: (.+?) \\(and make sure");
    private static final ObjectMapper JSON = new ObjectMapper();

    private String group;
    private Path base;
    private Path home;
    private Path conf;
    private Process server;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() throws IOException {
        group = UnprivilegedUser.ensure();
        base = Files.createTempDirectory("svctoken-unreadable");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        home = Files.createDirectories(base.resolve("home"));
        conf = Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        CliRunner.deleteTree(base);
    }

    private static String pbkdf2(String password) {
        return Hasher.resolve("pbkdf2_1000").hash(Secret.of(password));
    }

    @Test
    void usersUsersRolesAndRolesYmlAreReadOnceTheLoggedCommandsAreApplied() throws Exception {
        Path users = Files.writeString(conf.resolve("users"), "ops:" + pbkdf2("ops-pass") + "\n");
        Path usersRoles = Files.writeString(conf.resolve("users_roles"), "token_admin:ops\n");
        Path rolesYml = Files.writeString(conf.resolve("roles.yml"), "token_admin:\n  cluster: [manage_service_account]\n");
        ownedByTheNodeUserExceptTheConfigDirectory();
        // the report's case: group root, readable by the group, and the node's user not in it
        UnprivilegedUser.sh("chown", "root:root", users.toString());
        UnprivilegedUser.sh("chmod", "640", users.toString());
        UnprivilegedUser.sh("chown", "root:root", usersRoles.toString());
        UnprivilegedUser.sh("chmod", "600", usersRoles.toString());
        // the node's own file, but without read permission for its owner
        UnprivilegedUser.sh("chmod", "200", rolesYml.toString());
        assertThat(UnprivilegedUser.cat(users).exit()).as("unreadable for the node's user").isNotZero();

        int port = freePort();
        startAsUser(port);
        awaitOutput(l -> l.contains("listening on http://"));
        assertThat(login(port, "ops", "ops-pass").status()).as("nothing read yet").isEqualTo(401);

        for (Path file : List.of(users, usersRoles, rolesYml)) {
            String line = output.stream().filter(l -> l.contains("[" + file + "]") && l.contains("ERROR")).findFirst()
                    .orElseThrow(() -> new AssertionError("no message about " + file + " in\n" + String.join("\n", output)));
            String command = hintCommand(line);
            CliRunner.Result applied = CliRunner.command("sh", "-c", command);
            assertThat(applied.exit()).as(command + "\n" + applied).isZero();
        }
        assertThat(String.join("\n", output)).as("no stack trace for an unreadable file").doesNotContain("\tat ").doesNotContain("Exception:");

        // read within the reload interval (250 ms), no restart: users, users_roles and roles.yml all in effect
        long deadline = System.currentTimeMillis() + 5000;
        Response me;
        do {
            Thread.sleep(100);
            me = login(port, "ops", "ops-pass");
        } while ((me.status() != 200 || !me.body().contains("token_admin")) && System.currentTimeMillis() < deadline);
        assertThat(me.status()).as(me.body() + "\n" + String.join("\n", output)).isEqualTo(200);
        assertThat(me.json().get("roles").toString()).isEqualTo("[\"token_admin\"]");
        // roles.yml has its own poll: a failed login re-reads the users files at once, so they can be in effect first
        Response token;
        do {
            token = send(port, "PUT", "/_security/service/elastic/fleet-server/credential/token/by-ops", basic("ops", "ops-pass"));
        } while (token.status() == 403 && System.currentTimeMillis() < deadline && sleep(100));
        assertThat(token.status()).as("roles.yml read: " + token.body() + "\n" + String.join("\n", output)).isEqualTo(200);
    }

    @Test
    void anUnreadableServiceTokensFileStopsTheStartWithACommandThatWorks() throws Exception {
        String secret = "file-token-secret";
        Path tokens = Files.writeString(conf.resolve("service_tokens"),
                "elastic/fleet-server/from-file:" + Hasher.resolve("pbkdf2_stretch_1000").hash(Secret.of(secret)) + "\n");
        ownedByTheNodeUserExceptTheConfigDirectory();
        UnprivilegedUser.sh("chown", "root:root", tokens.toString());
        UnprivilegedUser.sh("chmod", "640", tokens.toString());

        int port = freePort();
        startAsUser(port);
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
        assertThat(server.exitValue()).as(String.join("\n", output)).isEqualTo(78);
        String line = output.stream().filter(l -> l.contains("[" + tokens + "]")).findFirst()
                .orElseThrow(() -> new AssertionError(String.join("\n", output)));
        assertThat(String.join("\n", output)).doesNotContain("\tat ");
        String command = hintCommand(line);
        CliRunner.Result applied = CliRunner.command("sh", "-c", command);
        assertThat(applied.exit()).as(command + "\n" + applied).isZero();

        output.clear();
        startAsUser(port);
        awaitOutput(l -> l.contains("listening on http://"));
        String bearer = "Bearer " + new ServiceAccountToken(TokenId.of("elastic/fleet-server", "from-file"), Secret.of(secret)).asBearer()
                .revealAsString(SecretAccess.plaintext());
        Response me = send(port, "GET", "/_security/_authenticate", bearer);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("username").asText()).isEqualTo("elastic/fleet-server");
    }

    /** The data directory is the node's; the config directory is root's (group root, 755), as a package installs it. */
    private void ownedByTheNodeUserExceptTheConfigDirectory() {
        UnprivilegedUser.sh("chown", "-R", USER + ":" + group, home.toString());
        UnprivilegedUser.sh("chown", "root:root", conf.toString());
        UnprivilegedUser.sh("chmod", "755", conf.toString());
    }

    private static String hintCommand(String line) {
        Matcher m = COMMAND.matcher(line);
        if (m.find()) {
            return m.group(1);
        }
        Matcher old = OLD_HINT.matcher(line);
        if (old.find()) {
            return old.group(1);
        }
        throw new AssertionError("no command in: " + line);
    }

    private void startAsUser(int port) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + group, "--init-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", CliRunner.worldReadableClassPath(), Main.class.getName(),
                "-E", "xpack.security.http.ssl.enabled=false", "-E", "http.port=" + port, "-E", "path.data=" + home.resolve("data"),
                "-E", "xpack.security.authc.password_hashing.algorithm=pbkdf2_1000",
                "-E", "xpack.security.authc.service_token_hashing.algorithm=pbkdf2_stretch_1000"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        env.put("SVCTOKEN_HOME", home.toString());
        env.put("ELASTIC_PASSWORD", "elastic-pass");
        server = pb.start();
        Process p = server;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    output.add(l);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void awaitOutput(Predicate<String> line) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            synchronized (output) {
                if (output.stream().anyMatch(line)) {
                    return;
                }
            }
            if (!server.isAlive()) {
                throw new AssertionError("the node stopped:\n" + String.join("\n", output));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out:\n" + String.join("\n", output));
    }

    private record Response(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private Response login(int port, String user, String password) throws Exception {
        return send(port, "GET", "/_security/_authenticate", basic(user, password));
    }

    private Response send(int port, String method, String path, String authorization) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", authorization).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }
}
