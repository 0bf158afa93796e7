package io.svctoken.cli.enroll;

import io.svctoken.cli.common.TrustedCa;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.cli.common.CliRunner;
import io.svctoken.core.enroll.EnrollmentToken;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.Node;
import io.svctoken.server.settings.NodeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole Kibana enrollment over real TLS: an auto-configured HTTPS node prints an enrollment token,
 * the enrollment-token CLI makes another, {@code kibana-setup} turns each into a kibana.yml whose
 * service token authenticates as {@code elastic/kibana}; and the failure path answers the seed's message.
 */
class KibanaEnrollmentFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static Path conf;
    static Node node;
    static String banner;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        conf = Files.createDirectories(home.resolve("config"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        node = Node.start(new NodeSettings(home, conf, Map.of("http.port", "0", "node.name", "enroll-node",
                        "xpack.security.authc.password_hashing.algorithm", "pbkdf2_1000",
                        "xpack.security.authc.service_token_hashing.algorithm", "pbkdf2_stretch_1000")),
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        banner = out.toString(StandardCharsets.UTF_8);
        https = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(conf.resolve("certs/http_ca.crt"))).build();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String base() {
        return "https://localhost:" + node.address().getPort();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String bannerToken() {
        List<String> lines = banner.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains("Copy the following enrollment token")) {
                return lines.get(i + 1).trim();
            }
        }
        throw new AssertionError("no enrollment token in the banner:\n" + banner);
    }

    private static String serviceTokenFrom(Path kibanaYml) throws Exception {
        for (String l : Files.readAllLines(kibanaYml)) {
            if (l.startsWith("elasticsearch.serviceAccountToken: ")) {
                return l.substring("elasticsearch.serviceAccountToken: ".length()).trim();
            }
        }
        throw new AssertionError("no serviceAccountToken in " + Files.readString(kibanaYml));
    }

    private static CliRunner.Result kibanaSetup(String token, Path out) {
        return CliRunner.forConfig(conf).tool("io.svctoken.cli.Main", null).run("kibana-setup", "--enrollment-token", token, "--out", out.toString());
    }

    @Test
    void theBannerTokenEnrollsKibana() throws Exception {
        String token = bannerToken();
        EnrollmentToken decoded = EnrollmentToken.decode(token);
        assertThat(decoded.fingerprint()).isEqualTo(node.httpTls().httpCaFingerprint().orElseThrow());
        assertThat(decoded.addresses()).containsExactly("127.0.0.1:" + node.address().getPort());

        Path out = home.resolve("kibana-1");
        // the kibana.yml of Kibana's Docker image already names a host: it is overridden, not duplicated
        Files.createDirectories(out);
        Files.writeString(out.resolve("kibana.yml"), "server.host: \"0.0.0.0\"\nelasticsearch.hosts: [ \"http://elasticsearch:9200\" ]\n");
        CliRunner.Result r = kibanaSetup(token, out);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("Kibana configured successfully.");
        assertThat(r.stderr()).contains("Kibana configuration file has the following conflicting keys that will be overridden: [elasticsearch.hosts]");
        String yml = Files.readString(out.resolve("kibana.yml"));
        assertThat(yml).contains("# This section was automatically generated during setup.")
                .contains("#elasticsearch.hosts: [ \"http://elasticsearch:9200\" ]")
                .contains("\nserver.host: 0.0.0.0\n")
                .contains("\nelasticsearch.hosts: ['https://127.0.0.1:" + node.address().getPort() + "']\n")
                .contains("elasticsearch.ssl.certificateAuthorities: [")
                .contains("ca_trusted_fingerprint: " + decoded.fingerprint() + "}]");
        HttpResponse<String> me = get("/_security/_authenticate", "Bearer " + serviceTokenFrom(out.resolve("kibana.yml")));
        assertThat(me.statusCode()).isEqualTo(200);
        JsonNode j = JSON.readTree(me.body());
        assertThat(j.get("username").asText()).isEqualTo("elastic/kibana");
        assertThat(j.at("/token/name").asText()).startsWith("enroll-process-token-");
        assertThat(j.at("/token/type").asText()).isEqualTo("_service_account_index");
        // the CA file written is the node's CA
        String caLine = yml.lines().filter(l -> l.startsWith("elasticsearch.ssl.certificateAuthorities: [")).findFirst().orElseThrow();
        String caFile = caLine.substring("elasticsearch.ssl.certificateAuthorities: [".length(), caLine.length() - 1);
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            assertThat(EnrollmentToken.fingerprint(CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded()))
                    .isEqualTo(decoded.fingerprint());
        }
    }

    @Test
    void theEnrollmentToolMakesATokenThatEnrollsToo() throws Exception {
        CliRunner.Result created = CliRunner.forConfig(conf).tool("io.svctoken.cli.password.CreateEnrollmentTokenTool", null)
                .run("-s", "kibana", "--url", "https://127.0.0.1:" + node.address().getPort());
        assertThat(created.exit()).as(created.toString()).isZero();
        String token = created.stdout().trim();
        EnrollmentToken decoded = EnrollmentToken.decode(token);
        assertThat(decoded.version()).isEqualTo("8.19.0");
        // the temporary superuser is gone again
        assertThat(Files.readString(conf.resolve("users"))).doesNotContain("enrollment_autogenerated_");

        // the key can enroll and nothing else
        String apiKey = "ApiKey " + decoded.apiKeyHeaderValue().revealAsString(SecretAccess.plaintext());
        HttpResponse<String> other = get("/_security/service", apiKey);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(other.body()).at("/error/reason").asText())
                .startsWith("action [cluster:admin/xpack/security/service_account/get] is unauthorized for API key id [");

        CliRunner.Result r = kibanaSetup(token, home.resolve("kibana-2"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(get("/_security/_authenticate", "Bearer " + serviceTokenFrom(home.resolve("kibana-2/kibana.yml"))).statusCode()).isEqualTo(200);
        // enrolling the same Kibana again replaces its settings: still one token line, the new one
        String first = serviceTokenFrom(home.resolve("kibana-2/kibana.yml"));
        CliRunner.Result again = kibanaSetup(token, home.resolve("kibana-2"));
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(Files.readString(home.resolve("kibana-2/kibana.yml")).lines()
                .filter(l -> l.startsWith("elasticsearch.serviceAccountToken:"))).hasSize(1);
        assertThat(serviceTokenFrom(home.resolve("kibana-2/kibana.yml"))).isNotEqualTo(first);
        assertThat(get("/_security/_authenticate", "Bearer " + serviceTokenFrom(home.resolve("kibana-2/kibana.yml"))).statusCode()).isEqualTo(200);

        // node tokens are refused clearly
        CliRunner.Result node = CliRunner.forConfig(conf).tool("io.svctoken.cli.password.CreateEnrollmentTokenTool", null).run("-s", "node");
        assertThat(node.exit()).isEqualTo(78);
        assertThat(node.stderr()).contains("does not create node enrollment tokens");
    }

    @Test
    void aWrongFingerprintOrAnInvalidatedKeyIsRefusedClearly() throws Exception {
        EnrollmentToken good = EnrollmentToken.decode(bannerToken());
        String wrongFgr = new EnrollmentToken(good.version(), good.addresses(), "ab".repeat(32), good.apiKey()).encode().revealAsString(SecretAccess.plaintext());
        CliRunner.Result r = kibanaSetup(wrongFgr, home.resolve("kibana-3"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("Server certificate CA fingerprint does not match the value configured in caFingerprint");

        String badKey = new EnrollmentToken(good.version(), good.addresses(), good.fingerprint(), Secret.of("nope:nope-nope-nope")).encode().revealAsString(SecretAccess.plaintext());
        CliRunner.Result r2 = kibanaSetup(badKey, home.resolve("kibana-4"));
        assertThat(r2.exit()).isEqualTo(1);
        assertThat(r2.stderr()).contains("Unable to connect to Elasticsearch with the provided enrollment token: HTTP 401")
                .contains("bin/elasticsearch-create-enrollment-token -s kibana");

        String unreachable = new EnrollmentToken(good.version(), List.of("127.0.0.1:1"), good.fingerprint(), good.apiKey()).encode().revealAsString(SecretAccess.plaintext());
        CliRunner.Result r3 = kibanaSetup(unreachable, home.resolve("kibana-5"));
        assertThat(r3.exit()).isEqualTo(1);
        assertThat(r3.stderr()).contains("Unable to connect to any of the provided hosts");
    }

    @Test
    void aKibanaYmlThatDoesNotParseStopsTheSetupBeforeAnyTokenIsMade() throws Exception {
        Path out = Files.createDirectories(home.resolve("kibana-broken"));
        String broken = "server.port: 5601\nserver.port: 5602\n";
        Files.writeString(out.resolve("kibana.yml"), broken);
        long before = kibanaTokensInTheStore();
        CliRunner.Result r = kibanaSetup(bannerToken(), out);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("Failed to parse configuration file [" + out.resolve("kibana.yml").toAbsolutePath() + "]: ")
                .contains("Nothing was done");
        assertThat(Files.readString(out.resolve("kibana.yml"))).isEqualTo(broken);
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("kibana.yml");
        }
        assertThat(kibanaTokensInTheStore()).as("no enrollment happened").isEqualTo(before);
    }

    private static long kibanaTokensInTheStore() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data").resolve("svctoken.db"));
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM service_account_tokens WHERE principal = 'elastic/kibana'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The seed: the token cannot be stored (here the store's write-ahead log is made immutable, as root). */
    @Test
    void whenTheTokenCannotBeStoredTheAnswerIsTheSeedsMessageWithItsCause() throws Exception {
        assumeTrue(CliRunner.command("id", "-u").stdout().trim().equals("0"), "needs root for chattr");
        Path wal = home.resolve("data/svctoken.db-wal");
        assumeTrue(Files.exists(wal), "the store runs in WAL mode");
        String apiKey = "ApiKey " + EnrollmentToken.decode(bannerToken()).apiKeyHeaderValue().revealAsString(SecretAccess.plaintext());
        CliRunner.Result lock = CliRunner.command("chattr", "+i", wal.toString());
        assumeTrue(lock.exit() == 0, "chattr +i is not supported here: " + lock);
        try {
            HttpResponse<String> r = get("/_security/enroll/kibana", apiKey);
            assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);
            JsonNode e = JSON.readTree(r.body()).get("error");
            assertThat(e.get("reason").asText()).isEqualTo("Failed to create token for the [elastic/kibana] service account");
            assertThat(e.at("/caused_by/reason").asText()).isNotEmpty();
        } finally {
            CliRunner.command("chattr", "-i", wal.toString());
        }
        // the node stays up and enrolls again once the store is writable
        HttpResponse<String> again = get("/_security/enroll/kibana", apiKey);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("http_ca").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(node.httpCa().orElseThrow().getEncoded()));
    }
}
