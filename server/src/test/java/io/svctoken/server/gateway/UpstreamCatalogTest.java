package io.svctoken.server.gateway;

import io.svctoken.core.authz.index.IndexCatalog;
import io.svctoken.server.http.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamCatalogTest {

    @Test
    void theResolveIndexAnswerBecomesTheCatalogWithItsFlags() throws Exception {
        String answer = """
                {"indices":[{"name":"logs-1","aliases":["logs"],"attributes":["open"]},
                 {"name":".hidden-1","attributes":["hidden","open"]},{"name":"old","attributes":["closed"]},
                 {"name":".ds-metrics-000001","attributes":["hidden","open"],"data_stream":"metrics"}],
                 "aliases":[{"name":"logs","indices":["logs-1"]}],
                 "data_streams":[{"name":"metrics","backing_indices":[".ds-metrics-000001"],"timestamp_field":"@timestamp"}]}
                """;

        IndexCatalog c = UpstreamCatalog.parse(Json.MAPPER.readTree(answer));

        assertThat(c.find("logs-1")).hasValue(IndexCatalog.Entry.index("logs-1"));
        assertThat(c.find(".hidden-1").orElseThrow().hidden()).isTrue();
        assertThat(c.find("old").orElseThrow().closed()).isTrue();
        assertThat(c.find(".ds-metrics-000001").orElseThrow().dataStream()).isEqualTo("metrics");
        assertThat(c.find("logs").orElseThrow()).isEqualTo(new IndexCatalog.Entry("logs", IndexCatalog.Kind.ALIAS, false, false, false,
                List.of("logs-1"), null));
        assertThat(c.find("metrics").orElseThrow().members()).containsExactly(".ds-metrics-000001");
        assertThat(c.entries()).hasSize(6);
    }

    @Test
    void requestsThatChangeNamesMakeTheSnapshotStale() {
        assertThat(UpstreamCatalog.changesNames("PUT", "/logs-2?wait_for_active_shards=1")).isTrue();
        assertThat(UpstreamCatalog.changesNames("DELETE", "/logs-2")).isTrue();
        assertThat(UpstreamCatalog.changesNames("POST", "/_aliases")).isTrue();
        assertThat(UpstreamCatalog.changesNames("PUT", "/logs-1/_alias/current")).isTrue();
        assertThat(UpstreamCatalog.changesNames("POST", "/logs-1/_close")).isTrue();
        assertThat(UpstreamCatalog.changesNames("PUT", "/_data_stream/metrics")).isTrue();

        assertThat(UpstreamCatalog.changesNames("GET", "/logs-2")).isFalse();
        assertThat(UpstreamCatalog.changesNames("POST", "/logs-1/_search")).isFalse();
        assertThat(UpstreamCatalog.changesNames("PUT", "/logs-1/_doc/1")).isFalse();
        assertThat(UpstreamCatalog.changesNames("POST", "/_bulk")).isFalse();
    }
}
