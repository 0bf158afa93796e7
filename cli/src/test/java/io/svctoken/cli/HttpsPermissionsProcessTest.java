package io.svctoken.cli;

import io.svctoken.cli.common.TrustedCa;
import io.svctoken.cli.common.CliRunner;
import io.svctoken.cli.common.UnprivilegedUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A permission mistake never turns HTTPS off: a node whose auto-configured {@code config/certs} its user cannot
 * read stops with exit code 78, naming the directory and the least-privilege fix for that user (computed from
 * the real owner, group and mode), and once the fix is applied the same start serves HTTPS with the same CA.
 * The server really runs as an unprivileged user ({@link UnprivilegedUser}): root reads every file.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HttpsPermissionsProcessTest {

    private static final String PASSWORD = "perm-test-pass";
    private final List<ServerProcessTest.ServerProcess> processes = new ArrayList<>();
    private Path base;

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (ServerProcessTest.ServerProcess p : processes) {
            p.kill();
        }
        if (base != null) {
            CliRunner.deleteTree(base);
        }
    }

    @Test
    void rootOwnedCertificatesStopAnUnprivilegedRestartWithExitCode78AndAFixThatWorks() throws Exception {
        String group = UnprivilegedUser.ensure();
        String user = UnprivilegedUser.NAME;
        base = Files.createTempDirectory(Path.of("/tmp"), "svctoken-tls-perm-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectory(base.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = base.resolve("data");
        Path config = home.resolve("config");
        Path certs = config.resolve("certs");

        // root's first start auto-configures HTTPS: config/certs is root's (0750, files 0660)
        int port = freePort();
        ServerProcessTest.ServerProcess first = start(null, home, data, port);
        first.awaitLine(l -> l.contains("listening on https://"), Duration.ofSeconds(90), "https listening line");
        first.stop();
        assertThat(Files.getOwner(certs).getName()).isEqualTo("root");

        // the node now runs as an unprivileged user owning a non-empty data directory and the realm files
        UnprivilegedUser.sh("chown", "-R", user + ":" + group, data.toString(), config.resolve("users").toString(),
                config.resolve("users_roles").toString());
        UnprivilegedUser.sh("chmod", "755", config.toString());
        UnprivilegedUser.sh("chown", "root:root", certs.toString());
        UnprivilegedUser.sh("chmod", "750", certs.toString());

        ServerProcessTest.ServerProcess refused = start(user, home, data, port);
        assertThat(refused.awaitExit()).as(refused.toString()).isEqualTo(78);
        assertThat(refused.stdoutText()).doesNotContain("listening on");
        String fix = "chgrp -R " + group + " " + certs + " && chmod -R g+rX " + certs;
        assertThat(refused.stderrText()).as(refused.toString())
                .isEqualTo("svctoken: cannot start: cannot read the auto-configured HTTPS certificates in [" + certs + "]: the server runs"
                        + " as [" + user + "], and [" + certs + "] belongs to [root:root] with permissions [rwxr-x---]. Let the server's"
                        + " group read them (as root): " + fix);

        // the fix as printed, run as root, makes the same start serve HTTPS with the same CA
        UnprivilegedUser.sh("sh", "-c", fix);
        ServerProcessTest.ServerProcess fixed = start(user, home, data, port);
        fixed.awaitLine(l -> l.contains("listening on https://127.0.0.1:" + port), Duration.ofSeconds(60), "https listening line");
        HttpClient client = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(certs.resolve("http_ca.crt")))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> me = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/_security/_authenticate"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("elastic:" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        fixed.stop();
    }

    /** The server as {@code user} (null: as root), with the install at {@code home}. */
    private ServerProcessTest.ServerProcess start(String user, Path home, Path data, int port) throws IOException {
        List<String> cmd = new ArrayList<>();
        String cp = System.getProperty("java.class.path");
        if (user != null) {
            String group = CliRunner.command("id", "-gn", user).stdout().trim();
            cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--init-groups"));
            cp = CliRunner.worldReadableClassPath();
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, Main.class.getName(),
                "-E", "http.port=" + port, "-E", "path.data=" + data,
                "-E", "xpack.security.authc.password_hashing.algorithm=pbkdf2_1000"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(base.toFile());
        pb.environment().remove("ES_PATH_CONF");
        pb.environment().put("SVCTOKEN_HOME", home.toString());
        pb.environment().put("ELASTIC_PASSWORD", PASSWORD);
        ServerProcessTest.ServerProcess p = new ServerProcessTest.ServerProcess(pb.start(), String.join(" ", cmd));
        processes.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

}
