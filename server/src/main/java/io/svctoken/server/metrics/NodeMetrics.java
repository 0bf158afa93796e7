package io.svctoken.server.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.svctoken.core.store.ClusterRepository;
import io.svctoken.server.cluster.ClusterService;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's metrics in one Prometheus registry: authentications (see {@link AuthenticationMetrics}), the worker
 * pool (queue depth, active threads, rejections), each cache's hits, misses and size, store calls
 * ({@link StoreMetrics}), and what this node knows of the cluster (live and failed nodes, how far behind each node is
 * in applying invalidations), read from the store when scraped.
 */
public final class NodeMetrics {

    /** The Prometheus text format the scrape is written in. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String WORKER = "svctoken_worker";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter rejected = Counter.builder("svctoken.worker.rejected")
            .description("Tasks the worker pool refused because its queue was full (answered 429)").register(registry);
    private final AtomicInteger liveNodes = new AtomicInteger();
    private final AtomicInteger failedNodes = new AtomicInteger();
    private final MultiGauge lag = MultiGauge.builder("svctoken.cluster.invalidation.lag")
            .description("Invalidations this node applied that the node has not yet applied (as of its last heartbeat)")
            .baseUnit("events").register(registry);
    private final MultiGauge heartbeatAge = MultiGauge.builder("svctoken.cluster.heartbeat.age")
            .description("Time since the node's last heartbeat").baseUnit("seconds").register(registry);

    public NodeMetrics() {
        Gauge.builder("svctoken.cluster.nodes", liveNodes, AtomicInteger::get).tag("state", "live")
                .description("Registered nodes, live or failed (silent for longer than node_timeout)").register(registry);
        Gauge.builder("svctoken.cluster.nodes", failedNodes, AtomicInteger::get).tag("state", "failed")
                .description("Registered nodes, live or failed (silent for longer than node_timeout)").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The worker pool's refusal: counted, then refused as {@link ThreadPoolExecutor.AbortPolicy} does. */
    public RejectedExecutionHandler rejections() {
        return (task, executor) -> {
            rejected.increment();
            throw new RejectedExecutionException("the worker pool's queue is full");
        };
    }

    /** Queue depth, active and pool threads, completed tasks of the worker pool (hashing and store calls). */
    public void worker(ThreadPoolExecutor worker) {
        new ExecutorServiceMetrics(worker, WORKER, Tags.empty()).bindTo(registry);
    }

    /** Hits, misses, evictions and size of a cache ({@code null}: a disabled cache, nothing to measure). */
    public void cache(String name, Cache<?, ?> cache) {
        if (cache != null) {
            CaffeineCacheMetrics.monitor(registry, cache, name);
        }
    }

    /** Reads the registered nodes from the store (blocking: not on an event loop); nothing before the node joined. */
    public void refreshCluster(ClusterService cluster, long nowMillis) {
        if (cluster == null) {
            return;
        }
        ClusterService.View view;
        try {
            view = cluster.view();
        } catch (RuntimeException e) {
            return; // the store does not answer: the last values stay, the health endpoints say why
        }
        liveNodes.set(view.live().size());
        failedNodes.set(view.failed().size());
        long applied = cluster.applied();
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        List<ClusterRepository.NodeRecord> all = new ArrayList<>(view.live());
        all.addAll(view.failed());
        for (ClusterRepository.NodeRecord n : all) {
            lags.add(MultiGauge.Row.of(Tags.of("node", n.nodeName()), Math.max(0, applied - n.lastAppliedInvalidation())));
            ages.add(MultiGauge.Row.of(Tags.of("node", n.nodeName()), Math.max(0, nowMillis - n.heartbeatMillis()) / 1000.0));
        }
        lag.register(lags, true);
        heartbeatAge.register(ages, true);
    }

    /** Every metric in Prometheus's text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }
}
