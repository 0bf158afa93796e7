package io.svctoken.cli;

import io.svctoken.cli.common.CliRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Elasticsearch's {@code -d} (start in the background: return once the node listens, or fail with the start error)
 * and {@code -p <pidfile>} (written on start, removed on stop), on the real launcher class in separate JVMs.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DaemonizeProcessTest {

    @TempDir
    Path tmp;

    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws IOException {
        // also the nodes of a test that failed before reading their pid file: a background node outlives its launcher
        try (var files = Files.walk(tmp)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                started.add(Long.parseLong(Files.readString(f).trim()));
            }
        } catch (NumberFormatException ignored) {
            // a pid file being written
        }
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private CliRunner.Result svctoken(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "-E", "xpack.security.http.ssl.enabled=false", "-E", "path.data=" + tmp.resolve("data"),
                "-E", "xpack.security.authc.password_hashing.algorithm=pbkdf2_1000"));
        cmd.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("ES_PATH_CONF");
        env.put("SVCTOKEN_HOME", tmp.toString());
        env.put("ELASTIC_PASSWORD", "daemon-password");
        return CliRunner.exec(cmd, env, tmp, "", 80);
    }

    private long pidIn(Path pidFile) throws IOException {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        started.add(pid);
        return pid;
    }

    @Test
    void daemonizeReturnsOnceListeningLogsToTheLogDirectoryAndThePidFileGoesOnStop() throws Exception {
        int port = freePort();
        Path pidFile = tmp.resolve("run/svctoken.pid");
        CliRunner.Result r = svctoken("-E", "http.port=" + port, "-d", "-p", pidFile.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(listening(port)).as("listening when -d returns").isTrue();
        assertThat(r.stdout()).as("log lines go to the log, not the terminal").doesNotContain("listening on");

        long pid = pidIn(pidFile);
        Optional<ProcessHandle> node = ProcessHandle.of(pid);
        assertThat(node).as("the pid file names the running node").isPresent();
        assertThat(node.get().info().command().orElse("")).endsWith("/java");
        Path log = tmp.resolve("logs/elasticsearch.log");
        assertThat(Files.readString(log)).contains("listening on http://");

        node.get().destroy(); // SIGTERM
        assertThat(node.get().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(pidFile).as("removed on stop").doesNotExist();
        assertThat(listening(port)).isFalse();
        assertThat(Files.readString(log)).contains("stopped").doesNotContain("daemon-password");
    }

    @Test
    void daemonizeFailsWithTheStartErrorAndLeavesNothingRunning() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            Path pidFile = tmp.resolve("svctoken.pid");
            CliRunner.Result r = svctoken("-E", "http.port=" + port, "-d", "-p", pidFile.toString());
            assertThat(r.exit()).as(r.toString()).isNotZero();
            assertThat(r.stderr()).contains(String.valueOf(port)).contains("in use").doesNotContain("\tat ");
            assertThat(pidFile).doesNotExist();
        }
    }

    @Test
    void aLogFileThatCannotBeOpenedIsSaidAndTheLauncherStillReturns() throws Exception {
        int port = freePort();
        Files.createDirectories(tmp.resolve("logs/elasticsearch.log")); // a directory where the log file should be
        Path pidFile = tmp.resolve("nolog.pid");
        CliRunner.Result r = svctoken("-E", "http.port=" + port, "-d", "-p", pidFile.toString());
        long pid = pidIn(pidFile);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("cannot write [" + tmp.resolve("logs/elasticsearch.log") + "]");
        assertThat(listening(port)).isTrue();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    @Test
    void aPidFileInTheForegroundHoldsTheJvmsPidUntilItStops() throws Exception {
        int port = freePort();
        Path pidFile = tmp.resolve("fg.pid");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "-E", "xpack.security.http.ssl.enabled=false",
                "-E", "path.data=" + tmp.resolve("data"), "-E", "http.port=" + port, "--pidfile", pidFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("fg.out").toFile());
        pb.environment().put("SVCTOKEN_HOME", tmp.toString());
        pb.environment().put("ELASTIC_PASSWORD", "fg-password");
        Process p = pb.start();
        started.add(p.pid());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening(port) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(100);
        }
        assertThat(listening(port)).as(Files.readString(tmp.resolve("fg.out"))).isTrue();
        assertThat(pidIn(pidFile)).isEqualTo(p.pid());
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aPidFileWhoseParentIsAFileIsAUsageErrorAsInElasticsearch() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        CliRunner.Result r = svctoken("-p", file.resolve("svctoken.pid").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(64);
        assertThat(r.stderr()).contains("pid file parent [" + file + "] exists but is not a directory");
        Path dir = Files.createDirectories(tmp.resolve("adir"));
        CliRunner.Result d = svctoken("-p", dir.toString());
        assertThat(d.exit()).as(d.toString()).isEqualTo(64);
        assertThat(d.stderr()).contains(dir + " exists but is not a regular file");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
