package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.health.NodeHealth;
import io.svctoken.server.health.NodeHealth.Status;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.settings.TimeValues;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.HEAD;

/**
 * Health: Elasticsearch's {@code GET /_cluster/health} (from the store and the nodes), and svctoken's unauthenticated
 * probes {@code /_svctoken/health/live} and {@code /_svctoken/health/ready}, which answer a status word only.
 */
public final class HealthEndpoints {

    public static final String CLUSTER_HEALTH = "cluster:monitor/health";
    static final String LIVE = "cluster:monitor/svctoken/health/live";
    static final String READY = "cluster:monitor/svctoken/health/ready";
    /** How often a waiting {@code _cluster/health} looks again. */
    private static final long WAIT_POLL_MILLIS = 200;

    private final NodeHealth health;
    private final String clusterName;

    public HealthEndpoints(NodeHealth health, String clusterName) {
        this.health = health;
        this.clusterName = clusterName;
    }

    /** The probes: svctoken's own paths, served in gateway mode too. */
    public List<Endpoint<?>> probes() {
        return List.of(
                Endpoint.on(java.util.Set.of(GET, HEAD), "/_svctoken/health/live").noRequest()
                        .access(Access.unauthenticated(LIVE))
                        .execute((req, authn) -> Endpoint.done(new Probe(200, "live"))),
                Endpoint.on(java.util.Set.of(GET, HEAD), "/_svctoken/health/ready").noRequest()
                        .access(Access.unauthenticated(READY))
                        .execute((req, authn) -> health.snapshot()
                                .thenApply(s -> s.ready() ? new Probe(200, "ready") : new Probe(503, "not_ready"))));
    }

    /** {@code _cluster/health}: only without the gateway, where the upstream cluster's health is forwarded instead. */
    public List<Endpoint<?>> clusterHealth() {
        return List.of(Endpoint.on(GET, "/_cluster/health")
                .params(Param.string("level"), Param.bool("local"), Param.string("master_timeout"), Param.string("timeout"),
                        Param.string("wait_for_status"), Param.string("wait_for_nodes"), Param.string("wait_for_events"),
                        Param.bool("wait_for_no_relocating_shards"), Param.bool("wait_for_no_initializing_shards"),
                        Param.string("wait_for_active_shards"), Param.string("expand_wildcards"))
                .parse(HealthRequest::parse)
                .access(Access.action(CLUSTER_HEALTH))
                .execute((req, authn) -> {
                    long deadline = System.nanoTime() + req.timeout().toNanos();
                    return awaitStatus(req.waitFor(), deadline);
                }));
    }

    private CompletableFuture<ClusterHealth> awaitStatus(Status wanted, long deadlineNanos) {
        return health.snapshot().thenCompose(s -> {
            if (wanted == null || s.status().atLeast(wanted)) {
                return CompletableFuture.completedFuture(new ClusterHealth(clusterName, s, false));
            }
            if (System.nanoTime() >= deadlineNanos) {
                return CompletableFuture.completedFuture(new ClusterHealth(clusterName, s, true));
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(WAIT_POLL_MILLIS, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> awaitStatus(wanted, deadlineNanos));
        });
    }

    /** {@code wait_for_status} (null: none) and {@code timeout} (Elasticsearch's default 30s). */
    record HealthRequest(Status waitFor, Duration timeout) implements Endpoint.Request {
        static HealthRequest parse(RestRequest r) {
            String w = r.param("wait_for_status");
            Status waitFor = null;
            if (w != null) {
                try {
                    waitFor = Status.valueOf(w.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw EsErrors.illegalArgument(ServerEsMessages.unknownClusterHealthStatus(w));
                }
            }
            Duration timeout = Duration.ofSeconds(30);
            String t = r.param("timeout");
            if (t != null) {
                try {
                    timeout = TimeValues.parse("timeout", t);
                } catch (RuntimeException e) {
                    throw EsErrors.illegalArgument(e.getMessage());
                }
            }
            return new HealthRequest(waitFor, timeout);
        }
    }

    /** A probe's answer: a status word, nothing else. */
    record Probe(int status, String word) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.put("status", word);
            return o;
        }
    }

    /**
     * Elasticsearch's cluster health, field for field. The store is the one "index" svctoken keeps: one primary
     * shard, active while the store answers; the node counts are the registered nodes (live ones; a failed node makes
     * the status yellow). A wait that timed out answers 408, as Elasticsearch does.
     */
    record ClusterHealth(String clusterName, NodeHealth.Snapshot s, boolean timedOut) implements Endpoint.Reply {
        @Override
        public int status() {
            return timedOut ? 408 : 200;
        }

        @Override
        public JsonNode body() {
            boolean active = s.storeReachable();
            int nodes = Math.max(1, s.liveNodes()); // this node answers
            ObjectNode o = Json.object();
            o.put("cluster_name", clusterName);
            o.put("status", s.status().value());
            o.put("timed_out", timedOut);
            o.put("number_of_nodes", nodes);
            o.put("number_of_data_nodes", nodes);
            o.put("active_primary_shards", active ? 1 : 0);
            o.put("active_shards", active ? 1 : 0);
            o.put("relocating_shards", 0);
            o.put("initializing_shards", 0);
            o.put("unassigned_shards", active ? 0 : 1);
            o.put("unassigned_primary_shards", active ? 0 : 1);
            o.put("delayed_unassigned_shards", 0);
            o.put("number_of_pending_tasks", 0);
            o.put("number_of_in_flight_fetch", 0);
            o.put("task_max_waiting_in_queue_millis", 0);
            o.put("active_shards_percent_as_number", active ? 100.0 : 0.0);
            return o;
        }
    }
}
