package io.svctoken.server.gateway;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code https} upstream: a second svctoken node with its auto-configured HTTPS (a generated CA, a server
 * certificate for localhost and 127.0.0.1). What it answers to the gateway's forwarded request (its own 400 for a
 * path it does not serve, after authenticating the gateway's Basic credentials) shows that TLS and trust worked.
 */
class GatewayTlsTest {

    @TempDir
    static Path upstreamHome;
    static TestNode upstream;
    static Path caFile;
    static String caFingerprint;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestNode.start(upstreamHome, Map.of(), Map.of("ELASTIC_PASSWORD", TestNode.PASSWORD), true);
        caFile = upstreamHome.resolve("config/certs/http_ca.crt");
        try (InputStream in = Files.newInputStream(caFile)) {
            byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            caFingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        }
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static TestNode.Response throughGateway(Path home, String host, Map<String, String> tls) throws Exception {
        Map<String, String> s = new HashMap<>(tls);
        s.put("svctoken.gateway.upstream", "https://" + host + ":" + upstream.node().address().getPort());
        s.put("svctoken.gateway.upstream_auth.basic.username", "elastic");
        s.put("svctoken.gateway.upstream_auth.basic.password", TestNode.PASSWORD);
        try (TestNode gateway = TestNode.start(home, s)) {
            return gateway.asElastic("GET", "/_cat/indices");
        }
    }

    private static void assertReachedUpstream(TestNode.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("no handler found for uri [/_cat/indices]");
        assertThat(r.header("X-elastic-product")).isEqualTo("Elasticsearch");
    }

    @Test
    void aCaFileIsTrustedWithHostNameVerification(@TempDir Path home) throws Exception {
        assertReachedUpstream(throughGateway(home, "localhost", Map.of("svctoken.gateway.ssl.certificate_authorities", caFile.toString())));
    }

    @Test
    void aPinnedCaFingerprintIsTrusted(@TempDir Path home) throws Exception {
        assertReachedUpstream(throughGateway(home, "127.0.0.1", Map.of("svctoken.gateway.ssl.ca_fingerprint", caFingerprint)));
    }

    @Test
    void anotherFingerprintOrNoTrustIs502(@TempDir Path home, @TempDir Path home2) throws Exception {
        TestNode.Response pinnedOther = throughGateway(home, "127.0.0.1", Map.of("svctoken.gateway.ssl.ca_fingerprint", "ab".repeat(32)));
        TestNode.Response jdkTrust = throughGateway(home2, "127.0.0.1", Map.of());

        assertThat(pinnedOther.status()).isEqualTo(502);
        assertThat(pinnedOther.json().at("/error/type").asText()).isEqualTo("connect_exception");
        assertThat(jdkTrust.status()).isEqualTo(502);
    }

    @Test
    void verificationModeNoneTrustsAnyCertificate(@TempDir Path home) throws Exception {
        assertReachedUpstream(throughGateway(home, "127.0.0.1", Map.of("svctoken.gateway.ssl.verification_mode", "none")));
    }
}
