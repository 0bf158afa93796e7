package io.svctoken.server;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
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

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** users, users_roles and roles.yml in a running node. */
class FileRealmTest {

    @TempDir
    Path home;
    TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Path conf() throws Exception {
        return Files.createDirectories(home.resolve("config"));
    }

    private static String hash(String password) {
        return Hasher.resolve("pbkdf2_1000").hash(Secret.of(password));
    }

    private static void write(Path file, List<String> lines) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), "tmp");
        Files.write(tmp, lines);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private int statusWithin(String auth, String path, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 1500;
        int s;
        do {
            s = node.request("GET", path, auth).status();
            if (s == expected) {
                return s;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return s;
    }

    @Test
    void fileUsersWithFileRolesManageTokens() throws Exception {
        Path conf = conf();
        Files.write(conf.resolve("users"), List.of("# admins", "ops:" + hash("ops-pass"), "bad line without colon", "_bad:" + hash("x")));
        Files.write(conf.resolve("users_roles"), List.of("tokens_admin:ops", "viewer:ops"));
        Files.write(conf.resolve("roles.yml"), List.of("tokens_admin:", "  cluster: [manage_service_account]", "broken: [not, a, map]"));
        node = TestNode.start(home, Map.of());
        Response me = node.request("GET", "/_security/_authenticate", basic("ops", "ops-pass"));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("roles").toString()).isEqualTo("[\"tokens_admin\",\"viewer\"]");
        assertThat(me.json().get("authentication_realm").toString()).isEqualTo("{\"name\":\"default_file\",\"type\":\"file\"}");
        assertThat(node.request("POST", "/_security/service/elastic/kibana/credential/token/by-ops", basic("ops", "ops-pass")).status()).isEqualTo(200);
    }

    @Test
    void theFileRealmComesBeforeTheNativeRealm() throws Exception {
        Path conf = conf();
        Files.write(conf.resolve("users"), List.of("twin:" + hash("file-pass")));
        node = TestNode.start(home, Map.of());
        assertThat(node.asElastic("PUT", "/_security/user/twin", "{\"password\":\"native-pass\",\"roles\":[\"superuser\"]}").status()).isEqualTo(200);
        Response viaFile = node.request("GET", "/_security/_authenticate", basic("twin", "file-pass"));
        assertThat(viaFile.json().at("/authentication_realm/type").asText()).isEqualTo("file");
        Response viaNative = node.request("GET", "/_security/_authenticate", basic("twin", "native-pass"));
        assertThat(viaNative.json().at("/authentication_realm/type").asText()).isEqualTo("native");
    }

    @Test
    void configuredRealmsApplyTheirOrderAndNames() throws Exception {
        Path conf = conf();
        Files.write(conf.resolve("users"), List.of("twin:" + hash("same-pass"), "fileonly:" + hash("file-pass")));
        node = TestNode.start(home, Map.of("xpack.security.authc.realms.native.native1.order", "0",
                "xpack.security.authc.realms.file.file1.order", "1"));
        assertThat(node.asElastic("PUT", "/_security/user/twin", "{\"password\":\"same-pass\",\"roles\":[]}").status()).isEqualTo(200);
        Response twin = node.request("GET", "/_security/_authenticate", basic("twin", "same-pass"));
        assertThat(twin.json().get("authentication_realm").toString()).as("native comes first now")
                .isEqualTo("{\"name\":\"native1\",\"type\":\"native\"}");
        Response fileOnly = node.request("GET", "/_security/_authenticate", basic("fileonly", "file-pass"));
        assertThat(fileOnly.json().get("authentication_realm").toString()).isEqualTo("{\"name\":\"file1\",\"type\":\"file\"}");
        assertThat(node.asElastic("GET", "/_security/_authenticate").json().at("/authentication_realm/name").asText()).isEqualTo("reserved");
    }

    @Test
    void aDisabledFileRealmAuthenticatesNobody() throws Exception {
        Path conf = conf();
        Files.write(conf.resolve("users"), List.of("fileonly:" + hash("file-pass")));
        node = TestNode.start(home, Map.of("xpack.security.authc.realms.file.file1.enabled", "false"));
        assertThat(node.request("GET", "/_security/_authenticate", basic("fileonly", "file-pass")).status()).isEqualTo(401);
        assertThat(node.asElastic("PUT", "/_security/user/nat", "{\"password\":\"nat-pass\",\"roles\":[]}").status()).isEqualTo(200);
        Response nat = node.request("GET", "/_security/_authenticate", basic("nat", "nat-pass"));
        assertThat(nat.json().get("authentication_realm").toString()).isEqualTo("{\"name\":\"default_native\",\"type\":\"native\"}");
    }

    /** As after `elasticsearch-users useradd`: the user can log in on the first try, not after the next poll. */
    @Test
    void aUserJustWrittenToTheFilesLogsInOnTheFirstTry() throws Exception {
        Path conf = conf();
        node = TestNode.start(home, Map.of());
        List<String> users = new ArrayList<>();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add("fresh" + i + ":" + hash("fresh-pass-" + i));
            roles.add("viewer:fresh" + i);
            write(conf.resolve("users_roles"), roles);
            write(conf.resolve("users"), users);
            Response r = node.request("GET", "/_security/_authenticate", basic("fresh" + i, "fresh-pass-" + i));
            assertThat(r.status()).as("first try of user %s right after the write: %s", i, r.body()).isEqualTo(200);
            assertThat(r.json().get("roles").toString()).isEqualTo("[\"viewer\"]");
        }
        assertThat(node.request("GET", "/_security/_authenticate", basic("fresh0", "wrong-pass")).status()).isEqualTo(401);
    }

    @Test
    void changesToTheFilesApplyWithinASecond() throws Exception {
        Path conf = conf();
        node = TestNode.start(home, Map.of());
        String auth = basic("late", "late-pass");
        assertThat(node.request("GET", "/_security/_authenticate", auth).status()).isEqualTo(401);
        write(conf.resolve("users"), List.of("late:" + hash("late-pass")));
        assertThat(statusWithin(auth, "/_security/_authenticate", 200)).isEqualTo(200);
        // no role yet: 403 on the service account list
        assertThat(node.request("GET", "/_security/service", auth).status()).isEqualTo(403);
        write(conf.resolve("roles.yml"), List.of("lister:", "  cluster: [read_security]"));
        write(conf.resolve("users_roles"), List.of("lister:late"));
        assertThat(statusWithin(auth, "/_security/service", 200)).isEqualTo(200);
        write(conf.resolve("users"), List.of("late:" + hash("new-pass")));
        assertThat(statusWithin(auth, "/_security/_authenticate", 401)).isEqualTo(401);
    }
}
