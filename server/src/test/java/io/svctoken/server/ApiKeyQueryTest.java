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

/** {@code GET|POST /_security/_query/api_key} over real HTTP, as Elasticsearch's query API-key tests run it. */
class ApiKeyQueryTest {

    @TempDir
    static Path home;
    static TestNode node;
    static final String MANAGER = basic("api_key_manager", "x-pack-test-password");
    static final String USER1 = basic("api_key_user_1", "x-pack-test-password");
    static final String USER2 = basic("api_key_user_2", "x-pack-test-password");
    static String managerKey;
    static String user1Key;
    static String user2Key;
    static String user1Encoded;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        ok(node.asElastic("PUT", "/_security/role/admin_role", "{\"cluster\":[\"manage_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/role/user_role", "{\"cluster\":[\"manage_own_api_key\"]}"));
        ok(node.asElastic("PUT", "/_security/user/api_key_manager", "{\"password\":\"x-pack-test-password\",\"roles\":[\"admin_role\"]}"));
        ok(node.asElastic("PUT", "/_security/user/api_key_user_1", "{\"password\":\"x-pack-test-password\",\"roles\":[\"user_role\"]}"));
        ok(node.asElastic("PUT", "/_security/user/api_key_user_2", "{\"password\":\"x-pack-test-password\",\"roles\":[\"user_role\"]}"));
        managerKey = create(MANAGER, "{\"name\":\"manager-api-key\",\"expiration\":\"10d\",\"metadata\":{\"letter\":\"a\",\"number\":42}}")
                .get("id").asText();
        Thread.sleep(5); // distinct creation times, for the sorts below
        JsonNode u1 = create(USER1, "{\"name\":\"user1-api-key\",\"expiration\":\"1d\",\"metadata\":{\"letter\":\"a\",\"number\":1,"
                + "\"tags\":[\"x\",\"y\"],\"env\":{\"tier\":\"prod\"}}}");
        user1Key = u1.get("id").asText();
        user1Encoded = "ApiKey " + u1.get("encoded").asText();
        Thread.sleep(5);
        user2Key = create(USER2, "{\"name\":\"user2-api-key\",\"expiration\":\"1d\",\"metadata\":{\"letter\":\"b\",\"number\":42}}")
                .get("id").asText();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Response ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    static JsonNode create(String authorization, String body) throws Exception {
        return ok(node.request("POST", "/_security/api_key", authorization, body, Map.of())).json();
    }

    static JsonNode query(String authorization, String body) throws Exception {
        return ok(node.request("POST", "/_security/_query/api_key", authorization, body, Map.of())).json();
    }

    static List<String> ids(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("api_keys").forEach(k -> out.add(k.get("id").asText()));
        return out;
    }

    static void assertError(Response r, int status, String type, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().at("/error/type").asText()).as(r.body()).isEqualTo(type);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo(reason);
    }

    @Test
    void everyoneSeesWhatTheirPrivilegeAllows() throws Exception {
        JsonNode all = query(MANAGER, "{}");
        assertThat(all.get("total").asInt()).isEqualTo(3);
        assertThat(all.get("count").asInt()).isEqualTo(3);
        // no body at all, and GET: the same
        assertThat(ok(node.request("GET", "/_security/_query/api_key", MANAGER)).json().get("total").asInt()).isEqualTo(3);

        JsonNode own = query(USER1, "{\"query\":{\"match_all\":{}}}");
        assertThat(own.get("total").asInt()).isEqualTo(1);
        assertThat(ids(own)).containsExactly(user1Key);
        JsonNode k = own.get("api_keys").get(0);
        List<String> fields = new ArrayList<>();
        k.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "name", "type", "creation", "expiration", "invalidated", "username", "realm",
                "realm_type", "metadata", "role_descriptors");

        assertThat(ids(query(USER2, "{\"query\":{\"wildcard\":{\"name\":\"user*\"}}}"))).containsExactly(user2Key);
        // an API key sees itself only
        assertThat(ids(query(user1Encoded, "{}"))).containsExactly(user1Key);
        // with_limited_by adds the owner's descriptors
        JsonNode limited = ok(node.request("POST", "/_security/_query/api_key?with_limited_by=true", MANAGER,
                "{\"query\":{\"ids\":{\"values\":[\"" + managerKey + "\"]}}}", Map.of())).json();
        assertThat(limited.at("/api_keys/0/limited_by/0").toString()).contains("admin_role");
    }

    @Test
    void sortFromSizeAndSearchAfter() throws Exception {
        JsonNode page = query(MANAGER, "{\"query\":{\"wildcard\":{\"name\":\"user*\"}},\"sort\":[{\"creation\":{\"order\":\"desc\"}}],"
                + "\"from\":1,\"size\":1}");
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("count").asInt()).isEqualTo(1);
        assertThat(ids(page)).containsExactly(user1Key);
        assertThat(page.at("/api_keys/0/_sort/0").isIntegralNumber()).isTrue();

        String sorted = "{\"query\":{\"wildcard\":{\"name\":\"*key\"}},\"sort\":[\"expiration\",\"username\"],\"size\":1";
        JsonNode first = query(MANAGER, sorted + "}");
        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(ids(first)).containsExactly(user1Key);
        JsonNode after = first.at("/api_keys/0/_sort");
        assertThat(after.get(1).asText()).isEqualTo("api_key_user_1");
        JsonNode second = query(MANAGER, sorted + ",\"search_after\":" + after + "}");
        assertThat(second.get("total").asInt()).isEqualTo(3);
        assertThat(ids(second)).containsExactly(user2Key);
        JsonNode third = query(MANAGER, sorted + ",\"search_after\":" + second.at("/api_keys/0/_sort") + "}");
        assertThat(ids(third)).containsExactly(managerKey);
        // no sort: no _sort
        assertThat(query(MANAGER, "{\"size\":1}").at("/api_keys/0").has("_sort")).isFalse();
    }

    @Test
    void theQueryTypesKibanaSends() throws Exception {
        assertThat(ids(query(MANAGER, "{\"query\":{\"term\":{\"metadata.letter\":\"a\"}},\"sort\":[\"creation\"]}")))
                .containsExactly(managerKey, user1Key);
        assertThat(ids(query(MANAGER, "{\"query\":{\"terms\":{\"username\":[\"api_key_user_2\",\"nobody\"]}}}"))).containsExactly(user2Key);
        assertThat(ids(query(MANAGER, "{\"query\":{\"prefix\":{\"name\":{\"value\":\"MANAGER\",\"case_insensitive\":true}}}}")))
                .containsExactly(managerKey);
        assertThat(ids(query(MANAGER, "{\"query\":{\"term\":{\"metadata.number\":42}},\"sort\":[\"creation\"]}")))
                .containsExactly(managerKey, user2Key);
        assertThat(ids(query(MANAGER, "{\"query\":{\"term\":{\"metadata.tags\":\"y\"}}}"))).containsExactly(user1Key);
        assertThat(ids(query(MANAGER, "{\"query\":{\"term\":{\"metadata.env.tier\":\"prod\"}}}"))).containsExactly(user1Key);
        assertThat(ids(query(MANAGER, "{\"query\":{\"exists\":{\"field\":\"metadata.env\"}}}"))).isEmpty();
        assertThat(ids(query(MANAGER, "{\"query\":{\"exists\":{\"field\":\"metadata.tags\"}}}"))).containsExactly(user1Key);
        assertThat(query(MANAGER, "{\"query\":{\"range\":{\"expiration\":{\"gte\":\"now+2d\"}}}}").get("total").asInt()).isEqualTo(1);
        assertThat(query(MANAGER, "{\"query\":{\"range\":{\"creation\":{\"lte\":\"now\",\"gt\":\"now-1h\"}}}}").get("total").asInt())
                .isEqualTo(3);
        assertThat(query(MANAGER, "{\"query\":{\"range\":{\"creation\":{\"gte\":\"2000-01-01\",\"format\":\"yyyy-MM-dd\"}}}}")
                .get("total").asInt()).isEqualTo(3);
        assertThat(ids(query(MANAGER, "{\"query\":{\"bool\":{\"must\":[{\"term\":{\"invalidated\":false}}],"
                + "\"should\":[{\"term\":{\"username\":\"api_key_manager\"}},{\"term\":{\"username\":\"api_key_user_2\"}}],"
                + "\"minimum_should_match\":1,\"must_not\":{\"term\":{\"metadata.letter\":\"b\"}}}}}"))).containsExactly(managerKey);
        assertThat(ids(query(MANAGER, "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"type\":\"rest\"}},{\"term\":{\"realm_name\":\"default_native\"}}],"
                + "\"should\":{\"term\":{\"name\":\"nothing\"}}}}}")).size()).isEqualTo(3);
        assertThat(ids(query(MANAGER, "{\"query\":{\"simple_query_string\":{\"query\":\"user1*\",\"fields\":[\"name\"]}}}")))
                .containsExactly(user1Key);
    }

    @Test
    void theAggregationsKibanasApiKeysPageSends() throws Exception {
        JsonNode r = query(MANAGER, "{\"size\":0,\"aggs\":{\"usernames\":{\"terms\":{\"field\":\"username\",\"size\":2}},"
                + "\"types\":{\"terms\":{\"field\":\"type\"}},\"invalidated\":{\"terms\":{\"field\":\"invalidated\"}},"
                + "\"expired\":{\"filter\":{\"range\":{\"expiration\":{\"lte\":\"now\"}}}},"
                + "\"managed\":{\"filters\":{\"filters\":{\"metadataBased\":{\"term\":{\"metadata.letter\":\"a\"}},"
                + "\"namePrefixBased\":{\"prefix\":{\"name\":\"user\"}}}}},"
                + "\"letters\":{\"terms\":{\"field\":\"metadata.letter\"},\"aggs\":{\"owners\":{\"cardinality\":{\"field\":\"username\"}}}},"
                + "\"no_tags\":{\"missing\":{\"field\":\"metadata.tags\"}}}}");
        assertThat(r.get("total").asInt()).isEqualTo(3);
        assertThat(r.get("count").asInt()).isEqualTo(0);
        JsonNode aggs = r.get("aggregations");
        assertThat(aggs.get("usernames").toString()).isEqualTo("{\"doc_count_error_upper_bound\":0,\"sum_other_doc_count\":1,\"buckets\":["
                + "{\"key\":\"api_key_manager\",\"doc_count\":1},{\"key\":\"api_key_user_1\",\"doc_count\":1}]}");
        assertThat(aggs.at("/types/buckets").toString()).isEqualTo("[{\"key\":\"rest\",\"doc_count\":3}]");
        assertThat(aggs.at("/invalidated/buckets").toString()).isEqualTo("[{\"key\":0,\"key_as_string\":\"false\",\"doc_count\":3}]");
        assertThat(aggs.get("expired").toString()).isEqualTo("{\"doc_count\":0}");
        assertThat(aggs.at("/managed/buckets").toString()).isEqualTo("{\"metadataBased\":{\"doc_count\":2},\"namePrefixBased\":{\"doc_count\":2}}");
        assertThat(aggs.at("/letters/buckets").toString()).isEqualTo("[{\"key\":\"a\",\"doc_count\":2,\"owners\":{\"value\":2}},"
                + "{\"key\":\"b\",\"doc_count\":1,\"owners\":{\"value\":1}}]");
        assertThat(aggs.get("no_tags").toString()).isEqualTo("{\"doc_count\":2}");
        // an API key owner's aggregations count only their keys
        assertThat(query(USER1, "{\"aggs\":{\"u\":{\"terms\":{\"field\":\"username\"}}}}").at("/aggregations/u/buckets").toString())
                .isEqualTo("[{\"key\":\"api_key_user_1\",\"doc_count\":1}]");
    }

    @Test
    void refusalsWithElasticsearchsTexts() throws Exception {
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER, "{\"query\":{\"term\":{\"api_key_hash\":\"x\"}}}", Map.of()),
                400, "illegal_argument_exception", "Field [api_key_hash] is not allowed for API Key query or aggregation");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER, "{\"query\":{\"prefix\":{\"meta*\":\"x\"}}}", Map.of()),
                400, "illegal_argument_exception", "Field name pattern [meta*] is not allowed for API Key query or aggregation");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER, "{\"query\":{\"regexp\":{\"name\":\"x.*\"}}}", Map.of()),
                400, "illegal_argument_exception", "Query type [regexp] is not supported for API Key query");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER,
                        "{\"query\":{\"terms\":{\"name\":{\"index\":\"i\",\"id\":\"1\",\"path\":\"p\"}}}}", Map.of()),
                400, "illegal_argument_exception", "terms query with terms lookup is not supported for API Key query");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER,
                        "{\"query\":{\"range\":{\"creation\":{\"gte\":1,\"relation\":\"within\"}}}}", Map.of()),
                400, "illegal_argument_exception", "range query with relation is not supported for API Key query");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER, "{\"sort\":[\"api_key_hash\"]}", Map.of()),
                400, "illegal_argument_exception", "Field [api_key_hash] is not allowed for API Key query or aggregation");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER, "{\"from\":-1,\"size\":-2}", Map.of()),
                400, "action_request_validation_exception",
                "Validation Failed: 1: [from] parameter cannot be negative but was [-1];2: [size] parameter cannot be negative but was [-2];");
        Response unknownField = node.request("POST", "/_security/_query/api_key", MANAGER, "{\"nope\":1}", Map.of());
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().at("/error/reason").asText()).isEqualTo("[1:2] [query_api_key_request_payload] unknown field [nope]");
        Response unknownQuery = node.request("POST", "/_security/_query/api_key", MANAGER, "{\"query\":{\"nope\":{}}}", Map.of());
        assertThat(unknownQuery.status()).isEqualTo(400);
        assertThat(unknownQuery.json().at("/error/caused_by/reason").asText()).isEqualTo("unknown query [nope]");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER,
                        "{\"aggs\":{\"avg_creation\":{\"avg\":{\"field\":\"creation\"}}}}", Map.of()),
                400, "illegal_argument_exception", "Unsupported API Keys agg [avg_creation] of type [avg]");
        assertError(node.request("POST", "/_security/_query/api_key", MANAGER,
                        "{\"aggs\":{\"hashes\":{\"terms\":{\"field\":\"api_key_hash\"}}}}", Map.of()),
                400, "illegal_argument_exception", "Field [api_key_hash] is not allowed for API Key query or aggregation");
        // a user without any API-key privilege
        ok(node.asElastic("PUT", "/_security/user/nokeys", "{\"password\":\"nokeys-pass\",\"roles\":[]}"));
        assertError(node.request("POST", "/_security/_query/api_key", basic("nokeys", "nokeys-pass"), "{}", Map.of()), 403,
                "security_exception", "action [cluster:admin/xpack/security/api_key/query] is unauthorized for user [nokeys] with effective"
                        + " roles [], this action is granted by the cluster privileges [manage_own_api_key,read_security,manage_api_key,"
                        + "manage_security,all]");
    }
}
