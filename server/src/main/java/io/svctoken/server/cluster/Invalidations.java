package io.svctoken.server.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a write announces that caches must forget something: the node's {@link ClusterService} once it
 * runs (it starts after the HTTP port is bound, since it registers the address; the writers are built
 * before). Before that, and for components used alone, nothing is published.
 */
public final class Invalidations {

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
    public java.util.concurrent.Executor executor() {
        ClusterService s = service;
        return s == null ? Runnable::run : s.executor();
    }

    /**
     * Publishes an invalidation after the change was committed and this node's own caches cleared; completes
     * once every live node applied it, or after the ack timeout (see {@link ClusterService#invalidate}).
     *
     * @param keys null: the whole cache
     */
    public CompletableFuture<ClusterService.Ack> publish(String cache, List<String> keys) {
        ClusterService s = service;
        return s == null ? CompletableFuture.completedFuture(new ClusterService.Ack(0, List.of(), List.of())) : s.invalidate(cache, keys);
    }
}
