package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
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
 * One rule for every JSON request body, over real HTTP (issue #12 items 4 and 8): duplicate keys at any
 * depth, invalid UTF-8 and content after the root value are a 400, whichever API reads the body.
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

    /** UTF-8 text with raw bytes spliced in where {@code \u0000} stands. */
    private static byte[] withBytes(String text, int... raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = text.indexOf('\u0000');
        out.writeBytes(text.substring(0, i).getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes(text.substring(i + 1).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
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

    private static void assertSyntaxErrorContaining(Response r, String jacksonPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode e = r.json().get("error");
        assertThat(e.get("type").asText()).as(r.body()).isEqualTo("x_content_parse_exception");
        assertThat(e.get("reason").asText()).matches("(?s)\\[\\d+:\\d+\\] .*").contains(jacksonPart);
        assertThat(e.at("/caused_by/type").asText()).isEqualTo("json_parse_exception");
        assertThat(e.at("/caused_by/reason").asText()).contains(jacksonPart);
    }

    /** Elasticsearch's {@code ParsingException} for a token after the root object, with its line and column. */
    private static void assertTrailing(Response r, String token, int line, int col) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode e = r.json().get("error");
        String reason = "Unexpected token [" + token + "] found after the main object.";
        assertThat(e.get("type").asText()).as(r.body()).isEqualTo("parsing_exception");
        assertThat(e.get("reason").asText()).isEqualTo(reason);
        assertThat(e.get("line").isInt()).isTrue();
        assertThat(e.get("line").asInt()).isEqualTo(line);
        assertThat(e.get("col").asInt()).isEqualTo(col);
        assertThat(e.at("/root_cause/0/type").asText()).isEqualTo("parsing_exception");
        assertThat(e.at("/root_cause/0/reason").asText()).isEqualTo(reason);
        assertThat(e.at("/root_cause/0/line").asInt()).isEqualTo(line);
        assertThat(e.at("/root_cause/0/col").asInt()).isEqualTo(col);
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

    // ------------------------------------------------------------------ item 8: invalid UTF-8

    @Test
    void roleApiRefusesInvalidUtf8LikeEveryOtherApi() throws Exception {
        byte[] badMiddle = withBytes("{\"description\":\"caf\u0000\"}", 0xC3, 0x28);
        assertSyntaxErrorContaining(send("PUT", "/_security/role/utf8_role", badMiddle), "Invalid UTF-8 middle byte 0x28");
        byte[] badStart = withBytes("{\"cluster\":[\"\u0000\"]}", 0xFF);
        assertSyntaxErrorContaining(send("PUT", "/_security/role/utf8_role", badStart), "Invalid UTF-8 start byte 0xff");
        byte[] badKey = withBytes("{\"metadata\":{\"k\u0000\":1}}", 0xE2, 0x28, 0xA1);
        assertSyntaxErrorContaining(send("PUT", "/_security/role/utf8_role", badKey), "Invalid UTF-8");
        assertThat(node.asElastic("GET", "/_security/role/utf8_role").status()).isEqualTo(404);

        // the same rule, the same answer, for the other APIs
        assertThat(send("PUT", "/_security/role/utf8_role", badMiddle).body())
                .isEqualTo(send("PUT", "/_security/user/utf8_user", withBytes("{\"description\":\"caf\u0000\"}", 0xC3, 0x28)).body())
                .isEqualTo(send("POST", "/_security/api_key", withBytes("{\"description\":\"caf\u0000\"}", 0xC3, 0x28)).body());
        assertSyntaxErrorContaining(send("PUT", "/_security/user/utf8_user", withBytes("{\"password\":\"pass\u0000word\",\"roles\":[]}", 0xFF)),
                "Invalid UTF-8 start byte 0xff");
        assertSyntaxErrorContaining(send("POST", "/_security/api_key", withBytes("{\"name\":\"k\u0000\"}", 0xC3, 0x28)),
                "Invalid UTF-8 middle byte 0x28");
        assertSyntaxErrorContaining(send("POST", "/_security/user/body_user/_password", withBytes("{\"password\":\"p\u0000ssword\"}", 0xC3)),
                "Invalid UTF-8");
    }

    // ------------------------------------------------------------------ item 8: content after the body

    @Test
    void contentAfterTheRootObjectIsRefusedByEveryApi() throws Exception {
        assertTrailing(send("PUT", "/_security/role/trailing_role", "{} {}"), "START_OBJECT", 1, 4);
        assertTrailing(send("PUT", "/_security/role/trailing_role", "{\"cluster\":[]}\n[1]"), "START_ARRAY", 2, 1);
        // Jackson 2.23 locates an unknown token at its start (Jackson 2.17, in Elasticsearch 8.19, at its end: [1:19])
        assertSyntaxError(send("PUT", "/_security/role/trailing_role", "{\"cluster\":[]} xyz"), "[1:16] ",
                "Unrecognized token 'xyz': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
        assertThat(node.asElastic("GET", "/_security/role/trailing_role").status()).isEqualTo(404);

        assertTrailing(send("PUT", "/_security/user/trailing_user", "{\"password\":\"trailing-pass\",\"roles\":[]} \"x\""),
                "VALUE_STRING", 1, 41);
        assertThat(node.asElastic("GET", "/_security/user/trailing_user").status()).isEqualTo(404);
        assertTrailing(send("POST", "/_security/api_key", "{\"name\":\"trailing-key\"}{\"name\":\"other\"}"), "START_OBJECT", 1, 24);
        assertTrailing(send("DELETE", "/_security/api_key", "{\"name\":\"x\"} 1"), "VALUE_NUMBER", 1, 14);
        assertTrailing(send("POST", "/_security/user/body_user/_password", "{\"password\":\"trailing-2\"} true"), "VALUE_BOOLEAN", 1, 27);
        assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic("body_user", "body-user-pass")).status()).isEqualTo(200);

        // white space after the body is fine
        assertThat(send("PUT", "/_security/role/trailing_ok", "{\"cluster\":[]} \n\t\r\n").status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ comments, which Elasticsearch's JSON parser allows

    @Test
    void javaStyleCommentsAreAllowedInEveryBody() throws Exception {
        assertThat(send("PUT", "/_security/role/commented_role", "{/* c */\"cluster\": [\"monitor\"] // line\n}").status()).isEqualTo(200);
        assertThat(node.asElastic("GET", "/_security/role/commented_role").json().at("/commented_role/cluster/0").asText()).isEqualTo("monitor");
        assertThat(send("PUT", "/_security/user/commented_user", "// new user\n{\"password\":\"commented-pass\", /* none */ \"roles\":[]}")
                .status()).isEqualTo(200);
        assertThat(send("POST", "/_security/api_key", "{\"name\":\"commented-key\" /* , \"name\":\"other\" */}").status()).isEqualTo(200);
        // a comment after the body is white space, not content
        assertThat(send("POST", "/_security/user/commented_user/_password", "{\"password\":\"commented-2\"} // done").status()).isEqualTo(200);
        assertSyntaxErrorContaining(send("PUT", "/_security/role/commented_role", "{# hash comments are YAML's\n}"), "Unexpected character ('#'");
    }
}
