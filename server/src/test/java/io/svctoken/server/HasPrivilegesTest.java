package io.svctoken.server;

import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code _has_privileges} and {@code _privileges} over real HTTP (issue 14). */
class HasPrivilegesTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        put("/_security/role/logs_reader", "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"logs-a*\"],\"privileges\":[\"read\"]},"
                + "{\"names\":[\"metrics-*\"],\"privileges\":[\"read\",\"write\"]},{\"names\":[\"/sec-[0-9]+/\"],\"privileges\":[\"all\"]}],"
                + "\"applications\":[{\"application\":\"app1\",\"privileges\":[\"read\"],\"resources\":[\"space/*\"]}]}");
        put("/_security/user/reader", "{\"password\":\"reader-pass\",\"roles\":[\"logs_reader\"]}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void put(String path, String body) throws Exception {
        Response r = node.asElastic("PUT", path, body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
    }

    private static Response asReader(String method, String path, String body) throws Exception {
        return node.request(method, path, basic("reader", "reader-pass"), body, Map.of());
    }

    @Test
    void reservedNamesUnderUserRouteBeforeTheUsername() throws Exception {
        // the official clients' has_privileges call: it reached put-user for a user named "_has_privileges"
        Response r = asReader("POST", "/_security/user/_has_privileges", "{\"cluster\":[\"monitor\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("username").asText()).isEqualTo("reader");
        Response get = asReader("GET", "/_security/user/_privileges", null);
        assertThat(get.status()).as(get.body()).isEqualTo(200);
        assertThat(get.json().has("cluster")).isTrue();
        // no user of that name was created
        assertThat(node.asElastic("GET", "/_security/user").json().has("_has_privileges")).isFalse();
        // without a body: has_privileges' own 400, not get-user
        Response noBody = node.asElastic("GET", "/_security/user/_has_privileges");
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.json().at("/error/reason").asText()).isEqualTo("request body or source parameter is required");
    }
}
