package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** The role query over real HTTP: its query subset, paging, sorting, answer shape and refusals (issue 14). */
class RoleQueryTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        Response put = node.asElastic("POST", "/_security/role", "{\"roles\":{"
                + "\"admin_role\":{\"cluster\":[\"all\"],\"metadata\":{\"key1\":\"val1\",\"level\":3,\"team\":{\"name\":\"ops\"}}},"
                + "\"role_with_description\":{\"description\":\"Allows all security operations.\",\"cluster\":[\"manage_security\"]},"
                + "\"app_role\":{\"applications\":[{\"application\":\"kibana-.kibana\",\"privileges\":[\"read\"],\"resources\":[\"*\"]}]},"
                + "\"sec_reader\":{\"cluster\":[\"read_security\"]}}}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(node.asElastic("PUT", "/_security/user/reader", "{\"password\":\"reader-pass\",\"roles\":[\"sec_reader\"]}").status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static List<String> names(Response r) {
        List<String> out = new ArrayList<>();
        r.json().get("roles").forEach(n -> out.add(n.get("name").asText()));
        return out;
    }

    @Test
    void matchAllAndTheAnswersShape() throws Exception {
        Response all = node.asElastic("POST", "/_security/_query/role", null);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().get("total").asInt()).isEqualTo(4);
        assertThat(all.json().get("count").asInt()).isEqualTo(4);
        assertThat(names(all)).containsExactly("admin_role", "app_role", "role_with_description", "sec_reader");
        JsonNode admin = all.json().at("/roles/0");
        assertThat(admin.fieldNames().next()).isEqualTo("name");
        assertThat(admin.get("cluster").get(0).asText()).isEqualTo("all");
        assertThat(admin.has("_sort")).isFalse();
        assertThat(node.asElastic("GET", "/_security/_query/role", "{\"query\":{\"bool\":{\"must_not\":{\"term\":{\"metadata._reserved\":true}}}}}")
                .json().get("total").asInt()).isEqualTo(4);
    }

    @Test
    void theQuerySubset() throws Exception {
        assertThat(names(query("{\"term\":{\"name\":\"admin_role\"}}"))).containsExactly("admin_role");
        assertThat(names(query("{\"terms\":{\"name\":[\"admin_role\",\"sec_reader\",\"nope\"]}}"))).containsExactly("admin_role", "sec_reader");
        assertThat(names(query("{\"prefix\":{\"name\":\"a\"}}"))).containsExactly("admin_role", "app_role");
        assertThat(names(query("{\"wildcard\":{\"name\":{\"value\":\"*_ROLE\",\"case_insensitive\":true}}}")))
                .containsExactly("admin_role", "app_role");
        assertThat(names(query("{\"exists\":{\"field\":\"description\"}}"))).containsExactly("role_with_description");
        assertThat(names(query("{\"term\":{\"metadata.key1\":\"val1\"}}"))).containsExactly("admin_role");
        assertThat(names(query("{\"term\":{\"metadata.level\":\"3\"}}"))).containsExactly("admin_role");
        assertThat(names(query("{\"term\":{\"metadata.team.name\":\"ops\"}}"))).containsExactly("admin_role");
        assertThat(names(query("{\"term\":{\"metadata\":\"ops\"}}"))).containsExactly("admin_role");
        assertThat(names(query("{\"term\":{\"applications.application\":\"kibana-.kibana\"}}"))).containsExactly("app_role");
        assertThat(names(query("{\"ids\":{\"values\":[\"role-sec_reader\",\"sec_reader\"]}}"))).containsExactly("sec_reader");
        assertThat(names(query("{\"match_all\":{}}"))).hasSize(4);
        assertThat(names(query("{\"bool\":{\"should\":[{\"term\":{\"name\":\"admin_role\"}},{\"exists\":{\"field\":\"applications.application\"}}],"
                + "\"must_not\":[{\"prefix\":{\"name\":\"adm\"}}]}}"))).containsExactly("app_role");
        assertThat(names(query("{\"bool\":{\"filter\":[{\"prefix\":{\"name\":\"a\"}}],\"should\":[{\"term\":{\"name\":\"x\"}}]}}")))
                .containsExactly("admin_role", "app_role");
    }

    @Test
    void pagingAndSorting() throws Exception {
        Response r = node.asElastic("POST", "/_security/_query/role", "{\"from\":1,\"size\":2,\"sort\":[{\"name\":{\"order\":\"desc\"}}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("total").asInt()).isEqualTo(4);
        assertThat(r.json().get("count").asInt()).isEqualTo(2);
        assertThat(names(r)).containsExactly("role_with_description", "app_role");
        assertThat(r.json().at("/roles/0/_sort").toString()).isEqualTo("[\"role_with_description\"]");
        Response after = node.asElastic("POST", "/_security/_query/role", "{\"sort\":[\"name\"],\"search_after\":[\"app_role\"]}");
        assertThat(names(after)).containsExactly("role_with_description", "sec_reader");
    }

    @Test
    void refusalsUseElasticsearchsTexts() throws Exception {
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"query\":{\"term\":{\"cluster\":\"all\"}}}"),
                "illegal_argument_exception", "Field [cluster] is not allowed for querying or aggregation");
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"query\":{\"exists\":{\"field\":\"meta*\"}}}"),
                "illegal_argument_exception", "Field name pattern [meta*] is not allowed for querying or aggregation");
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"query\":{\"fuzzy\":{\"name\":\"x\"}}}"),
                "illegal_argument_exception", "Query type [fuzzy] is not currently supported in this context");
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"query\":{\"terms\":{\"name\":{\"index\":\"i\",\"id\":\"1\",\"path\":\"p\"}}}}"),
                "illegal_argument_exception", "terms query with terms lookup is not currently supported in this context");
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"query\":{\"bogus\":{}}}"), "parsing_exception", "unknown query [bogus]");
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"from\":-1,\"size\":-2}"), "action_request_validation_exception",
                "Validation Failed: 1: [from] parameter cannot be negative but was [-1];2: [size] parameter cannot be negative but was [-2];");
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"sort\":[\"description\"]}"), "illegal_argument_exception",
                "sorting is not supported for field [description]");
        assertError(node.asElastic("POST", "/_security/_query/role", "{\"bogus\":1}"), "x_content_parse_exception",
                "[1:2] [query_role_request_payload] unknown field [bogus]");
    }

    @Test
    void readSecurityMayQuery() throws Exception {
        Response r = node.request("POST", "/_security/_query/role", basic("reader", "reader-pass"), "{}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static Response query(String q) throws Exception {
        Response r = node.asElastic("POST", "/_security/_query/role", "{\"query\":" + q + "}");
        assertThat(r.status()).as(q + " -> " + r.body()).isEqualTo(200);
        return r;
    }

    private static void assertError(Response r, String type, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).as(r.body()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).as(r.body()).isEqualTo(reason);
    }
}
