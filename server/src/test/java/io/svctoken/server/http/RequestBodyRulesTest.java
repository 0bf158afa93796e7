package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule for every JSON request body, over real HTTP (issue #12 item 4): a key repeated at any depth is a
 * 400, whichever API reads the body.
 */
class RequestBodyRulesTest {

    @TempDir
    static Path home;
    static TestNode node;
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        assertThat(node.asElastic("PUT", "/_security/user/body_user", "{\"password\":\"body-user-pass\",\"roles\":[]}").status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Response send(String method, String path, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header("Authorization", TestNode.ELASTIC_BASIC)
                .build();
        HttpResponse<String> resp = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
        return new Response(resp.statusCode(), resp.body(), resp.headers());
    }

    private static Response send(String method, String path, String body) throws Exception {
        return send(method, path, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Jackson read error as Elasticsearch reports it: located x_content_parse_exception, Jackson's own error as
     * its cause. Locations are Jackson's: a repeated key is reported just after its closing quote.
     */
    private static void assertSyntaxError(Response r, String located, String jackson) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        JsonNode e = r.json().get("error");
        assertThat(e.get("type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(e.get("reason").asText()).isEqualTo(located + jackson);
        assertThat(e.at("/caused_by/type").asText()).isEqualTo("json_parse_exception");
        assertThat(e.at("/caused_by/reason").asText()).isEqualTo(jackson);
        assertThat(e.at("/root_cause/0/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(e.at("/root_cause/0/reason").asText()).isEqualTo(located + jackson);
        assertThat(e.at("/root_cause/0/caused_by").isMissingNode()).isTrue();
        assertThat(r.json().get("status").asInt()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ item 4: duplicate keys

    @Test
    void apiKeyCreateRefusesDuplicateKeysAtAnyDepth() throws Exception {
        assertSyntaxError(send("POST", "/_security/api_key", "{\"name\":\"dup-a\",\"name\":\"dup-b\"}"),
                "[1:23] ", "Duplicate field 'name'");
        assertSyntaxError(send("POST", "/_security/api_key",
                        "{\"name\":\"dup-c\",\"role_descriptors\":{\"r\":{\"cluster\":[\"all\"]},\"r\":{\"cluster\":[]}}}"),
                "[1:64] ", "Duplicate field 'r'");
        assertSyntaxError(send("POST", "/_security/api_key",
                        "{\"name\":\"dup-d\",\"role_descriptors\":{\"r\":{\"cluster\":[],\"cluster\":[\"all\"]}}}"),
                "[1:64] ", "Duplicate field 'cluster'");
        assertSyntaxError(send("POST", "/_security/api_key", "{\"name\":\"dup-e\",\"metadata\":{\"a\":{\"b\":1,\"b\":2}}}"),
                "[1:43] ", "Duplicate field 'b'");
        // nothing was created
        JsonNode keys = node.asElastic("GET", "/_security/api_key?owner=true").json().get("api_keys");
        assertThat(keys.findValuesAsText("name")).doesNotContain("dup-a", "dup-b", "dup-c", "dup-d", "dup-e");
    }

    @Test
    void apiKeyInvalidateRefusesDuplicateKeys() throws Exception {
        assertSyntaxError(send("DELETE", "/_security/api_key", "{\"ids\":[\"x\"],\"ids\":[\"y\"]}"), "[1:19] ", "Duplicate field 'ids'");
    }

    @Test
    void putUserRefusesADuplicatePassword() throws Exception {
        assertSyntaxError(send("PUT", "/_security/user/dup_user", "{\"password\":\"first-pass\",\"password\":\"second-pass\",\"roles\":[]}"),
                "[1:36] ", "Duplicate field 'password'");
        assertSyntaxError(send("PUT", "/_security/user/dup_user", "{\"password\":\"first-pass\",\"roles\":[],\"metadata\":{\"k\":1,\"k\":2}}"),
                "[1:58] ", "Duplicate field 'k'");
        assertThat(node.asElastic("GET", "/_security/user/dup_user").status()).isEqualTo(404);
    }

    @Test
    void putRoleRefusesDuplicateKeysAtAnyDepth() throws Exception {
        assertSyntaxError(send("PUT", "/_security/role/dup_role", "{\"cluster\":[],\"cluster\":[\"all\"]}"),
                "[1:24] ", "Duplicate field 'cluster'");
        assertSyntaxError(send("PUT", "/_security/role/dup_role",
                        "{\"indices\":[{\"names\":[\"a\"],\"privileges\":[\"read\"],\"names\":[\"b\"]}]}"),
                "[1:57] ", "Duplicate field 'names'");
        assertSyntaxError(send("PUT", "/_security/role/dup_role", "{\"metadata\":{\"a\":1,\"a\":2}}"), "[1:23] ", "Duplicate field 'a'");
        assertThat(node.asElastic("GET", "/_security/role/dup_role").status()).isEqualTo(404);
    }

    @Test
    void changePasswordRefusesADuplicatePassword() throws Exception {
        assertSyntaxError(send("POST", "/_security/user/body_user/_password", "{\"password\":\"changed-1\",\"password\":\"changed-2\"}"),
                "[1:35] ", "Duplicate field 'password'");
        // the password did not change
        assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic("body_user", "body-user-pass")).status()).isEqualTo(200);
    }
}
