package io.svctoken.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway in front of a real OpenSearch node (no security plugin), over real HTTP. */
class GatewayOpenSearchTest {

    @RegisterExtension
    static final OpenSearchUpstream OPENSEARCH = new OpenSearchUpstream();

    @TempDir
    static Path home;
    static TestNode gateway;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        gateway = TestNode.start(home, Map.of("svctoken.gateway.upstream", OPENSEARCH.url(), "svctoken.gateway.connect_timeout", "1s"));
        for (String index : List.of("logs-1", "secret", "app-1", "other")) {
            TestNode.Response created = gateway.asElastic("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0}}");
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(gateway.asElastic("PUT", "/" + index + "/_doc/seed?refresh=true", "{\"msg\":\"in " + index + "\"}").status())
                    .isEqualTo(201);
        }
        gateway.putRole("logs_reader", "{\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"]}]}");
        gateway.putRole("app_writer", "{\"indices\":[{\"names\":[\"app-*\"],\"privileges\":[\"create_doc\"]}]}");
        gateway.putUser("reader", "logs_reader");
        gateway.putUser("ingest", "app_writer");
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
    void aReaderSearchesItsIndexAndGetsElasticsearchs403ForAnother() throws Exception {
        TestNode.Response mine = gateway.request("GET", "/logs-1/_search", TestNode.asUser("reader"));
        TestNode.Response other = gateway.request("GET", "/secret/_search", TestNode.asUser("reader"));

        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        assertThat(mine.json().at("/hits/hits/0/_source/msg").asText()).isEqualTo("in logs-1");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("X-elastic-product")).isEqualTo("Elasticsearch");
        assertThat(other.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(other.json().at("/error/reason").asText()).isEqualTo("action [indices:data/read/search] is unauthorized for user [reader]"
                + " with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]");
    }

    @Test
    void aSearchOnEveryIndexIsNarrowedToTheReadersIndices() throws Exception {
        TestNode.Response all = gateway.request("GET", "/*/_search?size=100", TestNode.asUser("reader"));
        TestNode.Response none = gateway.request("GET", "/secret*/_search", TestNode.asUser("reader"));

        assertThat(all.status()).as(all.body()).isEqualTo(200);
        List<String> indices = new ArrayList<>();
        all.json().at("/hits/hits").forEach(h -> indices.add(h.get("_index").asText()));
        assertThat(indices).contains("logs-1").allMatch(i -> i.startsWith("logs-"));
        // Elasticsearch's answer when a wildcard reaches no authorized name: an empty search, not a 403
        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(none.json().at("/hits/total/value").asInt()).isZero();
    }

    @Test
    void anIndexCreatedThroughTheGatewayIsSeenByTheNextWildcard() throws Exception {
        assertThat(gateway.request("GET", "/logs-*/_search", TestNode.asUser("reader")).status()).isEqualTo(200);
        assertThat(gateway.asElastic("PUT", "/logs-new", "{\"settings\":{\"number_of_replicas\":0}}").status()).isEqualTo(200);
        assertThat(gateway.asElastic("PUT", "/logs-new/_doc/1?refresh=true", "{\"msg\":\"new\"}").status()).isEqualTo(201);

        TestNode.Response found = gateway.request("GET", "/logs-*/_search?q=msg:new", TestNode.asUser("reader"));

        assertThat(found.json().at("/hits/total/value").asInt()).as(found.body()).isEqualTo(1);
    }

    /** gateway-authorization.md §5: role app_writer is create_doc on app-*; app-1 and other exist. */
    @Test
    void aBulkOfAllowedAndDeniedItemsCreatesTheAllowedOnesAndAnswersElasticsearchs403sInTheirPlaces() throws Exception {
        String body = """
                {"create":{"_index":"app-1","_id":"1"}}
                {"msg":"a"}
                {"index":{"_index":"app-1","_id":"2"}}
                {"msg":"b"}
                {"create":{"_index":"other","_id":"3"}}
                {"msg":"c"}
                """;

        TestNode.Response r = gateway.request("POST", "/_bulk?refresh=true", TestNode.asUser("ingest"), body, Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("X-elastic-product")).isEqualTo("Elasticsearch");
        JsonNode answer = r.json();
        assertThat(answer.get("errors").asBoolean()).isTrue();
        assertThat(answer.at("/items/0/create/status").asInt()).isEqualTo(201);
        assertThat(answer.at("/items/0/create/result").asText()).isEqualTo("created");
        assertThat(r.body()).contains("{\"index\":{\"_index\":\"app-1\",\"_id\":\"2\",\"status\":403,\"error\":{\"type\":\"security_exception\","
                + "\"reason\":\"action [indices:data/write/index:op_type/index] is unauthorized for user [ingest] with effective roles"
                + " [app_writer] on indices [app-1], this action is granted by the index privileges [create,index,write,all]\"}}}");
        assertThat(r.body()).contains("{\"create\":{\"_index\":\"other\",\"_id\":\"3\",\"status\":403,\"error\":{\"type\":\"security_exception\","
                + "\"reason\":\"action [indices:data/write/bulk[s]] is unauthorized for user [ingest] with effective roles [app_writer] on"
                + " indices [other], this action is granted by the index privileges [create_doc,create,delete,index,write,all]\"}}}");
        assertThat(answer.get("items").size()).isEqualTo(3);
        assertThat(gateway.asElastic("GET", "/app-1/_doc/1").json().at("/_source/msg").asText()).isEqualTo("a");
        assertThat(gateway.asElastic("GET", "/app-1/_doc/2").status()).isEqualTo(404);
        assertThat(gateway.asElastic("GET", "/other/_doc/3").status()).isEqualTo(404);
    }

    @Test
    void aBulkWhoseItemsAreAllDeniedIsAnsweredByTheGateway() throws Exception {
        String body = "{\"create\":{\"_index\":\"other\",\"_id\":\"never\"}}\n{\"msg\":\"x\"}\n";

        TestNode.Response r = gateway.request("POST", "/_bulk", TestNode.asUser("ingest"), body, Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("errors").asBoolean()).isTrue();
        assertThat(r.json().at("/items/0/create/status").asInt()).isEqualTo(403);
        assertThat(gateway.asElastic("GET", "/other/_doc/never").status()).isEqualTo(404);
    }

    @Test
    void aBulksFilterPathShapesTheMergedAnswer() throws Exception {
        String body = "{\"create\":{\"_index\":\"app-1\",\"_id\":\"fp-1\"}}\n{\"msg\":\"a\"}\n"
                + "{\"create\":{\"_index\":\"other\",\"_id\":\"fp-2\"}}\n{\"msg\":\"b\"}\n";

        TestNode.Response r = gateway.request("POST", "/_bulk?filter_path=errors,items.*.status,items.*._id", TestNode.asUser("ingest"), body, Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"errors\":true,\"items\":[{\"create\":{\"_id\":\"fp-1\",\"status\":201}},"
                + "{\"create\":{\"_id\":\"fp-2\",\"status\":403}}]}");
    }

    @Test
    void aMalformedBulkIsElasticsearchs400AndItsAllowedItemsAreNotIndexed() throws Exception {
        String body = "{\"create\":{\"_index\":\"app-1\",\"_id\":\"bad-1\"}}\n{\"msg\":\"a\"}\n{\"explode\":{\"_index\":\"app-1\"}}\n{}\n";

        TestNode.Response r = gateway.request("POST", "/_bulk?refresh=true", TestNode.asUser("ingest"), body, Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("Malformed action/metadata line [3], expected field [create],"
                + " [delete], [index] or [update] but found [explode]");
        assertThat(gateway.asElastic("GET", "/app-1/_doc/bad-1").status()).isEqualTo(404);
    }

    @Test
    void aMultiSearchAnswersTheAllowedSearchesAndElasticsearchs403ForTheOthersInTheirPlaces() throws Exception {
        String body = "{\"index\":\"logs-1\"}\n{\"query\":{\"match_all\":{}}}\n{\"index\":\"secret\"}\n{\"query\":{\"match_all\":{}}}\n";

        TestNode.Response r = gateway.request("POST", "/_msearch", TestNode.asUser("reader"), body, Map.of());
        TestNode.Response none = gateway.request("POST", "/_msearch", TestNode.asUser("reader"), "{\"index\":\"secret\"}\n{}\n", Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/responses/0/hits/hits/0/_source/msg").asText()).isEqualTo("in logs-1");
        assertThat(r.json().at("/responses/1/status").asInt()).isEqualTo(403);
        assertThat(r.json().at("/responses/1/error/type").asText()).isEqualTo("security_exception");
        assertThat(r.json().at("/responses/1/error/reason").asText()).isEqualTo("action [indices:data/read/search] is unauthorized for user"
                + " [reader] with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]");
        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(none.json().at("/responses/0/status").asInt()).isEqualTo(403);
    }

    @Test
    void aMultiGetAnswersTheAllowedDocumentsAndElasticsearchs403ForTheOthersInTheirPlaces() throws Exception {
        String body = "{\"docs\":[{\"_index\":\"secret\",\"_id\":\"seed\"},{\"_index\":\"logs-1\",\"_id\":\"seed\"}]}";

        TestNode.Response r = gateway.request("POST", "/_mget", TestNode.asUser("reader"), body, Map.of());
        TestNode.Response none = gateway.request("POST", "/_mget", TestNode.asUser("reader"), "{\"docs\":[{\"_index\":\"secret\",\"_id\":\"seed\"}]}", Map.of());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/docs/0/_index").asText()).isEqualTo("secret");
        assertThat(r.json().at("/docs/0/_source").isMissingNode()).isTrue();
        assertThat(r.json().at("/docs/0/error/type").asText()).isEqualTo("security_exception");
        assertThat(r.json().at("/docs/0/error/reason").asText()).isEqualTo("action [indices:data/read/mget[shard]] is unauthorized for user"
                + " [reader] with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]");
        assertThat(r.json().at("/docs/1/_source/msg").asText()).isEqualTo("in logs-1");
        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(none.json().at("/docs/0/error/type").asText()).isEqualTo("security_exception");
    }

    @Test
    void aGzipBulkIsDecidedItemByItemAndReachesTheUpstreamInflated() throws Exception {
        String body = "{\"create\":{\"_index\":\"app-1\",\"_id\":\"gz-1\"}}\n{\"msg\":\"gz\"}\n"
                + "{\"create\":{\"_index\":\"other\",\"_id\":\"gz-2\"}}\n{\"msg\":\"no\"}\n";

        HttpResponse<String> r = encoded("POST", "/_bulk?refresh=true", TestNode.asUser("ingest"), "gzip", gzip(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = Json.MAPPER.readTree(r.body());
        assertThat(answer.at("/items/0/create/status").asInt()).isEqualTo(201);
        assertThat(answer.at("/items/1/create/status").asInt()).isEqualTo(403);
        assertThat(gateway.asElastic("GET", "/app-1/_doc/gz-1").json().at("/_source/msg").asText()).isEqualTo("gz");
        assertThat(gateway.asElastic("GET", "/other/_doc/gz-2").status()).isEqualTo(404);
    }

    @Test
    void aDeflateMultiSearchAndAGzipMultiGetAreDecidedItemByItem() throws Exception {
        String msearch = "{\"index\":\"logs-1\"}\n{\"query\":{\"match_all\":{}}}\n{\"index\":\"secret\"}\n{}\n";
        String mget = "{\"docs\":[{\"_index\":\"secret\",\"_id\":\"seed\"},{\"_index\":\"logs-1\",\"_id\":\"seed\"}]}";

        HttpResponse<String> s = encoded("POST", "/_msearch", TestNode.asUser("reader"), "deflate", deflate(msearch.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> g = encoded("POST", "/_mget", TestNode.asUser("reader"), "gzip", gzip(mget.getBytes(StandardCharsets.UTF_8)));

        assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(s.body()).at("/responses/0/hits/hits/0/_source/msg").asText()).isEqualTo("in logs-1");
        assertThat(Json.MAPPER.readTree(s.body()).at("/responses/1/status").asInt()).isEqualTo(403);
        assertThat(g.statusCode()).as(g.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(g.body()).at("/docs/0/error/type").asText()).isEqualTo("security_exception");
        assertThat(Json.MAPPER.readTree(g.body()).at("/docs/1/_source/msg").asText()).isEqualTo("in logs-1");
    }

    @Test
    void aCorruptGzipBulkIsA400AndItsItemsAreNotIndexed() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            body.append("{\"create\":{\"_index\":\"app-1\",\"_id\":\"corrupt-").append(i).append("\"}}\n{\"msg\":\"x\"}\n");
        }
        byte[] gz = gzip(body.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = gz.length / 2; i < gz.length / 2 + 8; i++) {
            gz[i] ^= 0x5a;
        }

        HttpResponse<String> r = encoded("POST", "/_bulk?refresh=true", TestNode.asUser("ingest"), "gzip", gz);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("X-elastic-product")).hasValue("Elasticsearch");
        assertThat(Json.MAPPER.readTree(r.body()).at("/error/type").asText()).isEqualTo("parse_exception");
        assertThat(Json.MAPPER.readTree(r.body()).at("/error/reason").asText()).startsWith("the [gzip] request body cannot be decoded");
        assertThat(gateway.asElastic("GET", "/app-1/_doc/corrupt-0").status()).isEqualTo(404);
        assertThat(gateway.asElastic("GET", "/_cluster/health").status()).isEqualTo(200);
    }

    private static HttpResponse<String> encoded(String method, String path, String authorization, String encoding, byte[] body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/x-ndjson").header("Content-Encoding", encoding)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void aKibanaServiceTokenWritesAndReadsKibanasIndicesAndNoOthers() throws Exception {
        TestNode.Response token = gateway.asElastic("POST", "/_security/service/elastic/kibana/credential/token/gw-test");
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        String bearer = TestNode.bearer(token.json().at("/token/value").asText());

        TestNode.Response written = gateway.request("PUT", "/.kibana_gw/_doc/space?refresh=true", bearer, "{\"name\":\"default\"}", Map.of());
        TestNode.Response read = gateway.request("GET", "/.kibana_gw/_doc/space", bearer);
        TestNode.Response r = gateway.request("GET", "/logs-1/_search", bearer);

        assertThat(written.status()).as(written.body()).isEqualTo(201);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().at("/_source/name").asText()).isEqualTo("default");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-elastic-product")).isEqualTo("Elasticsearch");
        assertThat(r.json().at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(r.json().at("/error/reason").asText()).isEqualTo("action [indices:data/read/search] is unauthorized for service account"
                + " [elastic/kibana] on indices [logs-1], this action is granted by the index privileges [read,all]");
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
