package io.svctoken.server;

import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A role's document-level query checked as Elasticsearch checks it when the role is stored (issue 14). */
class RoleDocumentQueryTest {

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

    private static String role(String query) {
        return "{\"cluster\":[\"all\"],\"indices\":[{\"names\":[\"index\",\"logs-*\"],\"privileges\":[\"all\"],\"query\":" + query + "}]}";
    }

    @Test
    void aTermsLookupIsRefusedWithElasticsearchsTexts() throws Exception {
        Response r = node.asElastic("PUT", "/_security/role/role",
                role("{\"terms\":{\"field\":{\"index\":\"_index\",\"type\":\"_type\",\"id\":\"_id\",\"path\":\"_path\"}}}"));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("parse_exception");
        assertThat(r.json().at("/error/reason").asText())
                .isEqualTo("failed to parse field 'query' for indices [index,logs-*] at index privilege [0] of role descriptor");
        assertThat(r.json().at("/error/root_cause/0/type").asText()).isEqualTo("parse_exception");
        assertThat(r.json().at("/error/caused_by/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(r.json().at("/error/caused_by/reason").asText()).isEqualTo("terms query with terms lookup isn't supported as part of a role query");
        assertThat(node.asElastic("GET", "/_security/role/role").status()).isEqualTo(404);
    }

    @Test
    void unknownAndForbiddenQueryTypesAnywhereInTheQuery() throws Exception {
        Response unknown = node.asElastic("PUT", "/_security/role/role", role("{\"bool\":{\"filter\":[{\"term\":{\"a\":1}},{\"no_such_thing\":{}}]}}"));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("parse_exception");
        assertThat(unknown.json().at("/error/caused_by/type").asText()).isEqualTo("parsing_exception");
        assertThat(unknown.json().at("/error/caused_by/reason").asText()).isEqualTo("unknown query [no_such_thing]");
        assertThat(unknown.json().at("/error/root_cause/0/type").asText()).isEqualTo("parsing_exception");

        Response child = node.asElastic("PUT", "/_security/role/role",
                role("\"{\\\"constant_score\\\":{\\\"filter\\\":{\\\"has_child\\\":{\\\"type\\\":\\\"c\\\",\\\"query\\\":{\\\"match_all\\\":{}}}}}}\""));
        assertThat(child.json().at("/error/caused_by/reason").asText()).as(child.body()).isEqualTo("has_child query isn't supported as part of a role query");

        Response notJson = node.asElastic("PUT", "/_security/role/role", role("\"[1]\""));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().at("/error/caused_by/reason").asText()).isEqualTo("[1:1] expected [START_OBJECT] but found [START_ARRAY] instead");
    }

    @Test
    void validQueriesAndTemplatesAreStored() throws Exception {
        assertThat(node.asElastic("PUT", "/_security/role/dls", role("{\"bool\":{\"must\":[{\"term\":{\"owner\":\"me\"}}],"
                + "\"should\":{\"terms\":{\"tags\":[\"a\",\"b\"]}}}}")).status()).isEqualTo(200);
        assertThat(node.asElastic("PUT", "/_security/role/dls_template",
                role("{\"template\":{\"source\":{\"term\":{\"acl.username\":\"{{_user.username}}\"}}}}")).status()).isEqualTo(200);
    }

    @Test
    void bulkPutRefusesTheOneRole() throws Exception {
        Response r = node.asElastic("POST", "/_security/role", "{\"roles\":{\"good_dls\":" + role("{\"match_all\":{}}")
                + ",\"bad_dls\":" + role("{\"has_parent\":{\"parent_type\":\"p\",\"query\":{\"match_all\":{}}}}") + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("created").toString()).isEqualTo("[\"good_dls\"]");
        assertThat(r.json().at("/errors/details/bad_dls/type").asText()).isEqualTo("parse_exception");
        assertThat(r.json().at("/errors/details/bad_dls/caused_by/reason").asText()).isEqualTo("has_parent query isn't supported as part of a role query");
    }
}
