package io.svctoken.core.store;

import java.util.List;
import java.util.Objects;

/**
 * The invalidation event a revoking write appends to the log in the write's own transaction (a
 * transactional outbox): the change and its event commit together or not at all. A writer that dies, or
 * a database that fails, between a change and its event would otherwise leave the other nodes' caches
 * holding the revoked credential until their ttl.
 *
 * <p>Given to a repository's revoking method; once that method returned, {@link #seq()} is the event's
 * place in the log, which the writer waits for the nodes to apply.
 */
public final class Revocation {

    private final String cache;
    private final List<String> keys;
    private final String origin;
    private final long createdMillis;
    private volatile long seq;

    /**
     * @param cache  the subscriber's name ({@link io.svctoken.core.cluster.InvalidationBus})
     * @param keys   the entries to forget; null: the whole cache
     * @param origin the writing node's id
     */
    public Revocation(String cache, List<String> keys, String origin, long createdMillis) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.keys = keys == null ? null : List.copyOf(keys);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.createdMillis = createdMillis;
    }

    public String cache() {
        return cache;
    }

    public List<String> keys() {
        return keys;
    }

    public String origin() {
        return origin;
    }

    public long createdMillis() {
        return createdMillis;
    }

    /** The committed event's {@code seq}; 0 while none was committed (the write failed, or had nothing to revoke). */
    public long seq() {
        return seq;
    }

    /** Called by the store once the change and its event committed. */
    public void committed(long seq) {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq " + seq);
        }
        this.seq = seq;
    }

    @Override
    public String toString() {
        return "Revocation[" + cache + ", seq " + seq + "]";
    }
}
