package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.health.NodeHealth;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Elasticsearch's _cluster/health and svctoken's unauthenticated probes, over real HTTP. */
class HealthTest {

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
    void liveAndReadyAnswerWithoutCredentialsAndSayOnlyAWord() throws Exception {
        TestNode.Response live = node.request("GET", "/_svctoken/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"live\"}");
        assertThat(live.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        TestNode.Response ready = node.request("GET", "/_svctoken/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
        // wrong credentials are not even read
        assertThat(node.request("GET", "/_svctoken/health/live", TestNode.basic("elastic", "wrong")).status()).isEqualTo(200);
        assertThat(node.request("HEAD", "/_svctoken/health/ready", null).status()).isEqualTo(200);
    }

    @Test
    void theProbesTakeNoParametersAndOtherPathsStillNeedCredentials() throws Exception {
        assertThat(node.request("GET", "/_svctoken/health/live?verbose=true", null).status()).isEqualTo(400);
        assertThat(node.request("GET", "/_svctoken/health/nope", null).status()).isEqualTo(401);
        assertThat(node.request("GET", "/_cluster/health", null).status()).isEqualTo(401);
    }

    @Test
    void clusterHealthHasElasticsearchsFieldsInOrder() throws Exception {
        TestNode.Response r = node.asElastic("GET", "/_cluster/health?level=cluster");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("cluster_name", "status", "timed_out", "number_of_nodes", "number_of_data_nodes",
                "active_primary_shards", "active_shards", "relocating_shards", "initializing_shards", "unassigned_shards",
                "unassigned_primary_shards", "delayed_unassigned_shards", "number_of_pending_tasks", "number_of_in_flight_fetch",
                "task_max_waiting_in_queue_millis", "active_shards_percent_as_number");
        JsonNode j = r.json();
        assertThat(j.get("cluster_name").asText()).isEqualTo("test-cluster");
        assertThat(j.get("status").asText()).isEqualTo("green");
        assertThat(j.get("timed_out").asBoolean()).isFalse();
        assertThat(j.get("number_of_nodes").asInt()).isEqualTo(1);
        assertThat(j.get("active_shards_percent_as_number").asDouble()).isEqualTo(100.0);
    }

    @Test
    void clusterHealthWaitsForAStatusAndRefusesAnUnknownOne() throws Exception {
        assertThat(node.asElastic("GET", "/_cluster/health?wait_for_status=green&timeout=1s").status()).isEqualTo(200);
        TestNode.Response bad = node.asElastic("GET", "/_cluster/health?wait_for_status=blue");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/reason").asText()).isEqualTo("unknown cluster health status [blue]");
    }

    @Test
    void clusterHealthNeedsMonitor() throws Exception {
        assertThat(node.asElastic("POST", "/_security/user/nomon", "{\"password\":\"nomon-password\",\"roles\":[]}").status())
                .isEqualTo(200);
        TestNode.Response r = node.request("GET", "/_cluster/health", TestNode.basic("nomon", "nomon-password"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/reason").asText()).startsWith("action [cluster:monitor/health] is unauthorized for user [nomon]");
    }

    @Test
    void aStoreThatDoesNotAnswerIsRedAndNotReadyAndIsReadAtMostOncePerPeriod(@TempDir Path data) {
        AtomicLong now = new AtomicLong();
        SqliteStore store = SqliteStore.open(data);
        NodeHealth h = new NodeHealth(() -> null, store.metadata(), Runnable::run, now::get, 1_000);
        NodeHealth.Snapshot up = h.snapshot().join();
        assertThat(up.storeReachable()).isTrue();
        assertThat(up.ready()).as("not joined yet").isFalse();
        store.close();
        assertThat(h.snapshot().join()).as("read again only after the period").isSameAs(up);
        now.set(1_000);
        NodeHealth.Snapshot down = h.snapshot().join();
        assertThat(down.status()).isEqualTo(NodeHealth.Status.RED);
        assertThat(down.ready()).isFalse();
    }
}
