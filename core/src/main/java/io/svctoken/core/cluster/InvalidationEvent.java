package io.svctoken.core.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the ordered invalidation log that nodes sharing a store apply to their caches.
 *
 * @param seq    the log's order; every node applies events by rising {@code seq}
 * @param cache  the subscriber's name ({@link InvalidationBus}); a name ending in {@code *} reaches every
 *               subscriber whose name starts with what precedes it
 * @param keys   the entries to forget; null: the whole cache
 * @param origin the node id that wrote it (for logs)
 */
public record InvalidationEvent(long seq, String cache, List<String> keys, String origin) {

    public InvalidationEvent {
        Objects.requireNonNull(cache, "cache");
        keys = keys == null ? null : List.copyOf(keys);
    }
}
