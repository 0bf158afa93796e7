package io.svctoken.cli.enroll;

import io.svctoken.cli.common.TrustedCa;
import io.svctoken.cli.common.CliRunner;
import io.svctoken.core.enroll.EnrollmentToken;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.Node;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #11, item 6: in a cluster an enrollment token made on one node enrolls Kibana against any node. Two
 * nodes on one PostgreSQL share the HTTP CA (so one fingerprint pins both) and the store (so the enrollment
 * API key made through node A is accepted by node B, and the Kibana service token B stores works on A).
 */
class ClusterKibanaEnrollmentTest {

    @TempDir
    static Path root;
    static Node a;
    static Node b;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        a = node(db, "node-a");
        b = node(db, "node-b");
        https = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(root.resolve("node-b/config/certs/http_ca.crt"))).build();
    }

    private static Node node(String db, String name) throws Exception {
        Path home = Files.createDirectories(root.resolve(name));
        Path conf = Files.createDirectories(home.resolve("config"));
        return Node.start(new NodeSettings(home, conf, Map.of("http.port", "0", "node.name", name,
                        "xpack.security.authc.password_hashing.algorithm", "pbkdf2_1000",
                        "xpack.security.authc.service_token_hashing.algorithm", "pbkdf2_stretch_1000",
                        "svctoken.store.type", "postgresql",
                        "svctoken.store.postgresql.url", EmbeddedPostgresql.url(db),
                        "svctoken.store.postgresql.username", EmbeddedPostgresql.ROLE,
                        "svctoken.store.postgresql.password", EmbeddedPostgresql.PASSWORD)),
                Map.of("ELASTIC_PASSWORD", "cluster-enroll-pw"), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static int authenticate(Node node, String serviceToken) throws Exception {
        return https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.address().getPort() + "/_security/_authenticate"))
                .header("Authorization", "Bearer " + serviceToken).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String serviceTokenFrom(Path kibanaYml) throws Exception {
        for (String l : Files.readAllLines(kibanaYml)) {
            if (l.startsWith("elasticsearch.serviceAccountToken: ")) {
                return l.substring("elasticsearch.serviceAccountToken: ".length()).trim();
            }
        }
        throw new AssertionError("no serviceAccountToken in " + Files.readString(kibanaYml));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void aTokenMadeOnOneNodeEnrollsKibanaAgainstAnother() throws Exception {
        CliRunner.Result created = CliRunner.forConfig(root.resolve("node-a/config"))
                .tool("io.svctoken.cli.password.CreateEnrollmentTokenTool", null)
                .run("-s", "kibana", "--url", "https://127.0.0.1:" + a.address().getPort());
        assertThat(created.exit()).as(created.toString()).isZero();
        EnrollmentToken made = EnrollmentToken.decode(created.stdout().trim());
        assertThat(made.addresses()).containsExactly("127.0.0.1:" + a.address().getPort());

        // the same key and fingerprint, but the first address answers nothing and the second is node B:
        // kibana-setup moves on to B, pins B's chain by the cluster's one CA, and B accepts A's enrollment key
        String viaB = new EnrollmentToken(made.version(), List.of("127.0.0.1:" + closedPort(), "127.0.0.1:" + b.address().getPort()),
                made.fingerprint(), made.apiKey()).encode().revealAsString(SecretAccess.plaintext());
        Path kibana = root.resolve("kibana");
        CliRunner.Result setup = CliRunner.forConfig(root.resolve("node-a/config")).tool("io.svctoken.cli.Main", null)
                .run("kibana-setup", "--enrollment-token", viaB, "--out", kibana.toString());
        assertThat(setup.exit()).as(setup.toString()).isZero();
        String yml = Files.readString(kibana.resolve("kibana.yml"));
        assertThat(yml).contains("elasticsearch.hosts: ['https://127.0.0.1:" + b.address().getPort() + "']");

        // the service token stored through B works on both nodes
        String serviceToken = serviceTokenFrom(kibana.resolve("kibana.yml"));
        assertThat(authenticate(b, serviceToken)).isEqualTo(200);
        assertThat(authenticate(a, serviceToken)).isEqualTo(200);
    }
}
