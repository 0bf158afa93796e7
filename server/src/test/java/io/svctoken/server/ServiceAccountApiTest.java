package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** The service-account REST API against a real node over HTTP. */
class ServiceAccountApiTest {

    private static final String FLEET = "/_security/service/elastic/fleet-server";
    private static final List<String> CHALLENGES = List.of("Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey");

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

    private static String create(String path) throws Exception {
        Response r = node.asElastic("POST", path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().at("/token/value").asText();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void everyResponseCarriesTheProductHeader() throws Exception {
        assertThat(node.asElastic("GET", "/").header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        assertThat(node.request("GET", "/", null).header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        assertThat(node.asElastic("GET", "/nope").header("X-Elastic-Product")).isEqualTo("Elasticsearch");
    }

    @Test
    void rootEndpoint() throws Exception {
        Response r = node.asElastic("GET", "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(fieldNames(r.json())).containsExactly("name", "cluster_name", "cluster_uuid", "version", "tagline");
        assertThat(r.json().get("name").asText()).isEqualTo("node-0");
        assertThat(r.json().get("cluster_name").asText()).isEqualTo("test-cluster");
        assertThat(r.json().at("/version/number").asText()).isEqualTo("8.19.0");
        assertThat(r.json().get("tagline").asText()).isEqualTo("You Know, for Search");
        assertThat(node.asElastic("HEAD", "/").status()).isEqualTo(200);
    }

    @Test
    void authenticateAsElastic() throws Exception {
        JsonNode j = node.asElastic("GET", "/_security/_authenticate").json();
        assertThat(fieldNames(j)).containsExactly("username", "roles", "full_name", "email", "metadata", "enabled",
                "authentication_realm", "lookup_realm", "authentication_type");
        assertThat(j.get("username").asText()).isEqualTo("elastic");
        assertThat(j.get("roles").toString()).isEqualTo("[\"superuser\"]");
        assertThat(j.get("authentication_realm").toString()).isEqualTo("{\"name\":\"reserved\",\"type\":\"reserved\"}");
        assertThat(j.get("authentication_type").asText()).isEqualTo("realm");
    }

    @Test
    void missingCredentials() throws Exception {
        Response r = node.request("GET", "/_security/_authenticate?pretty", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactlyElementsOf(CHALLENGES);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("missing authentication credentials for REST request [/_security/_authenticate?pretty]");
        assertThat(r.json().at("/error/root_cause/0/reason").asText()).isEqualTo(r.json().at("/error/reason").asText());
        assertThat(r.json().at("/error/header/WWW-Authenticate").size()).isEqualTo(3);
        assertThat(r.json().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void wrongPasswordAndUnknownUser() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("elastic:wrong".getBytes());
        Response r = node.request("GET", "/_security/_authenticate", basic);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("unable to authenticate user [elastic] for REST request [/_security/_authenticate]");
        String bob = "Basic " + Base64.getEncoder().encodeToString("bob:x".getBytes());
        assertThat(node.request("GET", "/_security/_authenticate", bob).json().at("/error/reason").asText())
                .isEqualTo("unable to authenticate user [bob] for REST request [/_security/_authenticate]");
    }

    @Test
    void createUseAndDeleteAToken() throws Exception {
        Response created = node.asElastic("POST", FLEET + "/credential/token/token1");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body()).matches("\\{\"created\":true,\"token\":\\{\"name\":\"token1\",\"value\":\"AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuMT[A-Za-z0-9+/]{30}\"}}");
        String value = created.json().at("/token/value").asText();

        Response me = node.request("GET", "/_security/_authenticate", bearer(value));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).isEqualTo("{\"username\":\"elastic/fleet-server\",\"roles\":[],\"full_name\":\"Service account - elastic/fleet-server\","
                + "\"email\":null,\"token\":{\"name\":\"token1\",\"type\":\"_service_account_index\"},"
                + "\"metadata\":{\"_elastic_service_account\":true},\"enabled\":true,"
                + "\"authentication_realm\":{\"name\":\"_service_account\",\"type\":\"_service_account\"},"
                + "\"lookup_realm\":{\"name\":\"_service_account\",\"type\":\"_service_account\"},\"authentication_type\":\"token\"}");

        Response del = node.asElastic("DELETE", FLEET + "/credential/token/token1");
        assertThat(del.status()).isEqualTo(200);
        assertThat(del.body()).isEqualTo("{\"found\":true}");
        Response again = node.asElastic("DELETE", FLEET + "/credential/token/token1");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("{\"found\":false}");

        Response after = node.request("GET", "/_security/_authenticate", bearer(value));
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().at("/error/reason").asText())
                .isEqualTo("failed to authenticate service account [elastic/fleet-server] with token name [token1]");
        assertThat(after.headers().allValues("WWW-Authenticate")).containsExactlyElementsOf(CHALLENGES);
    }

    @Test
    void putCreatesAndPostWithoutNameGeneratesOne() throws Exception {
        assertThat(node.asElastic("PUT", FLEET + "/credential/token/put-token").status()).isEqualTo(200);
        Response auto = node.asElastic("POST", FLEET + "/credential/token");
        assertThat(auto.status()).isEqualTo(200);
        assertThat(auto.json().at("/token/name").asText()).matches("token_[A-Za-z0-9_-]{20}");
        Response put = node.asElastic("PUT", FLEET + "/credential/token");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.body()).isEqualTo("{\"error\":\"Incorrect HTTP method for uri [" + FLEET + "/credential/token] and method [PUT], allowed: [POST]\",\"status\":405}");
    }

    @Test
    void duplicateIsAVersionConflict() throws Exception {
        create(FLEET + "/credential/token/dup");
        Response r = node.asElastic("POST", FLEET + "/credential/token/dup");
        assertThat(r.status()).isEqualTo(409);
        JsonNode e = r.json().get("error");
        assertThat(e.get("type").asText()).isEqualTo("version_conflict_engine_exception");
        assertThat(e.get("reason").asText()).isEqualTo("[service_account_token-elastic/fleet-server/dup]: version conflict, document already exists (current version [1])");
        assertThat(fieldNames(e)).containsExactly("root_cause", "type", "reason", "index_uuid", "shard", "index");
        assertThat(e.get("shard").asText()).isEqualTo("0");
        assertThat(e.get("index").asText()).isEqualTo(".security-7");
        assertThat(fieldNames(e.at("/root_cause/0"))).containsExactly("type", "reason", "index_uuid", "shard", "index");
        assertThat(r.json().get("status").asInt()).isEqualTo(409);
    }

    @Test
    void invalidNamesAndUnknownAccounts() throws Exception {
        Response bad = node.asElastic("POST", FLEET + "/credential/token/_bad");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(bad.json().at("/error/reason").asText()).isEqualTo("Validation Failed: 1: invalid service token name [_bad]. service account token name"
                + " must have at least 1 character and at most 256 characters that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-)"
                + " or underscore (_). It must not begin with an underscore (_).;");
        Response unknown = node.asElastic("POST", "/_security/service/elastic/foo/credential/token/t1");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(unknown.json().at("/error/reason").asText()).isEqualTo("service account [elastic/foo] does not exist");
        Response otherNs = node.asElastic("POST", "/_security/service/foo/bar/credential/token/t1");
        assertThat(otherNs.json().at("/error/reason").asText()).isEqualTo("service account [foo/bar] does not exist");
        assertThat(node.asElastic("DELETE", "/_security/service/foo/bar/credential/token/t1").status()).isEqualTo(404);
        assertThat(node.asElastic("DELETE", FLEET + "/credential/token/_x").status()).isEqualTo(400);
    }

    @Test
    void getServiceAccounts() throws Exception {
        JsonNode all = node.asElastic("GET", "/_security/service").json();
        assertThat(fieldNames(all)).containsExactlyInAnyOrder("elastic/auto-ops", "elastic/enterprise-search-server",
                "elastic/fleet-server", "elastic/fleet-server-remote", "elastic/kibana");
        JsonNode fleet = node.asElastic("GET", FLEET).json();
        assertThat(fieldNames(fleet)).containsExactly("elastic/fleet-server");
        JsonNode rd = fleet.at("/elastic~1fleet-server/role_descriptor");
        assertThat(fieldNames(rd)).containsSequence("cluster", "indices", "applications", "run_as", "metadata", "transient_metadata");
        assertThat(rd.get("transient_metadata").toString()).isEqualTo("{\"enabled\":true}");
        assertThat(fieldNames(node.asElastic("GET", "/_security/service/elastic").json())).hasSize(5);
        for (String p : List.of("/_security/service/foo", "/_security/service/elastic/foo", "/_security/service/foo/bar")) {
            Response r = node.asElastic("GET", p);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{}");
        }
    }

    @Test
    void credentialsListsTokensSorted() throws Exception {
        String remote = "/_security/service/elastic/fleet-server-remote";
        create(remote + "/credential/token/b-token");
        create(remote + "/credential/token/a-token");
        Response r = node.asElastic("GET", remote + "/credential");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"service_account\":\"elastic/fleet-server-remote\",\"count\":2,"
                + "\"tokens\":{\"a-token\":{},\"b-token\":{}},"
                + "\"nodes_credentials\":{\"_nodes\":{\"total\":1,\"successful\":1,\"failed\":0},\"file_tokens\":{}}}");
        Response unknown = node.asElastic("GET", "/_security/service/foo/bar/credential");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().get("count").asInt()).isZero();
    }

    @Test
    void clearCache() throws Exception {
        String value = create(FLEET + "/credential/token/cached");
        assertThat(node.request("GET", "/_security/_authenticate", bearer(value)).status()).isEqualTo(200);
        long before = node.node().indexCache().estimatedSize();
        assertThat(before).isGreaterThanOrEqualTo(1);
        Response r = node.asElastic("POST", FLEET + "/credential/token/cached,other/_clear_cache");
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(fieldNames(j)).containsExactly("_nodes", "cluster_name", "nodes");
        assertThat(j.get("cluster_name").asText()).isEqualTo("test-cluster");
        Iterator<Map.Entry<String, JsonNode>> nodes = j.get("nodes").fields();
        Map.Entry<String, JsonNode> n = nodes.next();
        assertThat(n.getKey()).hasSize(22);
        assertThat(n.getValue().toString()).isEqualTo("{\"name\":\"node-0\"}");
        assertThat(node.node().indexCache().estimatedSize()).isEqualTo(before - 1);
        assertThat(node.asElastic("POST", FLEET + "/credential/token/*/_clear_cache").status()).isEqualTo(200);
        Response bad = node.asElastic("POST", FLEET + "/credential/token/ok,_bad/_clear_cache");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(bad.json().at("/error/reason").asText()).startsWith("invalid service token name [_bad].");
        // still works after the clear: it is looked up again
        assertThat(node.request("GET", "/_security/_authenticate", bearer(value)).status()).isEqualTo(200);
    }

    @Test
    void serviceTokensCanAuthenticateButNotManage() throws Exception {
        String value = create(FLEET + "/credential/token/limited");
        Response r = node.request("POST", FLEET + "/credential/token/other", bearer(value));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/service_account/token/create]"
                + " is unauthorized for service account [elastic/fleet-server], this action is granted by the cluster privileges"
                + " [manage_service_account,manage_security,all]");
        assertThat(r.header("WWW-Authenticate")).isNull();
        Response list = node.request("GET", "/_security/service", bearer(value));
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.json().at("/error/reason").asText()).isEqualTo("action [cluster:admin/xpack/security/service_account/get]"
                + " is unauthorized for service account [elastic/fleet-server], this action is granted by the cluster privileges"
                + " [manage_service_account,read_security,manage_security,all]");
        Response clear = node.request("POST", FLEET + "/credential/token/x/_clear_cache", bearer(value));
        assertThat(clear.json().at("/error/reason").asText()).endsWith("this action is granted by the cluster privileges [manage_security,all]");
        assertThat(node.request("GET", "/", bearer(value)).status()).isEqualTo(200); // fleet-server has monitor
    }

    @Test
    void parametersAreCheckedLikeElasticsearch() throws Exception {
        Response r = node.asElastic("GET", "/_security/service?foo=1");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("request [/_security/service] contains unrecognized parameter: [foo]");
        Response typo = node.asElastic("GET", "/_security/service?pretyy&zzz=1");
        assertThat(typo.json().at("/error/reason").asText())
                .isEqualTo("request [/_security/service] contains unrecognized parameters: [pretyy] -> did you mean [pretty]?, [zzz]");
        Response refresh = node.asElastic("POST", FLEET + "/credential/token/r1?refresh=maybe");
        assertThat(refresh.status()).isEqualTo(400);
        assertThat(refresh.json().at("/error/reason").asText()).isEqualTo("Unknown value for refresh: [maybe].");
        for (String v : List.of("true", "false", "wait_for", "")) {
            assertThat(node.asElastic("POST", FLEET + "/credential/token/r-" + (v.isEmpty() ? "empty" : v.replace('_', '-')) + "?refresh=" + v).status())
                    .isEqualTo(200);
        }
        Response unknownPath = node.asElastic("GET", "/_nope");
        assertThat(unknownPath.status()).isEqualTo(400);
        assertThat(unknownPath.body()).isEqualTo("{\"error\":\"no handler found for uri [/_nope] and method [GET]\",\"status\":400}");
        Response wrong = node.asElastic("DELETE", "/_security/service");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.header("Allow")).isEqualTo("GET");
    }

    @Test
    void prettyOutputLooksLikeElasticsearch() throws Exception {
        Response r = node.asElastic("DELETE", FLEET + "/credential/token/never-there?pretty");
        assertThat(r.body()).isEqualTo("{\n  \"found\" : false\n}\n");
        Response a = node.asElastic("GET", "/_security/_authenticate?pretty=true");
        assertThat(a.body()).contains("  \"roles\" : [\n    \"superuser\"\n  ],\n");
    }

    @Test
    void responseFlagsThatAreNotBooleansAre400BeforeAuthentication() throws Exception {
        for (String q : List.of("pretty=maybe", "human=1", "error_trace=yes")) {
            String value = q.substring(q.indexOf('=') + 1);
            for (String auth : Arrays.asList(null, TestNode.ELASTIC_BASIC)) {
                Response r = node.request("GET", "/_security/_authenticate?" + q, auth);
                assertThat(r.status()).as(q + " " + r.body()).isEqualTo(400);
                assertThat(r.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
                assertThat(r.json().at("/error/reason").asText())
                        .isEqualTo("Failed to parse value [" + value + "] as only [true] or [false] are allowed.");
                assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
            }
        }
        // empty means true, and false is false
        assertThat(node.asElastic("GET", "/_security/_authenticate?pretty=&human=false&error_trace").body()).contains("\n  \"roles\" : [");
        assertThat(node.asElastic("GET", "/_security/_authenticate?pretty=false").body()).doesNotContain("\n");
    }

    @Test
    void filterPathFiltersTheAnswer() throws Exception {
        Response r = node.asElastic("GET", "/_security/service/elastic/auto-ops/credential?filter_path=service_account,nodes_credentials._nodes.total");
        assertThat(r.body()).isEqualTo("{\"service_account\":\"elastic/auto-ops\",\"nodes_credentials\":{\"_nodes\":{\"total\":1}}}");
        Response e = node.asElastic("POST", FLEET + "/credential/token/_bad?filter_path=error.type");
        assertThat(e.body()).isEqualTo("{\"error\":{\"type\":\"action_request_validation_exception\"}}");
    }

    @Test
    void malformedAuthorizationHeadersAre401() throws Exception {
        List<String> headers = List.of("Bearer", "Bearer ", "Bearer !!!!", "Bearer " + "A".repeat(12_000), "Bearer AAEAAW-_",
                "Bearer AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuMQ", // no colon
                "Bearer " + Base64.getEncoder().encodeToString("\0\1\0\1elastic/t1:abcdefghijk".getBytes()), // two-part name
                "Bearer " + Base64.getEncoder().encodeToString("\0\1\0\2elastic/fleet-server/t1:abcdefghijk".getBytes()),
                "Basic", "Basic !!!", "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()),
                "Digest abc", "garbage", "ApiKey xyz", "bearer \u00e9");
        for (String h : headers) {
            Response r;
            try {
                r = node.request("GET", "/_security/_authenticate", h);
            } catch (IllegalArgumentException e) {
                continue; // the JDK client refuses to send some header values at all
            }
            assertThat(r.status()).as(h.length() > 40 ? h.substring(0, 40) : h).isEqualTo(401);
            assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
        }
        Response notAToken = node.request("GET", "/_security/_authenticate", "Bearer abcdef");
        assertThat(notAToken.json().at("/error/reason").asText())
                .isEqualTo("unable to authenticate with provided credentials and anonymous access is not allowed for this request");
        assertThat(notAToken.json().at("/error/additional_unsuccessful_credentials").asText()).isEqualTo("oauth2 token: invalid token");
        // a parsed service token never falls through, whatever the reason it fails
        String shortSecret = Base64.getEncoder().withoutPadding().encodeToString("\0\1\0\1elastic/fleet-server/t1:short".getBytes());
        assertThat(node.request("GET", "/_security/_authenticate", bearer(shortSecret)).json().at("/error/reason").asText())
                .isEqualTo("failed to authenticate service account [elastic/fleet-server] with token name [t1]");
        String otherNs = Base64.getEncoder().withoutPadding().encodeToString("\0\1\0\1foo/bar/t1:0123456789abc".getBytes());
        assertThat(node.request("GET", "/_security/_authenticate", bearer(otherNs)).json().at("/error/reason").asText())
                .isEqualTo("failed to authenticate service account [foo/bar] with token name [t1]");
        // the server is still fine
        assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
    }
}
