package io.svctoken.cli;

import io.svctoken.cli.common.TrustedCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real launcher in its own JVM with no TLS setting: the first start auto-configures HTTPS and prints
 * Elasticsearch's banner (password and CA fingerprint, Unicode or ASCII by the output's encoding), a
 * client trusting {@code config/certs/http_ca.crt} gets in, and a restart reuses the CA without a banner.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpsProcessTest {

    private static final String LISTENING_HTTPS = "listening on https://";
    private static final String FINGERPRINT_LOG = "HTTPS has been configured with automatically generated certificates, and the CA's"
            + " hex-encoded SHA-256 fingerprint is [";

    @TempDir
    Path tmp;

    private final List<ServerProcessTest.ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (ServerProcessTest.ServerProcess p : processes) {
            p.kill();
        }
    }

    @Test
    void firstStartServesHttpsPrintsTheBannerAndARestartReusesTheCa() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path data = tmp.resolve("data");
        int port = freePort();
        ServerProcessTest.ServerProcess first = start(home, Map.of("LC_ALL", "C.UTF-8"), "-E", "http.port=" + port, "-E", "path.data=" + data);
        first.awaitLine(l -> l.contains(LISTENING_HTTPS + "127.0.0.1:" + port), Duration.ofSeconds(60), "https listening line");
        String password = first.awaitGeneratedPassword();
        first.awaitLine(l -> l.contains("HTTP CA certificate SHA-256 fingerprint:"), Duration.ofSeconds(10), "fingerprint block");

        Path caFile = home.resolve("config/certs/http_ca.crt");
        String fingerprint = sha256(caFile);
        String out = first.stdoutText();
        assertThat(out).contains(FINGERPRINT_LOG + fingerprint + "]");
        assertThat(out).contains("\u2705 Elasticsearch security features have been automatically configured!")
                .contains("\u2139\uFE0F  HTTP CA certificate SHA-256 fingerprint:\n  " + fingerprint)
                .contains("Copy the following enrollment token and paste it into Kibana in your browser (valid for the next 30 minutes):")
                .doesNotContain("Unable to generate an enrollment token");

        HttpClient client = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(caFile)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> me = get(client, "https://localhost:" + port + "/_security/_authenticate", password);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + port + "/", password)).isInstanceOf(IOException.class);
        assertThat(get(client, "https://localhost:" + port + "/", password).statusCode()).as("still serving").isEqualTo(200);
        first.stop();
        assertThat(first.stderrText()).doesNotContain("\tat ");

        int port2 = freePort();
        ServerProcessTest.ServerProcess second = start(home, Map.of(), "-E", "http.port=" + port2, "-E", "path.data=" + data);
        second.awaitLine(l -> l.contains(LISTENING_HTTPS), Duration.ofSeconds(30), "https listening line");
        assertThat(get(client, "https://localhost:" + port2 + "/_security/_authenticate", password).statusCode()).isEqualTo(200);
        assertThat(sha256(caFile)).isEqualTo(fingerprint);
        second.stop();
        assertThat(second.stdoutText()).doesNotContain("Password for the elastic user").doesNotContain(FINGERPRINT_LOG)
                .doesNotContain("fingerprint:");
    }

    @Test
    void bannerFallsBackToAsciiWhenTheOutputIsNotUtf8() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        int port = freePort();
        ServerProcessTest.ServerProcess p = start(home, Map.of("LC_ALL", "C", "LANG", "C", "ELASTIC_PASSWORD", "ascii-pass"),
                "-E", "http.port=" + port, "-E", "path.data=" + tmp.resolve("data"));
        p.awaitLine(l -> l.contains("HTTP CA certificate SHA-256 fingerprint:"), Duration.ofSeconds(60), "fingerprint block");
        p.awaitLine(l -> l.contains("Copy the following enrollment token"), Duration.ofSeconds(10), "kibana line");
        String out = p.stdoutText();
        assertThat(out).contains("-> Elasticsearch security features have been automatically configured!")
                .contains("->  HTTP CA certificate SHA-256 fingerprint:")
                .contains("-".repeat(80))
                .doesNotContain("\u2705").doesNotContain("?? ");
        assertThat(out).as("ELASTIC_PASSWORD given: no password block").doesNotContain("Password for the elastic user");
    }

    @Test
    void unreadableTlsMaterialStopsTheStartWithOneLineAndExitCode78() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        ServerProcessTest.ServerProcess p = start(home, Map.of("ELASTIC_PASSWORD", "x-pass"), "-E", "http.port=" + freePort(),
                "-E", "path.data=" + tmp.resolve("data"), "-E", "xpack.security.http.ssl.enabled=true",
                "-E", "xpack.security.http.ssl.keystore.path=missing.p12");
        assertThat(p.awaitExit()).as(p.toString()).isEqualTo(78);
        assertThat(p.stderrText()).isEqualTo("svctoken: cannot start: failed to load SSL configuration [xpack.security.http.ssl] - cannot"
                + " read configured [PKCS12] keystore [" + home.resolve("config/missing.p12") + "] because the file does not exist");
        assertThat(p.stdoutText()).doesNotContain("listening on");
    }

    // ================================================================== helpers

    private ServerProcessTest.ServerProcess start(Path home, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().remove("ELASTIC_PASSWORD");
        pb.environment().remove("ES_PATH_CONF");
        pb.environment().put("SVCTOKEN_HOME", home.toString());
        pb.environment().putAll(env);
        ServerProcessTest.ServerProcess p = new ServerProcessTest.ServerProcess(pb.start(), String.join(" ", args));
        processes.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static String sha256(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url, String password) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + password).getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("Authorization", basic).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
