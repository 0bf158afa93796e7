package io.svctoken.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /_aliases} and {@code _reindex}, whose index names are only in their bodies, decided by the gateway from
 * those bodies in front of a real OpenSearch node.
 */
class GatewayBodyDecidedTest {

    @RegisterExtension
    static final OpenSearchUpstream OPENSEARCH = new OpenSearchUpstream();

    @TempDir
    static Path home;
    static TestNode gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestNode.start(home, Map.of("svctoken.gateway.upstream", OPENSEARCH.url(), "svctoken.gateway.max_decided_body_size", "4kb"));
        for (String index : List.of("app-1", "app-2", "other", "logs-1")) {
            TestNode.Response created = gateway.asElastic("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0}}");
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(gateway.asElastic("PUT", "/" + index + "/_doc/seed?refresh=true", "{\"msg\":\"in " + index + "\"}").status())
                    .isEqualTo(201);
        }
        gateway.putRole("app_admin", "{\"indices\":[{\"names\":[\"app-*\"],\"privileges\":[\"manage\",\"read\",\"write\"]}]}");
        gateway.putRole("logs_reader", "{\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"]}]}");
        gateway.putUser("admin", "app_admin");
        gateway.putUser("reader", "logs_reader");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static TestNode.Response post(String path, String user, String body) throws Exception {
        return gateway.request("POST", path, TestNode.asUser(user), body, Map.of());
    }

    @Test
    void aliasActionsOnTheCallersIndicesReachTheUpstream() throws Exception {
        TestNode.Response r = post("/_aliases", "admin", """
                {"actions":[{"add":{"index":"app-1","alias":"app-current"}},{"add":{"indices":["app-1","app-2"],"aliases":["app-all"]}}]}""");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("acknowledged").asBoolean()).isTrue();
        assertThat(gateway.request("GET", "/app-current/_search", TestNode.asUser("admin")).json().at("/hits/hits/0/_source/msg").asText()).isEqualTo("in app-1");
        assertThat(gateway.asElastic("GET", "/app-all/_count").json().get("count").asInt()).isEqualTo(2);

        TestNode.Response removed = post("/_aliases", "admin", "{\"actions\":[{\"remove\":{\"index\":\"app-1\",\"alias\":\"app-current\"}}]}");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(gateway.asElastic("GET", "/_alias/app-current").status()).isEqualTo(404);
    }

    @Test
    void anAliasActionOnAnotherIndexOrAliasNameIsElasticsearchs403AndNothingChanges() throws Exception {
        TestNode.Response onIndex = post("/_aliases", "admin", """
                {"actions":[{"add":{"index":"app-1","alias":"app-x"}},{"add":{"index":"other","alias":"app-x"}}]}""");
        TestNode.Response onAlias = post("/_aliases", "admin", "{\"actions\":[{\"add\":{\"index\":\"app-1\",\"alias\":\"other-x\"}}]}");
        TestNode.Response reader = post("/_aliases", "reader", "{\"actions\":[{\"add\":{\"index\":\"logs-1\",\"alias\":\"logs-x\"}}]}");

        assertThat(onIndex.status()).as(onIndex.body()).isEqualTo(403);
        assertThat(onIndex.header("X-elastic-product")).isEqualTo("Elasticsearch");
        assertThat(onIndex.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(onIndex.json().at("/error/reason").asText()).isEqualTo("action [indices:admin/aliases] is unauthorized for user [admin]"
                + " with effective roles [app_admin] on indices [other], this action is granted by the index privileges [manage,all]");
        assertThat(onAlias.json().at("/error/reason").asText()).isEqualTo("action [indices:admin/aliases] is unauthorized for user [admin]"
                + " with effective roles [app_admin] on indices [other-x], this action is granted by the index privileges [manage,all]");
        assertThat(reader.json().at("/error/reason").asText()).isEqualTo("action [indices:admin/aliases] is unauthorized for user [reader]"
                + " with effective roles [logs_reader] on indices [logs-1], this action is granted by the index privileges [manage,all]");
        assertThat(gateway.asElastic("GET", "/_alias/app-x").status()).isEqualTo(404);
        assertThat(gateway.asElastic("GET", "/_alias/other-x").status()).isEqualTo(404);
    }

    @Test
    void aWildcardIndexInAnAliasActionIsAllowedWithinTheCallersIndicesAndRefusedBeyondThem() throws Exception {
        TestNode.Response mine = post("/_aliases", "admin", "{\"actions\":[{\"add\":{\"index\":\"app-*\",\"alias\":\"app-wild\"}}]}");
        TestNode.Response beyond = post("/_aliases", "admin", "{\"actions\":[{\"add\":{\"index\":\"*\",\"alias\":\"app-every\"}}]}");

        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        assertThat(gateway.asElastic("GET", "/app-wild/_count").json().get("count").asInt()).isEqualTo(2);
        assertThat(beyond.status()).as(beyond.body()).isEqualTo(403);
        assertThat(beyond.json().at("/error/reason").asText()).startsWith("action [indices:admin/aliases] is unauthorized for user [admin]"
                + " with effective roles [app_admin] on indices [").contains("other").contains("logs-1").doesNotContain("app-1");
        assertThat(gateway.asElastic("GET", "/_alias/app-every").status()).isEqualTo(404);
    }

    @Test
    void removeIndexNeedsTheDeletePrivilegeOnIt() throws Exception {
        assertThat(gateway.asElastic("PUT", "/app-doomed", "{\"settings\":{\"number_of_replicas\":0}}").status()).isEqualTo(200);

        TestNode.Response denied = post("/_aliases", "admin", "{\"actions\":[{\"remove_index\":{\"index\":\"logs-1\"}}]}");
        TestNode.Response allowed = post("/_aliases", "admin", "{\"actions\":[{\"remove_index\":{\"index\":\"app-doomed\"}}]}");

        assertThat(denied.status()).isEqualTo(403);
        assertThat(gateway.asElastic("HEAD", "/logs-1").status()).isEqualTo(200);
        assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
        assertThat(gateway.asElastic("HEAD", "/app-doomed").status()).isEqualTo(404);
    }

    @Test
    void aReindexBetweenTheCallersIndicesRunsUpstream() throws Exception {
        TestNode.Response r = post("/_reindex?refresh=true", "admin", "{\"source\":{\"index\":\"app-1\"},\"dest\":{\"index\":\"app-copy\"}}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("created").asInt()).isEqualTo(1);
        assertThat(gateway.asElastic("GET", "/app-copy/_doc/seed").json().at("/_source/msg").asText()).isEqualTo("in app-1");
    }

    @Test
    void aReindexFromOrIntoAnotherIndexIsElasticsearchs403() throws Exception {
        TestNode.Response from = post("/_reindex", "admin", "{\"source\":{\"index\":[\"app-1\",\"other\"]},\"dest\":{\"index\":\"app-stolen\"}}");
        TestNode.Response into = post("/_reindex", "admin", "{\"source\":{\"index\":\"app-1\"},\"dest\":{\"index\":\"other\",\"op_type\":\"create\"}}");
        TestNode.Response reader = post("/_reindex", "reader", "{\"source\":{\"index\":\"logs-1\"},\"dest\":{\"index\":\"logs-2\"}}");

        assertThat(from.status()).as(from.body()).isEqualTo(403);
        assertThat(from.json().at("/error/reason").asText()).isEqualTo("action [indices:data/read/search] is unauthorized for user [admin]"
                + " with effective roles [app_admin] on indices [other], this action is granted by the index privileges [read,all]");
        assertThat(into.status()).as(into.body()).isEqualTo(403);
        assertThat(into.json().at("/error/reason").asText()).isEqualTo("action [indices:data/write/bulk[s]] is unauthorized for user [admin]"
                + " with effective roles [app_admin] on indices [other], this action is granted by the index privileges"
                + " [create_doc,create,delete,index,write,all]");
        // the name-only action first, from the head, as Elasticsearch
        assertThat(reader.json().at("/error/reason").asText()).isEqualTo("action [indices:data/write/reindex] is unauthorized for user"
                + " [reader] with effective roles [logs_reader], this action is granted by the index privileges [write,all]");
        assertThat(gateway.asElastic("HEAD", "/app-stolen").status()).isEqualTo(404);
        assertThat(gateway.asElastic("GET", "/other/_count").json().get("count").asInt()).isEqualTo(1);
    }

    @Test
    void aReindexFromARemoteClusterNeedsTheAllClusterPrivilege() throws Exception {
        TestNode.Response r = post("/_reindex", "admin", """
                {"source":{"remote":{"host":"http://127.0.0.1:1"},"index":"app-1"},"dest":{"index":"app-remote"}}""");

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("action [POST /_reindex] is unauthorized for user [admin] with"
                + " effective roles [app_admin], this action is granted by the cluster privileges [all]");
    }

    @Test
    void aBodyThatCannotBeReadIsElasticsearchs400AndNeverReachesTheUpstream() throws Exception {
        TestNode.Response broken = post("/_aliases", "admin", "{\"actions\":[{\"add\":{\"index\":\"app-1\",");
        TestNode.Response unknown = post("/_aliases", "admin", "{\"actions\":[{\"rename\":{\"index\":\"app-1\",\"alias\":\"x\"}}]}");
        TestNode.Response none = post("/_aliases", "admin", "{\"actions\":[]}");
        TestNode.Response noSource = post("/_reindex", "admin", "{\"source\":{},\"dest\":{}}");

        assertThat(broken.status()).as(broken.body()).isEqualTo(400);
        // Jackson's exception decides which, as in Elasticsearch
        assertThat(broken.json().at("/error/type").asText()).isIn("x_content_parse_exception", "x_content_e_o_f_exception");
        assertThat(broken.json().at("/error/reason").asText()).startsWith("[1:");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("x_content_parse_exception");
        assertThat(unknown.json().at("/error/reason").asText()).endsWith("[alias_action] unknown field [rename]");
        assertThat(none.json().at("/error/reason").asText()).isEqualTo("Validation Failed: 1: Must specify at least one alias action;");
        assertThat(noSource.json().at("/error/reason").asText()).isEqualTo("Validation Failed: 1: use _all if you really want to copy from"
                + " all existing indexes;2: index must be specified;");
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String names = "\"app-1\",".repeat(1000);
        TestNode.Response r = post("/_aliases", "admin", "{\"actions\":[{\"add\":{\"indices\":[" + names + "\"app-2\"],\"alias\":\"app-big\"}}]}");

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("X-elastic-product")).isEqualTo("Elasticsearch");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("the _aliases body is larger than the gateway's limit of [4096] bytes");
        assertThat(gateway.asElastic("GET", "/_alias/app-big").status()).isEqualTo(404);
    }
    /** Each search's header is decided as Elasticsearch decides a _search: a wildcard is narrowed to the caller's names. */
    @Test
    void aMultiSearchsWildcardHeadersAreNarrowedToTheCallersIndices() throws Exception {
        String body = """
                {"index":"*"}
                {"query":{"match_all":{}},"size":100}
                {"index":"other*"}
                {}
                {}
                {"size":100}
                {"index":["logs-*","app-*"],"ignore_unavailable":true}
                {"size":100}
                """;

        TestNode.Response r = post("/_msearch", "reader", body);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (int search : new int[] {0, 2, 3}) {
            JsonNode hits = r.json().at("/responses/" + search + "/hits/hits");
            assertThat(hits.size()).as(r.body()).isPositive();
            hits.forEach(h -> assertThat(h.get("_index").asText()).startsWith("logs-"));
        }
        // Elasticsearch's answer when a wildcard reaches no authorized name: an empty search, not a 403
        assertThat(r.json().at("/responses/1/status").asInt()).isEqualTo(200);
        assertThat(r.json().at("/responses/1/hits/total/value").asInt()).isZero();
    }
}
