package io.svctoken.core.cluster;

import io.svctoken.core.store.Revocation;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a revoking write of the domain (a user, role or API key changed) announces that every node's caches
 * must forget something. A node implements it over its cluster service; a component used alone publishes nothing.
 */
public interface Revocations {

    /** False while cached answers must not be used (a node that may have missed invalidations). */
    boolean cachesUsable();

    /**
     * The event a revoking write appends in its own transaction, or null (no event).
     *
     * @param keys null: the whole cache
     */
    Revocation revocation(String cache, List<String> keys);

    /** Completes once every live node applied the event of {@code revocation}; at once when there was none. */
    CompletableFuture<?> acknowledged(Revocation revocation);

    /** Nothing is ever published: for components used without a cluster. */
    static Revocations none() {
        return new Revocations() {
            @Override
            public boolean cachesUsable() {
                return true;
            }

            @Override
            public Revocation revocation(String cache, List<String> keys) {
                return null;
            }

            @Override
            public CompletableFuture<?> acknowledged(Revocation revocation) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
