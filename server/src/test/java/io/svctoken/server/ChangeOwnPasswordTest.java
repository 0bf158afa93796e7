package io.svctoken.server;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.server.TestNode.Response;
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
 * "Change your own password" without a privilege holds only for a user of the native or reserved realm
 * (Elasticsearch's rule: the realm type of the effective user, and only for realm authentication). A
 * file user, a run-as into a file user, an API key or a service account needs the privilege like
 * anyone changing another user's password — otherwise a file user {@code carol} rewrote native
 * {@code carol}'s password.
 */
class ChangeOwnPasswordTest {

    private static final String DENIED_SUFFIX = ", this action is granted by the cluster privileges [manage_security,all]";
    private static final String ACTION = "action [cluster:admin/xpack/security/user/change_password] is unauthorized for ";

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        Path conf = Files.createDirectories(home.resolve("config"));
        Hasher h = Hasher.resolve("pbkdf2_1000");
        Files.write(conf.resolve("users"), List.of("carol:" + h.hash(Secret.of("file-carol-pass")),
                "runner:" + h.hash(Secret.of("runner-pass"))));
        Files.write(conf.resolve("users_roles"), List.of("viewer:carol", "impersonator:runner"));
        Files.write(conf.resolve("roles.yml"), List.of("impersonator:", "  run_as: [carol, dave]"));
        node = TestNode.start(home, Map.of());
        put("/_security/role/own_keys", "{\"cluster\":[\"manage_own_api_key\"]}");
        put("/_security/user/carol", "{\"password\":\"native-carol-pass\",\"roles\":[\"own_keys\"]}");
        put("/_security/user/dave", "{\"password\":\"native-dave-pass\",\"roles\":[]}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void put(String path, String body) throws Exception {
        Response r = node.asElastic("PUT", path, body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
    }

    private static int login(String user, String password) throws Exception {
        return node.request("GET", "/_security/_authenticate", basic(user, password)).status();
    }

    @Test
    void aFileUserCannotChangeTheNativeUserOfTheSameName() throws Exception {
        for (String path : List.of("/_security/user/_password", "/_security/user/carol/_password")) {
            Response r = node.request("POST", path, basic("carol", "file-carol-pass"), "{\"password\":\"stolen-pass\"}", Map.of());
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(403);
            assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
            assertThat(r.json().at("/error/reason").asText())
                    .isEqualTo(ACTION + "user [carol] with effective roles [viewer]" + DENIED_SUFFIX);
            Response hashForm = node.request("POST", path, basic("carol", "file-carol-pass"),
                    "{\"password_hash\":\"" + Hasher.resolve("pbkdf2_1000").hash(Secret.of("stolen-pass")) + "\"}", Map.of());
            assertThat(hashForm.status()).as(hashForm.body()).isEqualTo(403);
        }
        assertThat(login("carol", "native-carol-pass")).as("native carol keeps her password").isEqualTo(200);
        assertThat(login("carol", "stolen-pass")).isEqualTo(401);
    }

    @Test
    void nativeAndReservedUsersChangeTheirOwn() throws Exception {
        put("/_security/user/erin", "{\"password\":\"erin-pass-1\",\"roles\":[]}");
        Response own = node.request("POST", "/_security/user/_password", basic("erin", "erin-pass-1"), "{\"password\":\"erin-pass-2\"}", Map.of());
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(login("erin", "erin-pass-2")).isEqualTo(200);

        assertThat(node.asElastic("POST", "/_security/user/kibana_system/_password", "{\"password\":\"kibana-pass-1\"}").status()).isEqualTo(200);
        Response reserved = node.request("POST", "/_security/user/kibana_system/_password", basic("kibana_system", "kibana-pass-1"),
                "{\"password\":\"kibana-pass-2\"}", Map.of());
        assertThat(reserved.status()).as(reserved.body()).isEqualTo(200);
        assertThat(login("kibana_system", "kibana-pass-2")).isEqualTo(200);
    }

    @Test
    void runAsCountsTheRealmOfTheEffectiveUser() throws Exception {
        // carol is found in the file realm first (it comes before the native realm): not her own native password
        Response intoFile = node.request("POST", "/_security/user/_password", basic("runner", "runner-pass"), "{\"password\":\"stolen-pass\"}",
                Map.of("es-security-runas-user", "carol"));
        assertThat(intoFile.status()).as(intoFile.body()).isEqualTo(403);
        assertThat(intoFile.json().at("/error/reason").asText())
                .isEqualTo(ACTION + "user [runner] run as [carol] with effective roles [viewer]" + DENIED_SUFFIX);
        assertThat(login("carol", "native-carol-pass")).isEqualTo(200);

        // dave exists only in the native realm: as in Elasticsearch, run as dave may change dave's password
        Response intoNative = node.request("POST", "/_security/user/_password", basic("runner", "runner-pass"), "{\"password\":\"dave-pass-2\"}",
                Map.of("es-security-runas-user", "dave"));
        assertThat(intoNative.status()).as(intoNative.body()).isEqualTo(200);
        assertThat(login("dave", "dave-pass-2")).isEqualTo(200);
    }

    @Test
    void anApiKeyIsNotItsOwnerChangingTheirPassword() throws Exception {
        Response key = node.request("POST", "/_security/api_key", basic("carol", "native-carol-pass"), "{\"name\":\"carols-key\"}", Map.of());
        assertThat(key.status()).as(key.body()).isEqualTo(200);
        String apiKey = "ApiKey " + key.json().get("encoded").asText();
        String id = key.json().get("id").asText();
        for (String path : List.of("/_security/user/_password", "/_security/user/carol/_password")) {
            Response r = node.request("POST", path, apiKey, "{\"password\":\"stolen-pass\"}", Map.of());
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(403);
            assertThat(r.json().at("/error/reason").asText()).isEqualTo(ACTION + "API key id [" + id + "] of user [carol]" + DENIED_SUFFIX);
        }
        assertThat(login("carol", "native-carol-pass")).isEqualTo(200);
    }
}
