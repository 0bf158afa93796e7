package io.svctoken.server;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service_tokens file store in a running node. */
class FileTokensTest {

    /** Elasticsearch's documented service_tokens line for the secret qwerty123456. */
    private static final String SPEC_LINE = "elastic/fleet-server/my-token:{PBKDF2_STRETCH}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$HuU/CkY2+8FrdaRLob/WEFzYa8g94v/6+w6srhx+D1A=";

    @TempDir
    Path home;
    TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Path tokensFile() throws Exception {
        Files.createDirectories(home.resolve("config"));
        return home.resolve("config/service_tokens");
    }

    private static String bearerFor(String principal, String name, String secret) {
        return bearer(new ServiceAccountToken(TokenId.of(principal, name), Secret.of(secret)).asBearer().revealAsString(SecretAccess.plaintext()));
    }

    private static String line(String qualified, String secret) {
        return qualified + ":" + Hasher.resolve("pbkdf2_stretch_1000").hash(Secret.of(secret));
    }

    /** Atomic replace, as the CLI writes it. */
    private static void write(Path file, List<String> lines) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), "service_tokens", "tmp");
        Files.write(tmp, lines);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private int statusWithin(String auth, int expected, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        int status;
        do {
            status = node.request("GET", "/_security/_authenticate", auth).status();
            if (status == expected) {
                return status;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return status;
    }

    @Test
    void documentedLineAuthenticatesAsAFileToken() throws Exception {
        Files.write(tokensFile(), List.of("# comment", "", SPEC_LINE, "   "));
        node = TestNode.start(home, Map.of());
        Response r = node.request("GET", "/_security/_authenticate", bearerFor("elastic/fleet-server", "my-token", "qwerty123456"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/token/type").asText()).isEqualTo("_service_account_file");
        assertThat(r.json().at("/token/name").asText()).isEqualTo("my-token");
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/fleet-server", "my-token", "qwerty1234567")).status())
                .isEqualTo(401);

        Response creds = node.asElastic("GET", "/_security/service/elastic/fleet-server/credential");
        assertThat(creds.body()).isEqualTo("{\"service_account\":\"elastic/fleet-server\",\"count\":1,\"tokens\":{},"
                + "\"nodes_credentials\":{\"_nodes\":{\"total\":1,\"successful\":1,\"failed\":0},"
                + "\"file_tokens\":{\"my-token\":{\"nodes\":[\"node-0\"]}}}}");
        // the API never deletes file tokens
        assertThat(node.asElastic("DELETE", "/_security/service/elastic/fleet-server/credential/token/my-token").status()).isEqualTo(404);
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/fleet-server", "my-token", "qwerty123456")).status())
                .isEqualTo(200);
    }

    /**
     * Why file tokens have no lifecycle: Elasticsearch's reader takes everything after a line's first ':' as the hash, so a
     * third field (an expiry) would become part of the hash and the token would fail everywhere, here as there. The
     * lifecycle endpoints show a file token as such, and cannot disable or rotate it (only the file can).
     */
    @Test
    void aFileLineCannotCarryAnExpiryAndTheLifecycleEndpointsShowFileTokensAsSuch() throws Exception {
        Files.write(tokensFile(), List.of(line("elastic/fleet-server/plain", "plain-secret-1"),
                line("elastic/fleet-server/third-field", "third-secret-1") + ":2999-01-01T00:00:00Z"));
        node = TestNode.start(home, Map.of());
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/fleet-server", "plain", "plain-secret-1")).status())
                .isEqualTo(200);
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/fleet-server", "third-field", "third-secret-1")).status())
                .isEqualTo(401);

        String svc = "/_svctoken/service/elastic/fleet-server/credential";
        Response listed = node.asElastic("GET", svc);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().at("/file_tokens/plain").toString()).isEqualTo("{\"source\":\"file\",\"nodes\":[\"node-0\"]}");
        assertThat(listed.json().get("tokens").toString()).isEqualTo("{}");
        assertThat(node.asElastic("GET", svc + "/token/plain").status()).isEqualTo(404);
        assertThat(node.asElastic("POST", svc + "/token/plain/_disable").status()).isEqualTo(404);
        assertThat(node.asElastic("POST", svc + "/token/plain/_rotate").status()).isEqualTo(404);
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/fleet-server", "plain", "plain-secret-1")).status())
                .isEqualTo(200);
    }

    @Test
    void fileAndApiTokensWithTheSameNameBothWork() throws Exception {
        Files.write(tokensFile(), List.of(line("elastic/fleet-server/shared", "file-secret-123")));
        node = TestNode.start(home, Map.of());
        Response created = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/shared");
        assertThat(created.status()).isEqualTo(200);
        Response api = node.request("GET", "/_security/_authenticate", bearer(created.json().at("/token/value").asText()));
        assertThat(api.json().at("/token/type").asText()).isEqualTo("_service_account_index");
        Response file = node.request("GET", "/_security/_authenticate", bearerFor("elastic/fleet-server", "shared", "file-secret-123"));
        assertThat(file.json().at("/token/type").asText()).isEqualTo("_service_account_file");
        assertThat(node.asElastic("GET", "/_security/service/elastic/fleet-server/credential").json().get("count").asInt()).isEqualTo(2);
    }

    /** The CLI's promise: a token it just wrote works on its first use, without waiting for the next poll. */
    @Test
    void aTokenJustWrittenToTheFileWorksOnItsFirstUse() throws Exception {
        Path file = tokensFile();
        node = TestNode.start(home, Map.of());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(line("elastic/kibana/fresh" + i, "fresh-secret-" + i));
            write(file, lines);
            Response r = node.request("GET", "/_security/_authenticate", bearerFor("elastic/kibana", "fresh" + i, "fresh-secret-" + i));
            assertThat(r.status()).as("first use of token %s right after the write: %s", i, r.body()).isEqualTo(200);
            assertThat(r.json().at("/token/type").asText()).isEqualTo("_service_account_file");
        }
        // a wrong secret is still wrong, and costs only a look at the file's stamp
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/kibana", "fresh0", "not-the-secret")).status())
                .isEqualTo(401);
    }

    @Test
    void changesArePickedUpWithinASecond() throws Exception {
        Path file = tokensFile();
        node = TestNode.start(home, Map.of());
        String auth = bearerFor("elastic/kibana", "live", "live-secret-1");
        assertThat(node.request("GET", "/_security/_authenticate", auth).status()).isEqualTo(401);

        write(file, List.of(line("elastic/kibana/live", "live-secret-1")));
        assertThat(statusWithin(auth, 200, 1000)).isEqualTo(200);

        write(file, List.of(line("elastic/kibana/other", "other-secret-1")));
        assertThat(statusWithin(auth, 401, 1000)).isEqualTo(401); // cached success was invalidated

        write(file, List.of(line("elastic/kibana/live", "live-secret-1")));
        assertThat(statusWithin(auth, 200, 1000)).isEqualTo(200);
        Files.delete(file);
        assertThat(statusWithin(auth, 401, 1000)).isEqualTo(401); // a deleted file means no file tokens
    }

    @Test
    void malformedLinesAreSkippedNotFatal() throws Exception {
        Files.write(tokensFile(), List.of("this line has no colon", line("elastic/kibana/good", "good-secret-1"),
                "elastic/kibana/plain:plaintext-is-refused", "elastic/kibana/empty:"));
        node = TestNode.start(home, Map.of());
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/kibana", "good", "good-secret-1")).status()).isEqualTo(200);
        assertThat(node.request("GET", "/_security/_authenticate", bearerFor("elastic/kibana", "plain", "plaintext-is-refused")).status())
                .isEqualTo(401);
        assertThat(node.asElastic("GET", "/_security/service/elastic/kibana/credential").json().at("/nodes_credentials/file_tokens").toString())
                .isEqualTo("{\"good\":{\"nodes\":[\"node-0\"]}}");
    }

    @Test
    void anUnreadableFileAtReloadKeepsTheLastGoodTokens() throws Exception {
        Path file = tokensFile();
        Files.write(file, List.of(line("elastic/kibana/kept", "kept-secret-1")));
        node = TestNode.start(home, Map.of());
        String auth = bearerFor("elastic/kibana", "kept", "kept-secret-1");
        assertThat(node.request("GET", "/_security/_authenticate", auth).status()).isEqualTo(200);
        // A directory in its place cannot be read (as root, modes would not stop us: see the CLI's permission tests).
        Files.delete(file);
        Files.createDirectory(file);
        Thread.sleep(800);
        node.node().fileCache().invalidateAll();
        assertThat(node.request("GET", "/_security/_authenticate", auth).status()).isEqualTo(200);
    }

    @Test
    void anUnreadableFileAtStartStopsTheNodeWithTheCause() throws Exception {
        Files.createDirectories(tokensFile()); // exists, cannot be read as a file
        // not a permission problem: the cause, and no chmod advice (UnreadableFilesProcessTest covers permissions)
        assertThatThrownBy(() -> TestNode.start(home, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Failed to load service_tokens file [" + home.resolve("config/service_tokens") + "]: java.io.IOException: Is a directory");
    }
}
