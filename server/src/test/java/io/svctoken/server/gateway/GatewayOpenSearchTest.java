package io.svctoken.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway in front of a real OpenSearch node (no security plugin), over real HTTP. */
class GatewayOpenSearchTest {

    @RegisterExtension
    static final OpenSearchUpstream OPENSEARCH = new OpenSearchUpstream();

    @TempDir
    static Path home;
    static TestNode gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestNode.start(home, Map.of("svctoken.gateway.upstream", OPENSEARCH.url(), "svctoken.gateway.connect_timeout", "1s"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aSuperuserCreatesAnIndexIndexesADocumentAndFindsItThroughTheGateway() throws Exception {
        TestNode.Response created = gateway.asElastic("PUT", "/logs-gw", "{\"settings\":{\"number_of_replicas\":0}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.header("X-elastic-product")).isEqualTo("Elasticsearch");

        TestNode.Response indexed = gateway.asElastic("PUT", "/logs-gw/_doc/1?refresh=true", "{\"msg\":\"hello gateway\"}");
        assertThat(indexed.status()).as(indexed.body()).isEqualTo(201);

        TestNode.Response found = gateway.asElastic("POST", "/logs-gw/_search", "{\"query\":{\"match\":{\"msg\":\"hello\"}}}");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.header("X-elastic-product")).isEqualTo("Elasticsearch");
        JsonNode hits = found.json().at("/hits/hits");
        assertThat(hits.size()).isEqualTo(1);
        assertThat(hits.get(0).at("/_source/msg").asText()).isEqualTo("hello gateway");

        TestNode.Response bulk = gateway.request("POST", "/_bulk?refresh=true", TestNode.ELASTIC_BASIC,
                "{\"index\":{\"_index\":\"logs-gw\",\"_id\":\"2\"}}\n{\"msg\":\"second\"}\n", Map.of());
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.json().get("errors").asBoolean()).isFalse();
        assertThat(gateway.asElastic("GET", "/logs-gw/_count").json().get("count").asInt()).isEqualTo(2);
    }

    @Test
    void anApiKeyOfTheSuperuserReachesTheUpstream() throws Exception {
        TestNode.Response key = gateway.asElastic("POST", "/_security/api_key", "{\"name\":\"ingest\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(200);
        String apiKey = "ApiKey " + key.json().get("encoded").asText();

        TestNode.Response indexed = gateway.request("PUT", "/ingest-gw/_doc/1?refresh=true", apiKey, "{\"msg\":\"by key\"}", Map.of());
        TestNode.Response found = gateway.request("GET", "/ingest-gw/_search?q=msg:key", apiKey);

        assertThat(indexed.status()).as(indexed.body()).isEqualTo(201);
        assertThat(found.json().at("/hits/total/value").asInt()).isEqualTo(1);
    }

    @Test
    void rootIsSvctokensOwnAnswerNotTheUpstreams() throws Exception {
        TestNode.Response root = gateway.asElastic("GET", "/");
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.body()).doesNotContain("opensearch");
        assertThat(root.json().at("/tagline").asText()).isEqualTo("You Know, for Search");
    }

    @Test
    void aKibanaServiceTokenGetsElasticsearchs403FromTheDefaultPolicy() throws Exception {
        TestNode.Response token = gateway.asElastic("POST", "/_security/service/elastic/kibana/credential/token/gw-test");
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        String bearer = TestNode.bearer(token.json().at("/token/value").asText());

        TestNode.Response r = gateway.request("GET", "/logs-gw/_search", bearer);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-elastic-product")).isEqualTo("Elasticsearch");
        assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("action [svctoken:gateway/forward] is unauthorized for service account"
                + " [elastic/kibana], this action is granted by the cluster privileges [all]");
        assertThat(r.json().at("/status").asInt()).isEqualTo(403);
        // its own endpoints it may still call
        assertThat(gateway.request("GET", "/_security/_authenticate", bearer).status()).isEqualTo(200);
    }

    @Test
    void anUpstreamRestartMidTrafficIsSurvivedWithoutRestartingTheGateway() throws Exception {
        assertThat(gateway.asElastic("GET", "/_cluster/health").status()).isEqualTo(200);
        OPENSEARCH.stop();
        List<Integer> whileDown = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            whileDown.add(gateway.asElastic("GET", "/_cluster/health").status());
        }
        OPENSEARCH.start();
        TestNode.Response after = gateway.asElastic("GET", "/_cluster/health");

        assertThat(whileDown).containsOnly(502);
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(after.json().get("cluster_name").asText()).isEqualTo("gateway-upstream");
    }
}
