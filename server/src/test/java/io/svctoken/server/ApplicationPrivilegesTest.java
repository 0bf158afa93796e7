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

/** Application privileges over real HTTP: put, get, delete, clear cache, and their use by has_privileges (issue 14). */
class ApplicationPrivilegesTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        assertThat(node.asElastic("PUT", "/_security/role/app_user", "{\"applications\":[{\"application\":\"myapp\","
                + "\"privileges\":[\"read\"],\"resources\":[\"*\"]}]}").status()).isEqualTo(200);
        assertThat(node.asElastic("PUT", "/_security/user/appuser", "{\"password\":\"appuser-pass\",\"roles\":[\"app_user\"]}").status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void putGetDeleteAsElasticsearchAnswers() throws Exception {
        Response put = node.asElastic("PUT", "/_security/privilege", "{\"myapp\":{\"read\":{\"application\":\"myapp\",\"name\":\"read\","
                + "\"actions\":[\"data:read/*\",\"action:login\"],\"metadata\":{\"k\":\"v\"}},\"write\":{\"actions\":[\"data:write/*\"]}},"
                + "\"other\":{\"p1\":{\"actions\":[\"*\"]}}}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{\"myapp\":{\"read\":{\"created\":true},\"write\":{\"created\":true}},\"other\":{\"p1\":{\"created\":true}}}");
        Response again = node.asElastic("POST", "/_security/privilege/", "{\"other\":{\"p1\":{\"actions\":[\"other:*\"]}}}");
        assertThat(again.body()).isEqualTo("{\"other\":{\"p1\":{\"created\":false}}}");

        Response one = node.asElastic("GET", "/_security/privilege/myapp/read");
        assertThat(one.body()).isEqualTo("{\"myapp\":{\"read\":{\"application\":\"myapp\",\"name\":\"read\","
                + "\"actions\":[\"data:read/*\",\"action:login\"],\"metadata\":{\"k\":\"v\"}}}}");
        assertThat(node.asElastic("GET", "/_security/privilege/myapp").json().get("myapp").size()).isEqualTo(2);
        assertThat(node.asElastic("GET", "/_security/privilege").json().size()).isEqualTo(2);
        Response missing = node.asElastic("GET", "/_security/privilege/myapp/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{}");
        assertThat(node.asElastic("GET", "/_security/privilege/noapp").body()).isEqualTo("{}");

        Response delete = node.asElastic("DELETE", "/_security/privilege/other/p1,p0");
        assertThat(delete.status()).isEqualTo(200);
        assertThat(delete.json().at("/other/p1/found").asBoolean()).isTrue();
        assertThat(delete.json().at("/other/p0/found").asBoolean()).isFalse();
        Response none = node.asElastic("DELETE", "/_security/privilege/other/p1");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.body()).isEqualTo("{\"other\":{\"p1\":{\"found\":false}}}");

        Response clear = node.asElastic("POST", "/_security/privilege/myapp/_clear_cache", null);
        assertThat(clear.status()).as(clear.body()).isEqualTo(200);
        assertThat(clear.json().at("/_nodes/failed").asInt()).isZero();
        assertThat(clear.json().get("cluster_name").asText()).isEqualTo("test-cluster");
    }

    @Test
    void validationUsesElasticsearchsTexts() throws Exception {
        Response r = node.asElastic("PUT", "/_security/privilege", "{\"ab\":{\"Bad\":{\"actions\":[\"nosep\"],\"metadata\":{\"_x\":1}}}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("Validation Failed: "
                + "1: An application name prefix must be at least 3 characters long (found 'ab');"
                + "2: Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found 'Bad');"
                + "3: action [nosep] must contain one of [ '/' , '*' , ':' ];"
                + "4: metadata keys may not start with [_] (in privilege ab Bad);");
        Response mismatch = node.asElastic("PUT", "/_security/privilege", "{\"myapp\":{\"p\":{\"application\":\"other\",\"actions\":[\"a:b\"]}}}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.json().at("/error/reason").asText()).isEqualTo(
                "privilege application [other] in source does not match the provided application [myapp]");
        Response notObject = node.asElastic("PUT", "/_security/privilege", "{\"myapp\":[]}");
        assertThat(notObject.json().at("/error/reason").asText()).isEqualTo("expected the value for myapp to be an object, but found START_ARRAY instead");
    }

    @Test
    void readersMayGetButNotPut() throws Exception {
        Response r = node.request("PUT", "/_security/privilege", basic("appuser", "appuser-pass"), "{\"myapp\":{\"x\":{\"actions\":[\"a:b\"]}}}", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).startsWith("action [cluster:admin/xpack/security/privilege/put] is unauthorized for user [appuser]");
    }

    @Test
    void hasPrivilegesResolvesStoredDefinitions() throws Exception {
        assertThat(node.asElastic("PUT", "/_security/privilege", "{\"myapp\":{\"read\":{\"actions\":[\"data:read/*\",\"action:login\"]},"
                + "\"admin\":{\"actions\":[\"*\"]}}}").status()).isEqualTo(200);
        Response r = node.request("POST", "/_security/user/_has_privileges", basic("appuser", "appuser-pass"),
                "{\"application\":[{\"application\":\"myapp\",\"privileges\":[\"read\",\"admin\",\"data:read/doc\",\"data:write/doc\"],"
                        + "\"resources\":[\"res1\"]}]}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/application/myapp/res1")).isEqualTo(io.svctoken.server.http.Json.MAPPER.readTree(
                "{\"data:write/doc\":false,\"read\":true,\"admin\":false,\"data:read/doc\":true}"));
    }
}
