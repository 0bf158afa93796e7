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

/** Role mappings over real HTTP: put, get, delete, Elasticsearch's body errors and validation, privileges (issue 14). */
class RoleMappingsTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        assertThat(node.asElastic("PUT", "/_security/role/sec_reader", "{\"cluster\":[\"read_security\"]}").status()).isEqualTo(200);
        assertThat(node.asElastic("PUT", "/_security/user/secreader", "{\"password\":\"secreader-pass\",\"roles\":[\"sec_reader\"]}").status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void putGetDeleteAsElasticsearchAnswers() throws Exception {
        Response put = node.asElastic("PUT", "/_security/role_mapping/everyone", "{\"enabled\":true,\"roles\":[\"kibana_user\"],"
                + "\"rules\":{\"field\":{\"username\":\"*\"}},\"metadata\":{\"uuid\":\"b9a59ba9\"}}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{\"role_mapping\":{\"created\":true}}");
        Response again = node.asElastic("POST", "/_security/role_mapping/everyone", "{\"roles\":[\"kibana_user\",\"viewer\"],\"enabled\":\"false\","
                + "\"rules\":{\"field\":{\"username\":[\"*\"]}},\"metadata\":{\"uuid\":\"b9a59ba9\"}}");
        assertThat(again.body()).isEqualTo("{\"role_mapping\":{\"created\":false}}");

        Response one = node.asElastic("GET", "/_security/role_mapping/everyone");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body()).isEqualTo("{\"everyone\":{\"enabled\":false,\"roles\":[\"kibana_user\",\"viewer\"],"
                + "\"rules\":{\"field\":{\"username\":\"*\"}},\"metadata\":{\"uuid\":\"b9a59ba9\"}}}");
        assertThat(node.asElastic("PUT", "/_security/role_mapping/other", "{\"enabled\":true,\"roles\":[\"viewer\"],"
                + "\"rules\":{\"field\":{\"realm.name\":\"ldap1\"}}}").status()).isEqualTo(200);
        for (String path : new String[] {"/_security/role_mapping", "/_security/role_mapping/", "/_security/role_mapping/_all"}) {
            Response all = node.asElastic("GET", path);
            assertThat(all.status()).as(path).isEqualTo(200);
            assertThat(all.json().has("everyone") && all.json().has("other")).as(path).isTrue();
            assertThat(all.json().at("/other/metadata").isObject()).isTrue();
        }
        assertThat(node.asElastic("GET", "/_security/role_mapping/other,nope").json().size()).isEqualTo(1);
        Response missing = node.asElastic("GET", "/_security/role_mapping/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{}");

        Response delete = node.asElastic("DELETE", "/_security/role_mapping/other");
        assertThat(delete.status()).isEqualTo(200);
        assertThat(delete.body()).isEqualTo("{\"found\":true}");
        Response none = node.asElastic("DELETE", "/_security/role_mapping/other");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.body()).isEqualTo("{\"found\":false}");
        assertThat(node.asElastic("GET", "/_security/role_mapping/other").status()).isEqualTo(404);
    }

    @Test
    void rulesAndTemplatesAreShownAsElasticsearchShowsThem() throws Exception {
        Response put = node.asElastic("PUT", "/_security/role_mapping/shaped", "{\"enabled\":true,"
                + "\"role_templates\":[{\"template\":{\"source\":\"{{#tojson}}groups{{/tojson}}\"},\"format\":\"json\"},{\"template\":\"x\"}],"
                + "\"rules\":{\"all\":[{\"field\":{\"groups\":[\"a\",\"b\"]}},{\"except\":{\"field\":{\"realm.name\":\"file1\"}}},"
                + "{\"any\":[{\"field\":{\"metadata.level\":2.9}},{\"field\":{\"dn\":null}},{\"field\":{\"enabled\":true}}]}]}}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(node.asElastic("GET", "/_security/role_mapping/shaped").body()).isEqualTo("{\"shaped\":{\"enabled\":true,"
                + "\"role_templates\":[{\"template\":\"{\\\"source\\\":\\\"{{#tojson}}groups{{/tojson}}\\\"}\",\"format\":\"json\"},"
                + "{\"template\":\"x\",\"format\":\"string\"}],"
                + "\"rules\":{\"all\":[{\"field\":{\"groups\":[\"a\",\"b\"]}},{\"except\":{\"field\":{\"realm.name\":\"file1\"}}},"
                + "{\"any\":[{\"field\":{\"metadata.level\":2}},{\"field\":{\"dn\":null}},{\"field\":{\"enabled\":true}}]}]},"
                + "\"metadata\":{}}}");
    }

    @Test
    void bodyErrorsAreElasticsearchs() throws Exception {
        assertError(node.asElastic("PUT", "/_security/role_mapping/m", null), "parse_exception", "request body is required");

        Response missing = node.asElastic("PUT", "/_security/role_mapping/m", "{\"enabled\":true,\"rules\":{\"field\":{\"username\":\"*\"}}}");
        assertError(missing, "parsing_exception", "failed to parse role-mapping [m]. missing field [roles]");
        assertThat(missing.json().at("/error/line").asInt()).isEqualTo(1);
        assertThat(missing.json().at("/error/col").asInt()).isEqualTo(51);
        assertThat(missing.json().at("/error/caused_by/type").asText()).isEqualTo("illegal_state_exception");
        assertThat(missing.json().at("/error/root_cause/0/type").asText()).isEqualTo("parsing_exception");
        assertError(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"rules\":{\"field\":{\"username\":\"*\"}}}"),
                "parsing_exception", "failed to parse role-mapping [m]. missing field [enabled]");
        assertError(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"enabled\":true}"),
                "parsing_exception", "failed to parse role-mapping [m]. missing field [rules]");

        Response unknown = node.asElastic("PUT", "/_security/role_mapping/m", "{\"role\":[\"a\"]}");
        assertError(unknown, "parsing_exception", "[1:2] [role-mapping] unknown field [role] did you mean any of [roles, rules]?");
        assertThat(unknown.json().at("/error/caused_by/type").asText()).isEqualTo("x_content_parse_exception");

        Response rules = node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"enabled\":true,\"rules\":{\"bogus\":{}}}");
        assertError(rules, "parsing_exception", "[1:40] [role-mapping] failed to parse field [rules]");
        assertThat(rules.json().at("/error/caused_by/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(rules.json().at("/error/caused_by/caused_by/type").asText()).isEqualTo("parse_exception");
        assertThat(rules.json().at("/error/caused_by/caused_by/reason").asText())
                .isEqualTo("failed to parse rules expression. field [bogus] is not recognised in object [m]");
        assertThat(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"enabled\":true,\"rules\":{\"any\":[{\"except\":{}}]}}")
                .json().at("/error/caused_by/caused_by/reason").asText())
                .isEqualTo("failed to parse rules expression. field [except] is not allowed within [any]");
        assertThat(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"enabled\":true,\"rules\":{\"all\":{}}}")
                .json().at("/error/caused_by/caused_by/reason").asText())
                .isEqualTo("failed to parse rules expression. field [all] requires an array");
        assertThat(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"enabled\":true,\"rules\":{\"field\":{\"a\":{}}}}")
                .json().at("/error/caused_by/caused_by/reason").asText())
                .isEqualTo("failed to parse rules expression. expected a field value but found [START_OBJECT] instead");
        assertError(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"enabled\":true,\"rules\":\"x\"}"),
                "parsing_exception", "[1:39] [role-mapping] rules doesn't support values of type: VALUE_STRING");
    }

    @Test
    void validationUsesElasticsearchsTexts() throws Exception {
        assertError(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[],\"enabled\":true,\"rules\":{\"field\":{\"username\":\"*\"}},"
                        + "\"metadata\":{\"_reserved\":1}}"), "action_request_validation_exception",
                "Validation Failed: 1: role-mapping roles or role-templates are missing;2: metadata keys may not start with [_];");
        assertError(node.asElastic("PUT", "/_security/role_mapping/m", "{\"roles\":[\"a\"],\"role_templates\":[{\"template\":\"b\"}],"
                        + "\"enabled\":true,\"rules\":{\"field\":{\"username\":\"*\"}}}"), "action_request_validation_exception",
                "Validation Failed: 1: role-mapping cannot have both roles and role-templates;");
        assertThat(node.asElastic("GET", "/_security/role_mapping/m").status()).isEqualTo(404);
    }

    @Test
    void readSecurityMayGetButNotPutOrDelete() throws Exception {
        String reader = basic("secreader", "secreader-pass");
        assertThat(node.request("GET", "/_security/role_mapping", reader).status()).isEqualTo(200);
        Response put = node.request("PUT", "/_security/role_mapping/x", reader,
                "{\"enabled\":true,\"roles\":[\"a\"],\"rules\":{\"field\":{\"username\":\"*\"}}}", Map.of());
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.json().at("/error/reason").asText())
                .startsWith("action [cluster:admin/xpack/security/role_mapping/put] is unauthorized for user [secreader]");
        assertThat(node.request("DELETE", "/_security/role_mapping/x", reader, null, Map.of()).status()).isEqualTo(403);
    }

    private static void assertError(Response r, String type, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).as(r.body()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).as(r.body()).isEqualTo(reason);
    }
}
