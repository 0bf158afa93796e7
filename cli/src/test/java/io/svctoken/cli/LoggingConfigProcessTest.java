package io.svctoken.cli;

import io.svctoken.cli.common.CliRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
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
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log levels through Elasticsearch's {@code logger.<name>} and {@code logger.level} settings (svctoken.yml and -E), and the
 * logging configuration file {@code <config>/logback.xml}, on the real launcher class in a separate JVM.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LoggingConfigProcessTest {

    @TempDir
    Path tmp;

    private Path config;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void config() throws IOException {
        config = Files.createDirectories(tmp.resolve("config"));
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    private final List<String> jvmOptions = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");

    /** The class path without the tests' directories and jars that hold a {@code logback-test.xml}. */
    private static String withoutLogbackTestFiles(String classPath) throws IOException {
        List<String> kept = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            boolean hasFile;
            if (Files.isDirectory(p)) {
                hasFile = Files.exists(p.resolve("logback-test.xml"));
            } else if (Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    hasFile = jar.getEntry("logback-test.xml") != null;
                }
            } else {
                hasFile = false;
            }
            if (!hasFile) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, Main.class.getName(),
                "-E", "xpack.security.http.ssl.enabled=false", "-E", "path.data=" + tmp.resolve("data"),
                "-E", "xpack.security.authc.password_hashing.algorithm=pbkdf2_1000"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("ES_PATH_CONF", config.toString());
        env.put("SVCTOKEN_HOME", tmp.toString());
        env.put("ELASTIC_PASSWORD", "logging-password");
        return env;
    }

    /** Starts the node, waits until its port answers, stops it (SIGTERM) and answers everything it wrote. */
    private String runUntilListening(String... args) throws Exception {
        int port = freePort();
        List<String> cmd = command(args);
        cmd.addAll(List.of("-E", "http.port=" + port));
        Path out = tmp.resolve("out-" + processes.size() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        Process p = pb.start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening(port) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(listening(port)).as(Files.readString(out)).isTrue();
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Files.readString(out);
    }

    @Test
    void aLoggerSettingOnTheCommandLineSetsThatLoggersLevel() throws Exception {
        String out = runUntilListening("-E", "logger.io.svctoken.server.Node=warn");
        assertThat(out).doesNotContain("listening on").contains("created the schema"); // the store's logger keeps INFO
    }

    @Test
    void loggerLevelInSvctokenYmlSetsTheRootLevel() throws Exception {
        Files.writeString(config.resolve("svctoken.yml"), "logger:\n  level: WARN\n");
        String out = runUntilListening();
        assertThat(out).doesNotContain("created the schema").doesNotContain("listening on");
    }

    @Test
    void withoutLogbackXmlTheBuiltInConfigurationIsSetUpWithoutLogbacksXmlReader() throws Exception {
        // Joran (Logback's XML reader) cost a start ~120 ms and 520 classes; the same configuration is set up in code
        jvmOptions.add("-Xlog:class+load=info:stdout");
        classPath = withoutLogbackTestFiles(classPath); // as installed: a test jar's logback-test.xml would win
        String out = runUntilListening();
        assertThat(out).containsPattern("(?m)^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\]\\[INFO \\]"
                + "\\[io\\.svctoken\\.server\\.Node\\] \\[main\\] node \\[.*listening on http://");
        assertThat(out.lines().filter(l -> l.contains("[class,load]"))).as("classes loaded")
                .anyMatch(l -> l.contains(" ch.qos.logback.classic.LoggerContext "))
                .noneMatch(l -> l.contains("JoranConfigurator ") || l.contains("XMLConfigurator ") || l.contains(".joran.action."));
    }

    @Test
    void logbackXmlInTheConfigDirectoryReplacesTheBuiltInConfiguration() throws Exception {
        Files.writeString(config.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>CUSTOM %level %logger{0} %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        String out = runUntilListening("-E", "logger.org.flywaydb=info");
        assertThat(out).contains("CUSTOM INFO Node node [");
        assertThat(out.lines().filter(l -> !l.isBlank())).allMatch(l -> l.startsWith("CUSTOM "));
    }

    @Test
    void anUnknownLevelStopsTheStartWithElasticsearchsMessage() {
        CliRunner.Result r = CliRunner.exec(command("-E", "logger.io.svctoken=loud"), env(), tmp);
        assertThat(r.exit()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).contains("Unknown level constant [LOUD].");
    }

    @Test
    void aBrokenLogbackXmlStopsTheStartNamingTheFile() throws IOException {
        Files.writeString(config.resolve("logback.xml"), "<configuration><appender name=");
        CliRunner.Result r = CliRunner.exec(command(), env(), tmp);
        assertThat(r.exit()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).contains(config.resolve("logback.xml").toString()).doesNotContain("\tat ");
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
