package io.svctoken.dist;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.cli.common.TrustedCa;
import io.svctoken.cli.common.UnprivilegedUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The release archive as an operator gets it: unpacked into an empty directory, with nothing of the source tree or
 * Maven, started by an unprivileged user with only a Java runtime on the PATH.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DistArchiveTest {

    private static final Pattern TOKEN_LINE = Pattern.compile("SERVICE_TOKEN elastic/fleet-server/from-archive = (\\S+)");

    @TempDir
    static Path tmp;

    static Path install;

    @BeforeAll
    static void unpack() throws IOException {
        Path archive = Path.of(System.getProperty("svctoken.dist.archive"));
        assertThat(archive).as("built by the package phase").isRegularFile();
        Path empty = Files.createDirectories(tmp.resolve("opt"));
        CliRunner.Result untar = CliRunner.command("tar", "-xzf", archive.toString(), "-C", empty.toString());
        assertThat(untar.exit()).as(untar.toString()).isZero();
        install = empty.resolve("svctoken-" + System.getProperty("svctoken.dist.version"));
        assertThat(install).isDirectory();
    }

    @Test
    void theArchiveHoldsLaunchersConfigLibrariesLicencesAndTheSystemdUnit() throws IOException {
        for (String tool : List.of("svctoken", "svctoken-env", "svctoken-cds", "elasticsearch-service-tokens", "elasticsearch-users",
                "elasticsearch-reset-password", "elasticsearch-create-enrollment-token")) {
            assertThat(install.resolve("bin").resolve(tool)).isRegularFile();
        }
        assertThat(Files.isExecutable(install.resolve("bin/svctoken"))).isTrue();
        for (String file : List.of("svctoken.yml", "jvm.options", "logback.xml", "jvm.options.d/README.txt")) {
            assertThat(install.resolve("config").resolve(file)).isRegularFile();
        }
        assertThat(install.resolve("lib/svctoken-cli.jar")).isRegularFile();
        assertThat(install.resolve("README.md")).isRegularFile();
        assertThat(install.resolve("NOTICE.txt")).isRegularFile();
        assertThat(install.resolve("systemd/svctoken.service")).isRegularFile();
        assertThat(install.resolve("cli")).as("no build tree").doesNotExist();
    }

    @Test
    void theThirdPartyListNamesEveryBundledJar() throws IOException {
        String list = Files.readString(install.resolve("licenses/THIRD-PARTY.md"));
        List<String> missing = new ArrayList<>();
        try (Stream<Path> jars = Files.list(install.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                if (name.startsWith("svctoken-") || !name.endsWith(".jar")) {
                    continue;
                }
                // the artifact name without its version and classifier: "netty-codec-http-4.1.140.Final.jar" -> "netty-codec-http",
                // "netty-transport-native-epoll-4.1.140.Final-linux-x86_64.jar" -> "netty-transport-native-epoll"
                String artifact = name.replaceFirst("-\\d[^-]*(\\.Final)?(-[A-Za-z][A-Za-z0-9_]*)*\\.jar$", "");
                if (!Pattern.compile("(^|[|,] ?)" + Pattern.quote(artifact) + "( ?[,|])").matcher(list).find()) {
                    missing.add(artifact);
                }
            }
        }
        assertThat(missing).as("jars in lib/ without a line in licenses/THIRD-PARTY.md").isEmpty();
    }

    @Test
    void theSystemdUnitPassesSystemdAnalyzeVerify() throws IOException {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/systemd-analyze")) || Files.isExecutable(Path.of("/bin/systemd-analyze"));
        // CI installs it (.ci/run): there a missing tool is a failure, not a skipped check
        assertThat(installed || System.getenv("CI") == null).as("systemd-analyze is missing in CI").isTrue();
        assumeTrue(installed, "systemd-analyze is not installed here; the check runs where it is");
        // The unit names /opt/svctoken; verify checks that ExecStart exists, so it is checked against this install.
        Path unit = Files.createDirectories(tmp.resolve("units")).resolve("svctoken.service");
        Files.writeString(unit, Files.readString(install.resolve("systemd/svctoken.service")).replace("/opt/svctoken", install.toString()));
        CliRunner.Result r = CliRunner.command("systemd-analyze", "verify", unit.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr() + r.stdout()).as("no warning about the unit").doesNotContain("svctoken.service");
        String text = Files.readString(unit);
        for (String option : List.of("User=svctoken", "NoNewPrivileges=true", "ProtectSystem=strict", "ProtectHome=true", "PrivateTmp=true",
                "PrivateDevices=true", "CapabilityBoundingSet=\n", "RestrictAddressFamilies=", "SystemCallFilter=@system-service",
                "LimitNOFILE=", "ReadWritePaths=")) {
            assertThat(text).contains(option);
        }
    }

    @Test
    void anUnprivilegedUserStartsTheUnpackedArchiveCreatesATokenWithItsCliAndAuthenticates() throws Exception {
        UnprivilegedUser.ensure();
        // The user owns the install (the first start writes config/certs, data/); the directories above it only let it through.
        for (Path dir = install.getParent(); dir.startsWith(tmp.getParent()) && !dir.equals(tmp.getParent()); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        UnprivilegedUser.sh("chown", "-R", UnprivilegedUser.NAME + ":", install.toString());

        int port = freePort();
        Path pidFile = install.resolve("svctoken.pid");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "ELASTIC_PASSWORD", "archive-password", "LANG", "C.UTF-8");
        // -d: returns once the node listens (as Elasticsearch's), the node logging to <install>/logs
        CliRunner.Result start = CliRunner.exec(asUser("bash", install.resolve("bin/svctoken").toString(), "-d", "-p", pidFile.toString(),
                "-E", "http.port=" + port), env, install, "", 100);
        assertThat(start.exit()).as(start.toString()).isZero();
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle node = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid + "\n" + start));
        Path log = install.resolve("logs/elasticsearch.log");
        try {
            assertThat(start.stdout()).as("the first-start banner reaches the terminal").contains("HTTP CA certificate SHA-256 fingerprint");
            HttpClient http = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(install.resolve("config/certs/http_ca.crt")))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> root = get(http, port, "/", basic("elastic", "archive-password"));
            assertThat(root.statusCode()).as(root.body()).isEqualTo(200);
            assertThat(root.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
            // the server's own defaults (ServerJvmDefaults) are in the running node
            CliRunner.Result props = CliRunner.exec(asUser("jcmd", String.valueOf(pid), "VM.system_properties"), Map.of("PATH", "/usr/bin:/bin"),
                    install);
            assertThat(props.stdout()).as(props.toString()).contains("io.netty.leakDetection.level=disabled");
            // bin/svctoken's JIT setting for the server, and the event loops on epoll (Netty's native library loads for
            // an unprivileged user, unpacked to the temporary directory)
            CliRunner.Result flags = CliRunner.exec(asUser("jcmd", String.valueOf(pid), "VM.flags"), Map.of("PATH", "/usr/bin:/bin"), install);
            assertThat(flags.stdout()).as(flags.toString()).contains("-XX:Tier4InvocationThreshold=100000")
                    .contains("-XX:Tier4BackEdgeThreshold=1000000");
            CliRunner.Result threads = CliRunner.exec(asUser("jcmd", String.valueOf(pid), "Thread.print"), Map.of("PATH", "/usr/bin:/bin"), install);
            assertThat(threads.stdout()).as("event loops on epoll").contains("io.netty.channel.epoll.EpollEventLoop.run");

            CliRunner.Result created = CliRunner.exec(asUser("bash", install.resolve("bin/elasticsearch-service-tokens").toString(),
                    "create", "elastic/fleet-server", "from-archive"), Map.of("PATH", "/usr/bin:/bin"), install);
            assertThat(created.exit()).as(created.toString()).isZero();
            Matcher token = TOKEN_LINE.matcher(created.stdout());
            assertThat(token.find()).as(created.stdout()).isTrue();

            // the node reads the file tokens it watches within a few seconds
            HttpResponse<String> who = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                who = get(http, port, "/_security/_authenticate", "Bearer " + token.group(1));
                if (who.statusCode() == 200) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(who.statusCode()).as(who.body()).isEqualTo(200);
            assertThat(who.body()).contains("\"username\":\"elastic/fleet-server\"").contains("\"name\":\"from-archive\"");

            node.destroy(); // SIGTERM, as systemd and kill $(cat pidfile) stop it
            assertThat(node.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("stopped within 30 s").isFalse();
            assertThat(pidFile).as("removed on stop").doesNotExist();
            String text = Files.readString(log);
            assertThat(text).contains("listening on https://").contains("stopping node").doesNotContain("\tat ")
                    .doesNotContain("archive-password");
            assertThat(install.resolve("data")).isDirectory();
        } finally {
            node.destroyForcibly();
        }
    }

    private static List<String> asUser(String... cmd) {
        String group = CliRunner.command("id", "-gn", UnprivilegedUser.NAME).stdout().trim();
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + UnprivilegedUser.NAME, "--regid=" + group, "--init-groups", "--"));
        full.addAll(List.of(cmd));
        return full;
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
