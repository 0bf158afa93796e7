package io.svctoken.server;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #12, item 2: wrong passwords sent for a user must not evict that user's cached login, in any
 * realm; a password change, a disable and a delete still do. Work is observed by counting the stored
 * hashes verified (TestNode hashes passwords with pbkdf2_1000), never by timing.
 */
class CachedLoginUnderWrongPasswordsTest {

    private static final Hasher PASSWORDS = Hasher.resolve("pbkdf2_1000");
    /** Fewer than the failure budget allows from one source, so every wrong password reaches its realm. */
    private static final int WRONG = 5;

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        Path conf = Files.createDirectories(home.resolve("config"));
        Files.write(conf.resolve("users"), List.of("filer:" + PASSWORDS.hash(Secret.of("filer-pass"))));
        node = TestNode.start(home, Map.of());
        for (String user : List.of("native_user", "changer")) {
            assertThat(node.asElastic("PUT", "/_security/user/" + user, "{\"password\":\"" + user + "-pass\",\"roles\":[]}").status())
                    .isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static int status(String user, String password) throws Exception {
        return node.request("GET", "/_security/_authenticate", basic(user, password)).status();
    }

    private static void assertCachedLoginSurvivesWrongPasswords(String user, String password) throws Exception {
        assertThat(status(user, password)).isEqualTo(200);
        long cached = PASSWORDS.verifications();
        assertThat(status(user, password)).isEqualTo(200);
        assertThat(PASSWORDS.verifications()).as("the second login comes from the cache").isEqualTo(cached);
        for (int i = 0; i < WRONG; i++) {
            assertThat(status(user, "wrong-" + i)).isEqualTo(401);
        }
        long afterWrong = PASSWORDS.verifications();
        assertThat(afterWrong - cached).as("each wrong password is checked against the stored hash").isEqualTo(WRONG);
        assertThat(status(user, password)).isEqualTo(200);
        assertThat(PASSWORDS.verifications()).as("the right password is still served from the cache").isEqualTo(afterWrong);
    }

    @Test
    void reservedRealmKeepsTheCachedLogin() throws Exception {
        assertCachedLoginSurvivesWrongPasswords("elastic", TestNode.PASSWORD);
    }

    @Test
    void nativeRealmKeepsTheCachedLogin() throws Exception {
        assertCachedLoginSurvivesWrongPasswords("native_user", "native_user-pass");
    }

    @Test
    void fileRealmKeepsTheCachedLogin() throws Exception {
        assertCachedLoginSurvivesWrongPasswords("filer", "filer-pass");
    }

    @Test
    void aPasswordChangeDisableAndDeleteStillEvictAtOnce() throws Exception {
        assertCachedLoginSurvivesWrongPasswords("changer", "changer-pass");
        assertThat(node.asElastic("POST", "/_security/user/changer/_password", "{\"password\":\"changer-pass-2\"}").status()).isEqualTo(200);
        assertThat(status("changer", "changer-pass")).isEqualTo(401);
        assertThat(status("changer", "changer-pass-2")).isEqualTo(200);
        assertThat(status("changer", "changer-pass-2")).isEqualTo(200);
        assertThat(node.asElastic("PUT", "/_security/user/changer/_disable", null).status()).isEqualTo(200);
        assertThat(status("changer", "changer-pass-2")).isEqualTo(401);
        assertThat(node.asElastic("PUT", "/_security/user/changer/_enable", null).status()).isEqualTo(200);
        assertThat(status("changer", "changer-pass-2")).isEqualTo(200);
        assertThat(node.asElastic("DELETE", "/_security/user/changer").status()).isEqualTo(200);
        assertThat(status("changer", "changer-pass-2")).isEqualTo(401);
    }
}
