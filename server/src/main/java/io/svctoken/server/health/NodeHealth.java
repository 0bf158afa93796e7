package io.svctoken.server.health;

import io.svctoken.core.store.ClusterRepository;
import io.svctoken.core.store.MetadataRepository;
import io.svctoken.server.cluster.ClusterService;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What this node knows of its own health: whether the store answers, whether the node has joined (registered and
 * heartbeating), and how many registered nodes are live or failed. Read from the store at most once per
 * {@code maxAgeNanos} whoever asks (the probes are unauthenticated: a flood of them costs one store read per period),
 * never on the caller's thread.
 */
public final class NodeHealth {

    /** Elasticsearch's health colours, as svctoken derives them. */
    public enum Status {
        GREEN, YELLOW, RED;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** At least as good as {@code wanted} (green is better than yellow, yellow than red). */
        public boolean atLeast(Status wanted) {
            return ordinal() <= wanted.ordinal();
        }
    }

    /**
     * One reading.
     *
     * @param storeReachable the store answered
     * @param joined         this node is registered among the live nodes
     * @param liveNodes      registered nodes heartbeating in time (this one included)
     * @param failedNodes    registered nodes silent for longer than {@code node_timeout}
     */
    public record Snapshot(boolean storeReachable, boolean joined, int liveNodes, int failedNodes) {

        /** Red: the store does not answer; yellow: some node is failed; else green. */
        public Status status() {
            return !storeReachable ? Status.RED : failedNodes > 0 ? Status.YELLOW : Status.GREEN;
        }

        /** Ready to serve: the store answers and this node has joined. */
        public boolean ready() {
            return storeReachable && joined;
        }
    }

    private final Supplier<ClusterService> cluster;
    private final MetadataRepository metadata;
    private final Executor executor;
    private final LongSupplier nanoTime;
    private final long maxAgeNanos;
    private CompletableFuture<Snapshot> last;
    private long lastAt;

    /**
     * @param cluster  this node's membership, null until it joined
     * @param metadata read to tell whether the store answers before the node joined
     * @param executor where the store is read
     */
    public NodeHealth(Supplier<ClusterService> cluster, MetadataRepository metadata, Executor executor, LongSupplier nanoTime,
                      long maxAgeNanos) {
        this.cluster = cluster;
        this.metadata = metadata;
        this.executor = executor;
        this.nanoTime = nanoTime;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** The last reading if younger than the maximum age (or still being taken), else a new one. */
    public synchronized CompletableFuture<Snapshot> snapshot() {
        long now = nanoTime.getAsLong();
        if (last != null && (!last.isDone() || now - lastAt < maxAgeNanos)) {
            return last;
        }
        lastAt = now;
        last = CompletableFuture.supplyAsync(this::read, executor);
        return last;
    }

    private Snapshot read() {
        ClusterService c = cluster.get();
        try {
            if (c == null) {
                metadata.getMetadata("cluster.uuid");
                return new Snapshot(true, false, 0, 0);
            }
            ClusterService.View view = c.view();
            String self = c.self().nodeId();
            List<ClusterRepository.NodeRecord> live = view.live();
            boolean joined = live.stream().anyMatch(n -> n.nodeId().equals(self));
            return new Snapshot(true, joined, live.size(), view.failed().size());
        } catch (RuntimeException e) {
            return new Snapshot(false, false, 0, 0);
        }
    }
}
