package io.svctoken.server.rest;

import io.svctoken.server.cluster.ClusterService;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.metrics.NodeMetrics;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import static io.svctoken.server.http.Router.Method.GET;

/**
 * {@code GET /_svctoken/metrics}: the node's metrics in Prometheus's text format, for callers holding {@code monitor}
 * (a scrape job authenticates with a service token or an API key, as any client).
 */
public final class MetricsEndpoints {

    static final String ACTION = "cluster:monitor/svctoken/metrics";

    private final NodeMetrics metrics;
    private final Supplier<ClusterService> cluster;
    private final Executor executor;

    /** @param executor where the scrape is written (it reads the node registry from the store) */
    public MetricsEndpoints(NodeMetrics metrics, Supplier<ClusterService> cluster, Executor executor) {
        this.metrics = metrics;
        this.cluster = cluster;
        this.executor = executor;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(Endpoint.on(GET, "/_svctoken/metrics").noRequest()
                .access(Access.action(ACTION))
                .execute((req, authn) -> CompletableFuture.supplyAsync(() -> {
                    metrics.refreshCluster(cluster.get(), System.currentTimeMillis());
                    return new Scrape(metrics.scrape().getBytes(StandardCharsets.UTF_8));
                }, executor)));
    }

    record Scrape(byte[] text) implements Endpoint.TextReply {
        @Override
        public String contentType() {
            return NodeMetrics.CONTENT_TYPE;
        }
    }
}
