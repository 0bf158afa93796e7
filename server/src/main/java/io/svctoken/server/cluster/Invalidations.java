package io.svctoken.server.cluster;

import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.store.Revocation;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Where a write announces that caches must forget something: the node's {@link ClusterService} once it
 * runs (it starts after the HTTP port is bound, since it registers the address; the writers are built
 * before). Before that, and for components used alone, nothing is published.
 */
public final class Invalidations implements Revocations {

    private volatile ClusterService service;

    /** Nothing is ever published: for components used without a node. */
    public static Invalidations none() {
        return new Invalidations();
    }

    public void attach(ClusterService s) {
        this.service = s;
    }

    /** The running service, or null before the start finished. */
    public ClusterService service() {
        return service;
    }

    /** See {@link ClusterService#cachesUsable()}; true without a service. */
    public boolean cachesUsable() {
        ClusterService s = service;
        return s == null || s.cachesUsable();
    }

    /** Where blocking reads of the node registry run: the service's store threads (the caller's thread without one). */
    public Executor executor() {
        ClusterService s = service;
        return s == null ? Runnable::run : s.executor();
    }

    /**
     * The event a revoking write appends in its own transaction; null (no event) before the service runs
     * and for components used alone.
     *
     * @param keys null: the whole cache
     */
    public Revocation revocation(String cache, List<String> keys) {
        ClusterService s = service;
        return s == null ? null : s.revocation(cache, keys);
    }

    /**
     * Completes once every live node applied the event of {@code revocation}, committed with its change
     * (see {@link ClusterService#acknowledged}); at once when there was no event.
     */
    public CompletableFuture<ClusterService.Ack> acknowledged(Revocation revocation) {
        ClusterService s = service;
        return s == null || revocation == null || revocation.seq() == 0 ? CompletableFuture.completedFuture(NONE)
                : s.acknowledged(revocation.seq());
    }

    private static final ClusterService.Ack NONE = new ClusterService.Ack(0, List.of(), List.of());

    /**
     * Publishes an invalidation that follows no change (clearing caches), after this node's own caches were cleared and this node's own caches cleared; completes
     * once every live node applied it, or after the ack timeout (see {@link ClusterService#invalidate}).
     *
     * @param keys null: the whole cache
     */
    public CompletableFuture<ClusterService.Ack> publish(String cache, List<String> keys) {
        ClusterService s = service;
        return s == null ? CompletableFuture.completedFuture(NONE) : s.invalidate(cache, keys);
    }
}
