package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.store.ClusterRepository.NodeRecord;
import io.svctoken.server.cluster.ClusterService;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.Json;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import static io.svctoken.server.http.Router.Method.GET;

/**
 * {@code GET /_svctoken/cluster/nodes}, svctoken's own, for {@code monitor}: the nodes sharing the store as this node's
 * cluster service sees them (live or failed, by their heartbeats) and how far each applied the invalidation log
 * ({@code invalidation_lag}: events behind the newest, as of its last heartbeat; this node's own as of now). The newest is
 * the log's newest event, or the furthest any node applied when the log was trimmed of the events every node applied.
 */
public final class ClusterNodesEndpoints {

    static final String ACTION = "cluster:monitor/svctoken/cluster/nodes";

    private final Supplier<ClusterService> cluster;
    private final String clusterName;
    private final Executor executor;
    private final Clock clock;

    /** @param executor where the registry is read from the store */
    public ClusterNodesEndpoints(Supplier<ClusterService> cluster, String clusterName, Executor executor, Clock clock) {
        this.cluster = cluster;
        this.clusterName = clusterName;
        this.executor = executor;
        this.clock = clock;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(Endpoint.on(GET, "/_svctoken/cluster/nodes").noRequest()
                .access(Access.action(ACTION))
                .execute((req, authn) -> CompletableFuture.supplyAsync(this::nodes, executor)));
    }

    private Nodes nodes() {
        ClusterService c = cluster.get();
        if (c == null) {
            return new Nodes(clusterName, List.of()); // only while the node starts: the service comes after the HTTP bind
        }
        ClusterService.View view = c.view();
        // the log's newest event, or the furthest a node applied: events every node applied leave the log (trimmed)
        long newest = Math.max(c.newestInvalidation(), c.applied());
        for (boolean live : new boolean[]{true, false}) {
            for (NodeRecord n : live ? view.live() : view.failed()) {
                newest = Math.max(newest, n.lastAppliedInvalidation());
            }
        }
        long now = clock.millis();
        List<Entry> out = new ArrayList<>();
        for (boolean live : new boolean[]{true, false}) {
            for (NodeRecord n : live ? view.live() : view.failed()) {
                long applied = n.nodeId().equals(c.self().nodeId()) ? Math.max(c.applied(), n.lastAppliedInvalidation())
                        : n.lastAppliedInvalidation();
                out.add(new Entry(n, live, Math.max(0, now - n.heartbeatMillis()), applied, newest - applied));
            }
        }
        out.sort(Comparator.comparing((Entry e) -> e.node().nodeName()).thenComparing(e -> e.node().nodeId()));
        return new Nodes(clusterName, out);
    }

    record Entry(NodeRecord node, boolean live, long ageMillis, long applied, long lag) {
    }

    record Nodes(String clusterName, List<Entry> nodes) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.put("cluster_name", clusterName);
            ArrayNode list = o.putArray("nodes");
            for (Entry e : nodes) {
                ObjectNode n = list.addObject();
                n.put("id", e.node().nodeId());
                n.put("name", e.node().nodeName());
                n.put("http_address", e.node().httpAddress());
                n.put("version", e.node().version());
                n.put("status", e.live() ? "live" : "failed");
                n.put("last_heartbeat", e.node().heartbeatMillis());
                n.put("last_heartbeat_age_in_millis", e.ageMillis());
                n.put("invalidation_seq", e.applied());
                n.put("invalidation_lag", e.lag());
            }
            return o;
        }
    }
}
