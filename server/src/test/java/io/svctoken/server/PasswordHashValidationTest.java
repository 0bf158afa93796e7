package io.svctoken.server;

import com.fasterxml.jackson.databind.node.TextNode;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code password_hash} of put-user and change-password: only a hash a login can verify is stored —
 * a bcrypt or PBKDF2 hash (Elasticsearch's stored-password algorithms), complete and well formed.
 * Anything else is Elasticsearch's 400 {@code illegal_argument_exception}, with the algorithms in
 * Elasticsearch's order.
 */
class PasswordHashValidationTest {

    static final String UNSUPPORTED = "The provided password hash is not a hash or it could not be resolved to a supported hash"
            + " algorithm. The supported password hash algorithms are [bcrypt, bcrypt4, bcrypt5, bcrypt6, bcrypt7, bcrypt8, bcrypt9,"
            + " bcrypt10, bcrypt11, bcrypt12, bcrypt13, bcrypt14, pbkdf2, pbkdf2_1000, pbkdf2_10000, pbkdf2_50000, pbkdf2_100000,"
            + " pbkdf2_500000, pbkdf2_1000000, pbkdf2_stretch, pbkdf2_stretch_1000, pbkdf2_stretch_10000, pbkdf2_stretch_50000,"
            + " pbkdf2_stretch_100000, pbkdf2_stretch_500000, pbkdf2_stretch_1000000]";

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        assertThat(node.asElastic("PUT", "/_security/user/hashed", "{\"password\":\"first-pass\",\"roles\":[]}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static String body(String field, String value) {
        return "{\"" + field + "\":" + new TextNode(value) + (field.equals("password_hash") ? ",\"roles\":[]}" : "}");
    }

    private static String validBcrypt() {
        return Hasher.resolve("bcrypt4").hash(Secret.of("hash-pass"));
    }

    private static String validPbkdf2() {
        return Hasher.resolve("pbkdf2_1000").hash(Secret.of("hash-pass"));
    }

    /** Values with a known prefix that no password can ever match, and values that are no password hash at all. */
    static List<String> garbage() {
        String bcrypt = validBcrypt();
        String pbkdf2 = validPbkdf2();
        String salt = pbkdf2.substring(pbkdf2.indexOf('$') + 1, pbkdf2.lastIndexOf('$'));
        return List.of(
                "not-a-hash",
                "{SSHA256}garbage",
                "{SSHA256}",
                Hasher.SSHA256.hash(Secret.of("hash-pass")),        // well formed, but not a password hashing algorithm
                Hasher.SHA1.hash(Secret.of("hash-pass")),
                Hasher.MD5.hash(Secret.of("hash-pass")),
                "$2a$10$" + "!".repeat(53),                          // 60 characters, not bcrypt's Base64
                "$2a$04$" + "$".repeat(53),
                bcrypt.substring(0, 59),                             // too short
                bcrypt + "A",                                        // too long
                "$2a$99$" + bcrypt.substring(7),                     // no such cost
                "$2a$03$" + bcrypt.substring(7),
                "$2a$1x$" + bcrypt.substring(7),
                bcrypt.substring(0, 28) + "B" + bcrypt.substring(29),  // salt's last character carries bits bcrypt never sets
                bcrypt.substring(0, 59) + "B",                         // same for the hash's last character
                "{PBKDF2}10000$abc$def",
                "{PBKDF2}1000$" + salt + "$!!!",
                "{PBKDF2}1000$" + salt + "$",
                "{PBKDF2}1000$c2FsdA==$" + pbkdf2.substring(pbkdf2.lastIndexOf('$') + 1),  // salt of 4 bytes
                "{PBKDF2}1000$" + salt,
                pbkdf2 + "A",                                          // key not a canonical Base64 of whole blocks
                "{PBKDF2}12345$" + pbkdf2.substring(pbkdf2.indexOf('$') + 1),
                "{PBKDF2_STRETCH}1000$" + salt + "$AAAA",
                "{PBKDF2_STRETCH}x$" + salt + "$" + pbkdf2.substring(pbkdf2.lastIndexOf('$') + 1));
    }

    @Test
    void putUserRefusesEveryValueNoLoginCanVerify() throws Exception {
        for (String value : garbage()) {
            Response r = node.asElastic("PUT", "/_security/user/hashed", body("password_hash", value));
            assertThat(r.status()).as("%s -> %s", value, r.body()).isEqualTo(400);
            assertThat(r.json().at("/error/type").asText()).as(value).isEqualTo("illegal_argument_exception");
            assertThat(r.json().at("/error/reason").asText()).as(value).isEqualTo(UNSUPPORTED);
        }
        assertThat(node.request("GET", "/_security/_authenticate", basic("hashed", "first-pass")).status())
                .as("the user is unchanged").isEqualTo(200);
    }

    @Test
    void changePasswordRefusesEveryValueNoLoginCanVerify() throws Exception {
        for (String value : garbage()) {
            Response r = node.asElastic("POST", "/_security/user/hashed/_password", body("password_hash", value).replace(",\"roles\":[]", ""));
            assertThat(r.status()).as("%s -> %s", value, r.body()).isEqualTo(400);
            assertThat(r.json().at("/error/type").asText()).as(value).isEqualTo("illegal_argument_exception");
            assertThat(r.json().at("/error/reason").asText()).as(value).isEqualTo(UNSUPPORTED);
        }
        assertThat(node.request("GET", "/_security/_authenticate", basic("hashed", "first-pass")).status()).isEqualTo(200);
    }

    @Test
    void hashesOfEveryStoredPasswordFamilyAreAcceptedAndLogIn() throws Exception {
        int i = 0;
        for (String algorithm : List.of("bcrypt4", "bcrypt", "pbkdf2_1000", "pbkdf2", "pbkdf2_stretch_1000", "pbkdf2_stretch")) {
            String user = "hashed_" + i++;
            String hash = Hasher.resolve(algorithm).hash(Secret.of("pass-of-" + algorithm));
            Response put = node.asElastic("PUT", "/_security/user/" + user, body("password_hash", hash));
            assertThat(put.status()).as("%s: %s", algorithm, put.body()).isEqualTo(200);
            assertThat(node.request("GET", "/_security/_authenticate", basic(user, "pass-of-" + algorithm)).status()).as(algorithm).isEqualTo(200);
            String next = Hasher.resolve(algorithm).hash(Secret.of("next-of-" + algorithm));
            Response change = node.asElastic("POST", "/_security/user/" + user + "/_password", "{\"password_hash\":\"" + next + "\"}");
            assertThat(change.status()).as("%s: %s", algorithm, change.body()).isEqualTo(200);
            assertThat(node.request("GET", "/_security/_authenticate", basic(user, "next-of-" + algorithm)).status()).as(algorithm).isEqualTo(200);
        }
    }
}
