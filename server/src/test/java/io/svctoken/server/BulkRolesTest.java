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

/** Bulk role put and delete over real HTTP, in Elasticsearch's answer shapes (issue 14). */
class BulkRolesTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void putThenPutAgainThenDelete() throws Exception {
        String roles = "{\"roles\":{\"admin_role\":{\"cluster\":[\"all\"],\"metadata\":{\"key1\":\"val1\"},"
                + "\"indices\":[{\"names\":\"*\",\"privileges\":[\"all\"]}]},"
                + "\"role_with_description\":{\"description\":\"Allows all security-related operations.\",\"cluster\":[\"manage_security\"]}}}";
        Response put = node.asElastic("POST", "/_security/role", roles);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{\"created\":[\"admin_role\",\"role_with_description\"]}");
        Response one = node.asElastic("GET", "/_security/role/admin_role");
        assertThat(one.json().at("/admin_role/indices/0/names/0").asText()).isEqualTo("*");
        assertThat(one.json().at("/admin_role/metadata/key1").asText()).isEqualTo("val1");
        assertThat(node.asElastic("GET", "/_security/role/role_with_description").json().at("/role_with_description/description").asText())
                .isEqualTo("Allows all security-related operations.");

        Response again = node.asElastic("POST", "/_security/role", "{\"roles\":{"
                + "\"role_with_description\":{\"description\":\"Allows all security-related operations.\",\"cluster\":[\"manage_security\"]},"
                + "\"admin_role\":{\"cluster\":[\"monitor\"]},\"new_role\":{\"cluster\":[\"monitor\"]},"
                + "\"bad_role\":{\"cluster\":[\"nonsense\"]},\"superuser\":{\"cluster\":[\"all\"]}}}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("noop").toString()).isEqualTo("[\"role_with_description\"]");
        assertThat(again.json().get("created").toString()).isEqualTo("[\"new_role\"]");
        assertThat(again.json().get("updated").toString()).isEqualTo("[\"admin_role\"]");
        assertThat(again.json().at("/errors/count").asInt()).isEqualTo(2);
        assertThat(again.json().at("/errors/details/bad_role/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(again.json().at("/errors/details/bad_role/reason").asText()).startsWith("Validation Failed: 1: unknown cluster privilege [nonsense].");
        assertThat(again.json().at("/errors/details/superuser/reason").asText()).contains("Role [superuser] is reserved and may not be used.");
        assertThat(again.body()).startsWith("{\"noop\":[\"role_with_description\"],\"created\":[\"new_role\"],\"updated\":[\"admin_role\"],\"errors\":{");
        assertThat(node.asElastic("GET", "/_security/role/admin_role").json().at("/admin_role/cluster/0").asText()).isEqualTo("monitor");
        assertThat(node.asElastic("GET", "/_security/role/bad_role").status()).isEqualTo(404);

        Response deleted = node.asElastic("DELETE", "/_security/role", "{\"names\":[\"admin_role\",\"nope\",\"superuser\",\"new_role\"]}");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("{\"deleted\":[\"admin_role\",\"new_role\"],\"not_found\":[\"nope\"],\"errors\":{\"count\":1,"
                + "\"details\":{\"superuser\":{\"type\":\"illegal_argument_exception\",\"reason\":\"role [superuser] is reserved and cannot be deleted\"}}}}");
        assertThat(node.asElastic("GET", "/_security/role/admin_role").status()).isEqualTo(404);
    }

    @Test
    void bodyErrorsAreElasticsearchs() throws Exception {
        assertError(node.asElastic("POST", "/_security/role", null), "parse_exception", "request body is required");
        Response broken = node.asElastic("POST", "/_security/role", "{\"roles\":{\"ok\":{\"cluster\":[\"all\"]},\"r\":{\"bogus\":1}}}");
        assertError(broken, "x_content_parse_exception", "[1:49] [bulk_update_roles_request_payload] failed to parse field [roles]");
        assertThat(broken.json().at("/error/root_cause/0/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(broken.json().at("/error/caused_by/type").asText()).isEqualTo("parse_exception");
        assertThat(broken.json().at("/error/caused_by/reason").asText()).isEqualTo("failed to parse role [r]. unexpected field [bogus]");
        assertThat(node.asElastic("GET", "/_security/role/ok").status()).as("nothing is stored from a body that does not parse").isEqualTo(404);
        assertError(node.asElastic("POST", "/_security/role", "{\"role\":{}}"), "x_content_parse_exception",
                "[1:2] [bulk_update_roles_request_payload] unknown field [role] did you mean [roles]?");

        assertError(node.asElastic("DELETE", "/_security/role", null), "parse_exception", "request body is required");
        assertError(node.asElastic("DELETE", "/_security/role", "{}"), "illegal_argument_exception", "Required [names]");
    }

    @Test
    void readersMayNotBulkChange() throws Exception {
        assertThat(node.asElastic("PUT", "/_security/role/sec_reader", "{\"cluster\":[\"read_security\"]}").status()).isEqualTo(200);
        assertThat(node.asElastic("PUT", "/_security/user/secreader", "{\"password\":\"secreader-pass\",\"roles\":[\"sec_reader\"]}").status())
                .isEqualTo(200);
        Response r = node.request("POST", "/_security/role", basic("secreader", "secreader-pass"), "{\"roles\":{\"x\":{}}}", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).startsWith("action [cluster:admin/xpack/security/role/bulk_put] is unauthorized");
        Response d = node.request("DELETE", "/_security/role", basic("secreader", "secreader-pass"), "{\"names\":[\"x\"]}", Map.of());
        assertThat(d.json().at("/error/reason").asText()).startsWith("action [cluster:admin/xpack/security/role/bulk_delete] is unauthorized");
    }

    private static void assertError(Response r, String type, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).as(r.body()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).as(r.body()).isEqualTo(reason);
    }
}
