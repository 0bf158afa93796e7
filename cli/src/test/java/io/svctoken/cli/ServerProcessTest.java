package io.svctoken.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the real launcher ({@link Main}) as a separate JVM, as {@code bin/svctoken} does, and talks to it
 * over HTTP: first-start password, SIGTERM, restart persistence, configuration errors, config dir,
 * {@code --version}, file logging and a busy port.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerProcessTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9*\\-_=+]{20}");
    private static final String PASSWORD_HEADER = "Password for the elastic user";
    private static final String LISTENING = "listening on http://";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path home;
    private final List<ServerProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void createHome() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (ServerProcess p : processes) {
            p.kill();
        }
    }

    // ------------------------------------------------------------------ (a) generated password

    @Test
    void firstStartWithoutElasticPasswordPrintsAGeneratedPasswordThatWorks() throws Exception {
        int port = freePort();
        ServerProcess p = start(Map.of(), "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"));
        p.awaitListening();
        String password = p.awaitGeneratedPassword();

        assertThat(password).matches(PASSWORD);
        Response ok = get(port, "/_security/_authenticate", basic("elastic", password));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("username").asText()).isEqualTo("elastic");

        Response wrong = get(port, "/_security/_authenticate", basic("elastic", password + "x"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(p.stdout().stream().filter(l -> l.contains(PASSWORD_HEADER))).as("printed once").hasSize(1);
    }

    // ------------------------------------------------------------------ (b) SIGTERM

    @Test
    void sigtermStopsTheServerWithinTenSeconds() throws Exception {
        int port = freePort();
        ServerProcess p = start(Map.of("ELASTIC_PASSWORD", "sigterm-pass"),
                "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"));
        p.awaitListening();
        assertThat(get(port, "/_security/_authenticate", basic("elastic", "sigterm-pass")).status()).isEqualTo(200);

        p.sigterm();
        assertThat(p.process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s after SIGTERM%n%s", p).isTrue();
        p.awaitStreamsClosed();
        assertThat(p.stdout()).as(p.toString()).anySatisfy(l -> assertThat(l).endsWith(" stopped"));
        assertThat(p.stdout()).anySatisfy(l -> assertThat(l).contains("stopping node"));
        assertThat(p.stderrText()).as("no stack trace on a clean stop").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(listening(port)).as("port closed after stop").isFalse();
    }

    // ------------------------------------------------------------------ (c) restart keeps password and tokens

    @Test
    void restartOnTheSameDataDirKeepsThePasswordAndTheTokens() throws Exception {
        Path data = tmp.resolve("data");
        int port = freePort();
        ServerProcess first = start(Map.of(), "-E", "http.port=" + port, "-E", "path.data=" + data);
        first.awaitListening();
        String password = first.awaitGeneratedPassword();
        String elastic = basic("elastic", password);

        Response created = send("POST", port, "/_security/service/elastic/fleet-server/credential/token/t1", elastic);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().path("created").asBoolean()).isTrue();
        assertThat(created.json().path("token").path("name").asText()).isEqualTo("t1");
        String token = created.json().path("token").path("value").asText();
        assertThat(token).isNotEmpty();
        assertThat(get(port, "/_security/_authenticate", "Bearer " + token).status()).isEqualTo(200);

        first.stop();

        int port2 = freePort();
        ServerProcess second = start(Map.of(), "-E", "http.port=" + port2, "-E", "path.data=" + data);
        second.awaitListening();

        Response asElastic = get(port2, "/_security/_authenticate", elastic);
        assertThat(asElastic.status()).as(asElastic.body()).isEqualTo(200);
        assertThat(asElastic.json().path("username").asText()).isEqualTo("elastic");

        Response asToken = get(port2, "/_security/_authenticate", "Bearer " + token);
        assertThat(asToken.status()).as(asToken.body()).isEqualTo(200);
        assertThat(asToken.json().path("username").asText()).isEqualTo("elastic/fleet-server");
        assertThat(asToken.json().path("token").path("name").asText()).isEqualTo("t1");

        second.stop();
        assertThat(second.stdoutText()).as("password not printed again").doesNotContain(PASSWORD_HEADER).doesNotContain(password);
    }

    // ------------------------------------------------------------------ (d) ELASTIC_PASSWORD

    @Test
    void elasticPasswordOnFirstStartSetsThePasswordAndNothingIsPrinted() throws Exception {
        Path data = tmp.resolve("data");
        int port = freePort();
        ServerProcess first = start(Map.of("ELASTIC_PASSWORD", "first-secret-pw"), "-E", "http.port=" + port, "-E", "path.data=" + data);
        first.awaitListening();
        assertThat(get(port, "/_security/_authenticate", basic("elastic", "first-secret-pw")).status()).isEqualTo(200);
        assertThat(get(port, "/_security/_authenticate", basic("elastic", "other")).status()).isEqualTo(401);
        first.stop();
        assertThat(first.stdoutText()).doesNotContain(PASSWORD_HEADER).doesNotContain("first-secret-pw");
        assertThat(first.stderrText()).doesNotContain("first-secret-pw");

        // ELASTIC_PASSWORD only counts on the first start: a later one does not change the password
        int port2 = freePort();
        ServerProcess second = start(Map.of("ELASTIC_PASSWORD", "second-secret-pw"), "-E", "http.port=" + port2, "-E", "path.data=" + data);
        second.awaitListening();
        assertThat(get(port2, "/_security/_authenticate", basic("elastic", "first-secret-pw")).status()).isEqualTo(200);
        assertThat(get(port2, "/_security/_authenticate", basic("elastic", "second-secret-pw")).status()).isEqualTo(401);
        second.stop();
        assertThat(second.stdoutText()).doesNotContain(PASSWORD_HEADER);
    }

    // ------------------------------------------------------------------ (e) configuration errors

    @Test
    void unknownSettingExitsWith78NamingTheSetting() throws Exception {
        int port = freePort();
        ServerProcess p = start(Map.of("ELASTIC_PASSWORD", "pw-unknown"),
                "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"), "-E", "no.such.setting=1");
        int code = p.awaitExit();
        assertThat(code).as(p.toString()).isEqualTo(78);
        assertThat(p.stderrText()).contains("unknown setting [no.such.setting]").doesNotContain("\tat ");
        assertThat(p.stdoutText()).doesNotContain(LISTENING);
        assertThat(listening(port)).isFalse();
        assertThat(tmp.resolve("data")).as("nothing created before the settings are valid").doesNotExist();
    }

    @Test
    void invalidValueExitsWith78NamingTheSetting() throws Exception {
        int port = freePort();
        ServerProcess p = start(Map.of("ELASTIC_PASSWORD", "pw-invalid"),
                "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"),
                "-E", "xpack.security.authc.service_token_hashing.algorithm=sha1");
        int code = p.awaitExit();
        assertThat(code).as(p.toString()).isEqualTo(78);
        assertThat(p.stderrText()).contains("xpack.security.authc.service_token_hashing.algorithm").contains("sha1")
                .doesNotContain("\tat ");
        assertThat(p.stdoutText()).doesNotContain(LISTENING);
        assertThat(listening(port)).isFalse();
    }

    // ------------------------------------------------------------------ (f) ES_PATH_CONF

    @Test
    void esPathConfWithElasticsearchYmlConfiguresTheNode() throws Exception {
        int port = freePort();
        Path conf = Files.createDirectories(tmp.resolve("es-conf"));
        Files.writeString(conf.resolve("elasticsearch.yml"), String.join("\n",
                "http.port: " + port,
                "node:",
                "  name: conf-node",
                "cluster.name: conf-cluster",
                "discovery.type: single-node",
                // the block Elasticsearch's security auto-configuration appends (HTTPS off here: its keystore
                // password would be in elasticsearch.keystore, which svctoken does not read)
                "xpack.security.enabled: true",
                "xpack.security.enrollment.enabled: true",
                "xpack.security.http.ssl:",
                "  enabled: false",
                "xpack.security.transport.ssl:",
                "  enabled: true",
                "  verification_mode: certificate",
                "  keystore.path: certs/transport.p12",
                "  truststore.path: certs/transport.p12",
                "cluster.initial_master_nodes: [\"conf-node\"]",
                ""));
        // a file in the default config dir that must be ignored when ES_PATH_CONF points elsewhere
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/svctoken.yml"), "node.name: wrong-node\n");

        ServerProcess p = start(Map.of("ES_PATH_CONF", conf.toString(), "ELASTIC_PASSWORD", "conf-pass"),
                "-E", "path.data=" + tmp.resolve("data"));
        p.awaitListening();
        Response root = get(port, "/", basic("elastic", "conf-pass"));
        assertThat(root.status()).as(root.body()).isEqualTo(200);
        assertThat(root.json().path("name").asText()).isEqualTo("conf-node");
        assertThat(root.json().path("cluster_name").asText()).isEqualTo("conf-cluster");
        assertThat(root.json().path("tagline").asText()).isEqualTo("You Know, for Search");
        assertThat(root.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        assertThat(p.awaitLine(l -> l.contains("ignoring Elasticsearch settings that have no effect on svctoken"), Duration.ofSeconds(5),
                "the ignored-settings line")).contains("[cluster.initial_master_nodes, discovery.type, xpack.security.transport.ssl.enabled,");
    }

    @Test
    void defaultConfigDirIsConfigUnderSvctokenHome() throws Exception {
        int port = freePort();
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/svctoken.yml"), "http:\n  port: " + port + "\nnode.name: home-node\n");
        ServerProcess p = start(Map.of("ELASTIC_PASSWORD", "home-pass"), "-E", "path.data=" + tmp.resolve("data"));
        p.awaitListening();
        Response root = get(port, "/", basic("elastic", "home-pass"));
        assertThat(root.status()).as(root.body()).isEqualTo(200);
        assertThat(root.json().path("name").asText()).isEqualTo("home-node");
    }

    @Test
    void theServerCommandLineIsReadWithoutPicocli() throws Exception {
        // picocli's classes cannot come from the class-data archive: loading them cost a start ~190 ms
        int port = freePort();
        ServerProcess p = start(List.of("-Xlog:class+load=info:stdout"), Map.of("ELASTIC_PASSWORD", "no-picocli"),
                "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"), "-Enode.name=no-picocli");
        p.awaitListening();
        assertThat(get(port, "/", basic("elastic", "no-picocli")).json().path("name").asText()).isEqualTo("no-picocli");
        assertThat(p.stdout()).as("classes loaded").anyMatch(l -> l.contains("io.svctoken.server.Node "))
                .noneMatch(l -> l.contains(" picocli."));
    }

    @Test
    void aRestartsFirstLoginLoadsNoBouncyCastleClass() throws Exception {
        // the jar is signed: the JDK's verification of it on first use cost the first request ~160 ms
        int port = freePort();
        ServerProcess first = start(Map.of("ELASTIC_PASSWORD", "no-bc"), "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"));
        first.awaitListening();
        first.stop();
        ServerProcess p = start(List.of("-Xlog:class+load=info:stdout"), Map.of(),
                "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"));
        p.awaitListening();
        assertThat(get(port, "/", basic("elastic", "no-bc")).status()).isEqualTo(200);
        assertThat(get(port, "/", basic("elastic", "wrong")).status()).isEqualTo(401);
        assertThat(p.stdout()).as("classes loaded").anyMatch(l -> l.contains(" io.svctoken.core.hash.BcryptHasher "))
                .noneMatch(l -> l.contains(" org.bouncycastle."));
    }

    // ------------------------------------------------------------------ (g) --version

    @Test
    void versionPrintsTheVersionAndExitsZero() throws Exception {
        String version = projectVersion();
        ServerProcess p = start(Map.of(), "--version");
        int code = p.awaitExit();
        assertThat(code).as(p.toString()).isZero();
        assertThat(p.stdoutText()).startsWith("svctoken " + version);
        assertThat(p.stdoutText()).doesNotContain("listening");
        assertThat(home.resolve("data")).as("--version starts nothing").doesNotExist();
    }

    @Test
    void helpDescribesDashEAndExitsZero() throws Exception {
        ServerProcess p = start(Map.of(), "--help");
        assertThat(p.awaitExit()).as(p.toString()).isZero();
        assertThat(p.stdoutText()).contains("Usage: svctoken").contains("-E").contains("--version");
    }

    // ------------------------------------------------------------------ (h) path.logs

    @Test
    void pathLogsWritesAClusterNamedLogFile() throws Exception {
        int port = freePort();
        Path logs = tmp.resolve("logs");
        ServerProcess p = start(Map.of("ELASTIC_PASSWORD", "logs-pass"), "-E", "http.port=" + port,
                "-E", "path.data=" + tmp.resolve("data"), "-E", "path.logs=" + logs, "-E", "cluster.name=my-cluster");
        p.awaitListening();
        Path file = logs.resolve("my-cluster.log");
        assertThat(file).exists();
        // the console appender may print the line before the file appender has written it: wait for the file
        String expected = LISTENING + "127.0.0.1:" + port;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String content = Files.readString(file, StandardCharsets.UTF_8);
        while (!content.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            content = Files.readString(file, StandardCharsets.UTF_8);
        }
        assertThat(content).contains(expected).contains("cluster [my-cluster]");
        p.stop();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).as("shutdown is logged to the file too").contains("stopped");
    }

    // ------------------------------------------------------------------ (i) port in use

    @Test
    void portAlreadyInUseExitsNonZeroWithAClearMessage() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = busy.getLocalPort();
            ServerProcess p = start(Map.of("ELASTIC_PASSWORD", "busy-pass"), "-E", "http.port=" + port,
                    "-E", "path.data=" + tmp.resolve("data"));
            int code = p.awaitExit();
            assertThat(code).as(p.toString()).isNotZero();
            assertThat(p.stdoutText()).doesNotContain(LISTENING);
            String err = p.stderrText();
            assertThat(err).as("stderr names the address/port%n%s", p).contains(String.valueOf(port));
            assertThat(err.toLowerCase()).as("stderr says why").contains("in use");
            assertThat(err).as("no stack trace").doesNotContain("\tat ");
        }
    }

    // ================================================================== helpers

    private ServerProcess start(Map<String, String> env, String... args) throws IOException {
        return start(List.of(), env, args);
    }

    private ServerProcess start(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        if (args.length > 0 && args[0].equals("-E")) {
            // these tests talk plain HTTP; HTTPS by default is covered by HttpsProcessTest
            cmd.addAll(List.of("-E", "xpack.security.http.ssl.enabled=false"));
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        Map<String, String> e = pb.environment();
        e.remove("ELASTIC_PASSWORD");
        e.remove("ES_PATH_CONF");
        e.put("SVCTOKEN_HOME", home.toString());
        e.putAll(env);
        ServerProcess p = new ServerProcess(pb.start(), String.join(" ", args));
        processes.add(p);
        return p;
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

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String projectVersion() throws IOException {
        Properties props = new Properties();
        try (InputStream in = ServerCommand.class.getResourceAsStream("version.properties")) {
            assertThat(in).as("version.properties on the classpath").isNotNull();
            props.load(in);
        }
        String v = props.getProperty("svctoken.version");
        assertThat(v).isNotBlank().doesNotContain("${");
        return v;
    }

    record Response(int status, String body, HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private Response get(int port, String path, String authorization) throws Exception {
        return send("GET", port, path, authorization);
    }

    private Response send(String method, int port, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body(), r.headers());
    }

    /** A child JVM with its stdout and stderr read line by line into memory. */
    static final class ServerProcess {
        final Process process;
        private final String args;
        private final List<String> out = Collections.synchronizedList(new ArrayList<>());
        private final List<String> err = Collections.synchronizedList(new ArrayList<>());
        private final Thread outPump;
        private final Thread errPump;

        ServerProcess(Process process, String args) {
            this.process = process;
            this.args = args;
            this.outPump = pump(process.getInputStream(), out, "stdout");
            this.errPump = pump(process.getErrorStream(), err, "stderr");
        }

        private static Thread pump(InputStream in, List<String> lines, String name) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process went away
                }
            }, "pump-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        List<String> stdout() {
            synchronized (out) {
                return new ArrayList<>(out);
            }
        }

        String stdoutText() {
            return String.join("\n", stdout());
        }

        String stderrText() {
            synchronized (err) {
                return String.join("\n", err);
            }
        }

        /** Waits for a stdout line; fails (with the output) when the process dies or the timeout passes. */
        String awaitLine(Predicate<String> match, Duration timeout, String what) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (String l : stdout()) {
                    if (match.test(l)) {
                        return l;
                    }
                }
                if (!process.isAlive()) {
                    awaitStreamsClosed();
                    for (String l : stdout()) {
                        if (match.test(l)) {
                            return l;
                        }
                    }
                    fail("process exited (" + process.exitValue() + ") before " + what + "\n" + this);
                }
                Thread.sleep(20);
            }
            fail("no " + what + " within " + timeout + "\n" + this);
            return null;
        }

        void awaitListening() throws InterruptedException {
            awaitLine(l -> l.contains(LISTENING), START_TIMEOUT, "'" + LISTENING + "' line");
        }

        /** The first non-blank line after the password header. */
        String awaitGeneratedPassword() throws InterruptedException {
            awaitLine(l -> l.contains(PASSWORD_HEADER), Duration.ofSeconds(10), "password header");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                List<String> lines = stdout();
                int i = 0;
                while (!lines.get(i).contains(PASSWORD_HEADER)) {
                    i++;
                }
                for (int j = i + 1; j < lines.size(); j++) {
                    if (!lines.get(j).isBlank()) {
                        return lines.get(j).trim();
                    }
                }
                Thread.sleep(20);
            }
            fail("no password after the header\n" + this);
            return null;
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("process did not exit\n" + this);
            }
            awaitStreamsClosed();
            return process.exitValue();
        }

        /**
         * SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} sends the same signal but also
         * closes our ends of the child's stdout/stderr, so whatever the child logs while stopping would be lost.
         */
        void sigterm() {
            process.toHandle().destroy();
        }

        /** SIGTERM, then waits for the exit and the end of the output. */
        void stop() throws InterruptedException {
            sigterm();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("process did not exit within 10 s of SIGTERM\n" + this);
            }
            awaitStreamsClosed();
        }

        void awaitStreamsClosed() throws InterruptedException {
            outPump.join(5000);
            errPump.join(5000);
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                sigterm();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        }

        @Override
        public String toString() {
            String state = process.isAlive() ? "running" : "exit code " + process.exitValue();
            return "svctoken " + args + " (" + state + ")\n--- stdout ---\n" + stdoutText() + "\n--- stderr ---\n" + stderrText();
        }
    }
}
