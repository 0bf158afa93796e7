package io.svctoken.core.authz.index;

import io.svctoken.core.authz.index.Need.AllOf;
import io.svctoken.core.authz.index.Need.Bulk;
import io.svctoken.core.authz.index.Need.Cluster;
import io.svctoken.core.authz.index.Need.DocWrite;
import io.svctoken.core.authz.index.Need.Granted;
import io.svctoken.core.authz.index.Need.Index;
import io.svctoken.core.authz.index.Need.Mget;
import io.svctoken.core.authz.index.Need.Msearch;
import io.svctoken.core.authz.index.Need.NameOnly;
import io.svctoken.core.authz.index.Need.Unknown;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RestRequestsTest {

    private static Need c(String method, String path) {
        return RestRequests.classify(method, path, Map.of());
    }

    /** Cluster actions: method, path, action. */
    @ParameterizedTest
    @CsvSource({
            "GET,/,cluster:monitor/main",
            "HEAD,/,cluster:monitor/main",
            "GET,/_cluster/health,cluster:monitor/health",
            "GET,/_cluster/health/logs-*,cluster:monitor/health",
            "GET,/_cluster/state/metadata,cluster:monitor/state",
            "GET,/_cluster/settings,cluster:monitor/settings",
            "PUT,/_cluster/settings,cluster:admin/settings/update",
            "GET,/_cat/health,cluster:monitor/health",
            "GET,/_nodes,cluster:monitor/nodes/info",
            "GET,/_nodes/_local,cluster:monitor/nodes/info",
            "GET,/_nodes/http,cluster:monitor/nodes/info",
            "GET,/_nodes/stats,cluster:monitor/nodes/stats",
            "GET,/_nodes/n1/stats/jvm,cluster:monitor/nodes/stats",
            "GET,/_index_template,indices:admin/index_template/get",
            "HEAD,/_index_template/t,indices:admin/index_template/get",
            "PUT,/_index_template/t,indices:admin/index_template/put",
            "DELETE,/_index_template/t,indices:admin/index_template/delete",
            "GET,/_component_template/c,cluster:admin/component_template/get",
            "PUT,/_component_template/c,cluster:admin/component_template/put",
            "GET,/_template/t,indices:admin/template/get",
            "DELETE,/_template/t,indices:admin/template/delete",
            "GET,/_ingest/pipeline,cluster:admin/ingest/pipeline/get",
            "PUT,/_ingest/pipeline/p,cluster:admin/ingest/pipeline/put",
            "DELETE,/_ingest/pipeline/p,cluster:admin/ingest/pipeline/delete",
            "POST,/_ingest/pipeline/p/_simulate,cluster:admin/ingest/pipeline/simulate",
            "GET,/_tasks,cluster:monitor/tasks/lists",
            "GET,/_tasks/n1:1,cluster:monitor/task/get",
            "POST,/_tasks/n1:1/_cancel,cluster:admin/tasks/cancel",
            "POST,/_tasks/_cancel,cluster:admin/tasks/cancel",
            "GET,/_license,cluster:monitor/xpack/license/get",
            "PUT,/_license,cluster:admin/xpack/license/put",
            "GET,/_xpack,cluster:monitor/xpack/info",
            "GET,/_xpack/usage,cluster:monitor/xpack/usage",
            "GET,/_ilm/policy,cluster:admin/ilm/get",
            "GET,/_ilm/status,cluster:admin/ilm/operation_mode/get",
            "POST,/_monitoring/bulk,cluster:admin/xpack/monitoring/bulk",
    })
    void clusterActions(String method, String path, String action) {
        assertThat(c(method, path)).isEqualTo(new Cluster(action));
    }

    /** Index actions: method, path, action, expressions (| separated, empty = all). */
    @ParameterizedTest
    @CsvSource({
            "GET,/_search,indices:data/read/search,",
            "POST,/logs-*/_search,indices:data/read/search,logs-*",
            "GET,/a%2Cb/_search,indices:data/read/search,a|b",
            "GET,'/a,b/_count',indices:data/read/search,a|b",
            "GET,/_count,indices:data/read/search,",
            "GET,/_cat/count/logs-1,indices:data/read/search,logs-1",
            "GET,/logs/_field_caps,indices:data/read/field_caps,logs",
            "GET,/_resolve/index/logs-*,indices:admin/resolve/index,logs-*",
            "GET,/logs-1/_mapping,indices:admin/mappings/get,logs-1",
            "GET,/_mapping,indices:admin/mappings/get,",
            "GET,/logs-1/_mapping/field/f,indices:admin/mappings/fields/get,logs-1",
            "PUT,/logs-1/_mapping,indices:admin/mapping/put,logs-1",
            "GET,/logs-1/_settings,indices:monitor/settings/get,logs-1",
            "GET,/logs-1/_settings/index.number_of_shards,indices:monitor/settings/get,logs-1",
            "PUT,/logs-1/_settings,indices:admin/settings/update,logs-1",
            "GET,/logs-1/_alias,indices:admin/aliases/get,logs-1",
            "POST,/logs-1/_refresh,indices:admin/refresh,logs-1",
            "POST,/_refresh,indices:admin/refresh,",
            "POST,/logs-1/_flush,indices:admin/flush,logs-1",
            "PUT,/logs-1,indices:admin/create,logs-1",
            "DELETE,/logs-1,indices:admin/delete,logs-1",
            "GET,/logs-1,indices:admin/get,logs-1",
            "HEAD,/logs-1,indices:admin/get,logs-1",
            "GET,/logs-1/_doc/1,indices:data/read/get,logs-1",
            "HEAD,/logs-1/_source/1,indices:data/read/get,logs-1",
            "POST,/logs-1/_update/1,indices:data/write/update,logs-1",
            "GET,/_cat/aliases/a1,indices:admin/aliases/get,a1",
            "GET,/_data_stream,indices:admin/data_stream/get,",
            "GET,/_data_stream/logs-*,indices:admin/data_stream/get,logs-*",
            "PUT,/_data_stream/logs-x,indices:admin/data_stream/create,logs-x",
            "DELETE,/_data_stream/logs-x,indices:admin/data_stream/delete,logs-x",
            "GET,/_data_stream/_stats,indices:monitor/data_stream/stats,",
            "POST,/logs-1/_pit,indices:data/read/open_point_in_time,logs-1",
            "GET,/logs-1/_ilm/explain,indices:admin/ilm/explain,logs-1",
            "PUT,/.kibana_7.17.0_001/_block/write,indices:admin/block/add,.kibana_7.17.0_001",
    })
    void indexActions(String method, String path, String action, String names) {
        Need n = c(method, path);
        assertThat(n).isInstanceOf(Index.class);
        Index i = (Index) n;
        assertThat(i.action()).isEqualTo(action);
        assertThat(String.join("|", i.expressions())).isEqualTo(names == null ? "" : names);
    }

    @Test
    void documentWritesAreOneItemBulks() {
        assertThat(c("PUT", "/logs-1/_doc/1")).isEqualTo(new DocWrite("indices:data/write/index", "index", "logs-1"));
        assertThat(RestRequests.classify("PUT", "/logs-1/_doc/1", Map.of("op_type", "create")))
                .isEqualTo(new DocWrite("indices:data/write/index", "create", "logs-1"));
        assertThat(c("POST", "/logs-1/_doc")).isEqualTo(new DocWrite("indices:data/write/index", "create", "logs-1"));
        assertThat(c("PUT", "/logs-1/_create/1")).isEqualTo(new DocWrite("indices:data/write/index", "create", "logs-1"));
        assertThat(c("DELETE", "/logs-1/_doc/1")).isEqualTo(new DocWrite("indices:data/write/delete", "delete", "logs-1"));
    }

    @Test
    void bodyDecidedRequests() {
        assertThat(c("POST", "/_bulk")).isEqualTo(new Bulk(null));
        assertThat(c("PUT", "/logs-1/_bulk")).isEqualTo(new Bulk("logs-1"));
        assertThat(c("GET", "/_mget")).isEqualTo(new Mget(null));
        assertThat(c("POST", "/logs-1/_mget")).isEqualTo(new Mget("logs-1"));
        assertThat(c("POST", "/_msearch")).isEqualTo(new Msearch(null));
        assertThat(c("GET", "/a,b/_msearch")).isEqualTo(new Msearch("a,b"));
        assertThat(c("POST", "/_search/scroll")).isEqualTo(new NameOnly("indices:data/read/scroll"));
        assertThat(c("DELETE", "/_search/scroll")).isEqualTo(new Granted("indices:data/read/scroll/clear"));
        assertThat(c("DELETE", "/_pit")).isEqualTo(new Granted("indices:data/read/close_point_in_time"));
    }

    @Test
    void catAndAliasRequestsNeedSeveralActions() {
        assertThat(c("GET", "/_cat/indices")).isInstanceOfSatisfying(AllOf.class, a -> assertThat(a.needs()).hasSize(4));
        assertThat(c("GET", "/_cat/nodes")).isEqualTo(new AllOf(List.of(new Cluster("cluster:monitor/state"),
                new Cluster("cluster:monitor/nodes/info"), new Cluster("cluster:monitor/nodes/stats"))));
        assertThat(c("GET", "/_cat/shards/logs-1")).isInstanceOfSatisfying(AllOf.class, a -> assertThat(a.needs()).hasSize(2));
        assertThat(c("PUT", "/logs-1/_alias/a1")).isInstanceOfSatisfying(AllOf.class, a -> {
            assertThat(((Index) a.needs().get(0)).action()).isEqualTo("indices:admin/aliases");
            assertThat(((Index) a.needs().get(1)).expressions()).containsExactly("a1");
        });
        assertThat(c("POST", "/logs-1/_delete_by_query")).isInstanceOf(AllOf.class);
        // a resize on its source and its target (Kibana clones its temporary index into the new version's)
        Need.Options o = Need.Options.DEFAULT;
        assertThat(c("POST", "/.kibana_8.19.0_reindex_temp/_clone/.kibana_8.19.0_001")).isEqualTo(new AllOf(List.of(
                new Index("indices:admin/resize", List.of(".kibana_8.19.0_reindex_temp"), o, true, false),
                new Index("indices:admin/resize", List.of(".kibana_8.19.0_001"), o, true, false))));
        assertThat(c("PUT", "/logs-1/_shrink/logs-small")).isInstanceOf(AllOf.class);
    }

    /** Fail closed: everything outside the table, including names only in a body. */
    @ParameterizedTest
    @CsvSource({
            "POST,/_aliases", "POST,/_reindex", "GET,/_cat", "GET,/_cat/master", "POST,/_search/template", "GET,/_security/_authenticate",
            "POST,/logs-1/_close", "PATCH,/logs-1", "GET,/logs-1/_unknown", "GET,//_search", "GET,/a%zz/_search", "POST,/_nodes/reload_secure_settings",
            "GET,/_snapshot", "DELETE,/_search", "GET,/logs-1/_doc", "PUT,/_license/start_basic",
    })
    void unknownRequests(String method, String path) {
        assertThat(c(method, path)).isInstanceOf(Unknown.class);
    }

    @Test
    void queryOptionsAreRead() {
        Index i = (Index) RestRequests.classify("GET", "/logs-*/_search",
                Map.of("ignore_unavailable", "true", "allow_no_indices", "false", "expand_wildcards", "open,hidden"));
        assertThat(i.options()).isEqualTo(new Need.Options(true, false, true, false, true));
        assertThat(((Index) c("GET", "/logs-*/_search?ignore_unavailable=true")).expressions()).containsExactly("logs-*");
    }

    @Property(tries = 3000)
    void anyRequestIsClassifiedWithoutThrowing(@ForAll("methods") String method, @ForAll("paths") String path) {
        assertThat(RestRequests.classify(method, path, Map.of("expand_wildcards", "none"))).isNotNull();
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "get");
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.of("_search", "_doc", "_cat", "indices", "_bulk", "_alias", "_nodes",
                        "stats", "_mapping", "field", "_data_stream", "_stats", "_ingest", "pipeline", "_simulate", "_tasks", "_cancel", "",
                        "%2C", "%", "a,b", "_all", "*"),
                Arbitraries.strings().withChars("ab_-*%,.?").ofMaxLength(5));
        return segment.list().ofMaxSize(5).map(l -> "/" + String.join("/", l));
    }
}
