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
        put("/_security/role/key_owner", "{\"cluster\":[\"monitor\",\"manage_own_api_key\"]}");
        put("/_security/user/owner", "{\"password\":\"owner-pass\",\"roles\":[\"key_owner\"]}");
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

    /** Resources sorted; the privileges of each, and cluster, in Java hash-map order, which Elasticsearch prints. */
    @Test
    void answersInElasticsearchsShapeWithSortedResources() throws Exception {
        Response r = asReader("POST", "/_security/user/_has_privileges", "{\"cluster\":[\"monitor\",\"manage_security\"],"
                + "\"index\":[{\"names\":[\"logs-a1\",\"logs-*\",\"metrics-x\"],\"privileges\":[\"read\"]},"
                + "{\"names\":[\"/sec-[1-3]/\"],\"privileges\":[\"write\"]}],"
                + "\"application\":[{\"application\":\"app1\",\"privileges\":[\"read\"],\"resources\":[\"space/x\",\"*\"]}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"username\":\"reader\",\"has_all_requested\":false,"
                + "\"cluster\":{\"monitor\":true,\"manage_security\":false},"
                + "\"index\":{\"/sec-[1-3]/\":{\"write\":true},\"logs-*\":{\"read\":false},\"logs-a1\":{\"read\":true},\"metrics-x\":{\"read\":true}},"
                + "\"application\":{\"app1\":{\"*\":{\"read\":false},\"space/x\":{\"read\":true}}}}");
        // GET with a body, the path naming oneself, and "applications" as the alias
        Response own = asReader("GET", "/_security/user/reader/_has_privileges",
                "{\"applications\":[{\"application\":\"app1\",\"privileges\":[\"read\"],\"resources\":[\"space/x\"]}]}");
        assertThat(own.body()).isEqualTo("{\"username\":\"reader\",\"has_all_requested\":true,\"cluster\":{},\"index\":{},"
                + "\"application\":{\"app1\":{\"space/x\":{\"read\":true}}}}");
    }

    @Test
    void anotherUserIsForbiddenThenRefused() throws Exception {
        Response r = asReader("POST", "/_security/user/elastic/_has_privileges", "{\"cluster\":[\"monitor\"]}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).startsWith(
                "action [cluster:admin/xpack/security/user/has_privileges] is unauthorized for user [reader]");
        Response byElastic = node.asElastic("POST", "/_security/user/reader/_has_privileges", "{\"cluster\":[\"monitor\"]}");
        assertThat(byElastic.status()).isEqualTo(400);
        assertThat(byElastic.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(byElastic.json().at("/error/reason").asText()).isEqualTo("users may only check the privileges of their own account");
    }

    @Test
    void bodyErrorsUseElasticsearchsTexts() throws Exception {
        assertError(asReader("POST", "/_security/user/_has_privileges", "{\"foo\":[]}"), "parse_exception",
                "failed to parse privileges check [reader]. unexpected field [foo]");
        assertError(asReader("POST", "/_security/user/_has_privileges", "{}"), "parse_exception",
                "failed to parse privileges check [reader]. All privilege fields [cluster,index,applications] are missing");
        assertError(asReader("POST", "/_security/user/_has_privileges",
                        "{\"index\":[{\"names\":[\"a\"],\"privileges\":[\"read\"],\"field_security\":{\"grant\":[\"x\"]}}]}"),
                "parse_exception", "Field [field_security] is not supported in a has_privileges request");
        assertError(asReader("POST", "/_security/user/_has_privileges",
                        "{\"index\":[{\"names\":[\"a\"],\"privileges\":[\"read\"],\"query\":\"{}\"}]}"),
                "parse_exception", "Field [query] is not supported in a has_privileges request");
        Response unknown = asReader("POST", "/_security/user/_has_privileges", "{\"cluster\":[\"bogus\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/reason").asText()).startsWith("unknown cluster privilege [bogus].");
    }

    @Test
    void requestValidationUsesElasticsearchsTexts() throws Exception {
        assertError(asReader("POST", "/_security/user/_has_privileges", "{\"cluster\":[],\"index\":[]}"),
                "action_request_validation_exception", "Validation Failed: 1: must specify at least one privilege;");
        assertError(asReader("POST", "/_security/user/_has_privileges",
                        "{\"application\":[{\"application\":\"app*\",\"privileges\":[\"read\"],\"resources\":[\"*\"]}]}"),
                "action_request_validation_exception", "Validation Failed: 1: Application names may not contain '*' (found 'app*');");
    }

    private static void assertError(Response r, String type, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo(reason);
    }

    @Test
    void serviceAccountsAndApiKeys() throws Exception {
        Response token = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/hp", null);
        String bearer = "Bearer " + token.json().at("/token/value").asText();
        Response sa = node.request("POST", "/_security/user/_has_privileges", bearer,
                "{\"cluster\":[\"monitor\",\"manage_own_api_key\",\"manage_security\"],"
                        + "\"index\":[{\"names\":[\".fleet-agents-7\"],\"privileges\":[\"read\"]}]}", Map.of());
        assertThat(sa.status()).as(sa.body()).isEqualTo(200);
        assertThat(sa.json().get("username").asText()).isEqualTo("elastic/fleet-server");
        assertThat(sa.json().get("cluster").toString()).isEqualTo("{\"monitor\":true,\"manage_security\":false,\"manage_own_api_key\":true}");
        assertThat(sa.json().at("/index/.fleet-agents-7/read").asBoolean()).isTrue();

        // a key asking for all under an owner with monitor holds monitor only
        Response key = node.request("POST", "/_security/api_key", basic("owner", "owner-pass"),
                "{\"name\":\"k\",\"role_descriptors\":{\"r\":{\"cluster\":[\"all\"]}}}", Map.of());
        assertThat(key.status()).as(key.body()).isEqualTo(200);
        Response byKey = node.request("POST", "/_security/user/_has_privileges", "ApiKey " + key.json().get("encoded").asText(),
                "{\"cluster\":[\"monitor\",\"manage_security\"]}", Map.of());
        assertThat(byKey.json().get("username").asText()).isEqualTo("owner");
        assertThat(byKey.json().get("cluster").toString()).isEqualTo("{\"monitor\":true,\"manage_security\":false}");
        // such a key cannot list its privileges
        Response list = node.request("GET", "/_security/user/_privileges", "ApiKey " + key.json().get("encoded").asText(), null, Map.of());
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.json().at("/error/reason").asText()).startsWith("Cannot retrieve privileges for API keys with assigned role descriptors.");
    }

    @Test
    void theCallersPrivileges() throws Exception {
        Response r = asReader("GET", "/_security/user/_privileges", null);
        assertThat(r.body()).isEqualTo("{\"cluster\":[\"monitor\"],\"global\":[],\"indices\":["
                + "{\"names\":[\"logs-a*\"],\"privileges\":[\"read\"],\"allow_restricted_indices\":false},"
                + "{\"names\":[\"metrics-*\"],\"privileges\":[\"read\",\"write\"],\"allow_restricted_indices\":false},"
                + "{\"names\":[\"/sec-[0-9]+/\"],\"privileges\":[\"all\"],\"allow_restricted_indices\":false}],"
                + "\"applications\":[{\"application\":\"app1\",\"privileges\":[\"read\"],\"resources\":[\"space/*\"]}],\"run_as\":[]}");
    }
}
