package io.svctoken.server;

import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upper bounds of a new password (svctoken's; Elasticsearch has none): with a bcrypt password hashing
 * algorithm at most 72 UTF-8 bytes (bcrypt ignores the rest, so a longer password silently accepted
 * every password sharing its first 72 bytes), and at most 1024 bytes with any algorithm (a ~1 MB
 * password was hashed and stored).
 */
class PasswordLengthTest {

    private static final String BCRYPT_72 = "Validation Failed: 1: passwords must be at most [72] bytes long in UTF-8 with the password"
            + " hashing algorithm [%s], which ignores the bytes after them;";
    private static final String MAX_1024 = "Validation Failed: 1: passwords must be at most [1024] bytes long in UTF-8;";

    @TempDir
    Path home;
    TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Response putUser(String user, String password) throws Exception {
        return node.asElastic("PUT", "/_security/user/" + user, "{\"password\":\"" + password + "\",\"roles\":[]}");
    }

    private static void assertRefused(Response r, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo(reason);
    }

    @Test
    void withBcryptAPasswordIsAtMost72Utf8Bytes() throws Exception {
        node = TestNode.start(home, Map.of("xpack.security.authc.password_hashing.algorithm", "bcrypt4"));
        String reason = String.format(BCRYPT_72, "bcrypt4");
        String ascii72 = "a".repeat(72);
        assertThat(putUser("long", ascii72).status()).isEqualTo(200);
        assertThat(node.request("GET", "/_security/_authenticate", basic("long", ascii72)).status()).isEqualTo(200);

        assertRefused(putUser("longer", "a".repeat(73)), reason);
        assertRefused(putUser("longer", "\u20ac".repeat(25)), reason);      // 25 characters, 75 bytes
        assertThat(putUser("euro", "\u20ac".repeat(24)).status()).isEqualTo(200); // 72 bytes
        assertThat(node.request("GET", "/_security/_authenticate", basic("longer", "a".repeat(73))).status()).isEqualTo(401);

        assertRefused(node.asElastic("POST", "/_security/user/long/_password", "{\"password\":\"" + "b".repeat(73) + "\"}"), reason);
        assertRefused(node.request("POST", "/_security/user/_password", basic("long", ascii72), "{\"password\":\"" + "b".repeat(73) + "\"}",
                Map.of()), reason);
        assertRefused(node.asElastic("POST", "/_security/user/kibana_system/_password", "{\"password\":\"" + "k".repeat(100) + "\"}"), reason);
        assertThat(node.request("GET", "/_security/_authenticate", basic("long", ascii72)).status()).as("unchanged").isEqualTo(200);
    }

    @Test
    void theDefaultBcryptToo() throws Exception {
        node = TestNode.start(home, Map.of("xpack.security.authc.password_hashing.algorithm", "bcrypt"));
        assertRefused(putUser("longer", "a".repeat(73)), String.format(BCRYPT_72, "bcrypt"));
    }

    @Test
    void withPbkdf2LongerPasswordsCountUpTo1024Bytes() throws Exception {
        node = TestNode.start(home, Map.of()); // pbkdf2_1000
        String long73 = "a".repeat(72) + "1";
        assertThat(putUser("long", long73).status()).isEqualTo(200);
        assertThat(node.request("GET", "/_security/_authenticate", basic("long", long73)).status()).isEqualTo(200);
        assertThat(node.request("GET", "/_security/_authenticate", basic("long", "a".repeat(72) + "2")).status())
                .as("every byte counts").isEqualTo(401);

        assertThat(putUser("max", "m".repeat(1024)).status()).isEqualTo(200);
        assertRefused(putUser("over", "m".repeat(1025)), MAX_1024);
        assertRefused(putUser("over", "\u00e9".repeat(513)), MAX_1024); // 1026 bytes
        assertRefused(putUser("huge", "h".repeat(1 << 20)), MAX_1024);
        assertRefused(node.asElastic("POST", "/_security/user/long/_password", "{\"password\":\"" + "h".repeat(1 << 20) + "\"}"), MAX_1024);
        assertThat(node.asElastic("GET", "/_security/user/huge").status()).isEqualTo(404);
    }
}
