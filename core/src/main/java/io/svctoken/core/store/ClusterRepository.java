package io.svctoken.core.store;

import io.svctoken.core.cluster.InvalidationEvent;

import java.util.List;

/**
 * What nodes sharing one store know of each other: the registry of nodes (table {@code nodes}) and the
 * ordered invalidation log (table {@code invalidations}). Times are the writing node's clock in epoch
 * millis.
 */
public interface ClusterRepository {

    /**
     * A registered node.
     *
     * @param fileTokensJson         {@code {"namespace/service": ["name", ...], ...}}: the node's file tokens
     * @param lastAppliedInvalidation the {@code seq} of the last invalidation the node applied
     */
    record NodeRecord(String nodeId, String nodeName, String httpAddress, String version, String fileTokensJson, long startedMillis,
                      long heartbeatMillis, long lastAppliedInvalidation) {
    }

    /** Inserts or replaces the node's row. */
    void registerNode(NodeRecord node);

    /** @return false when the row is gone (removed as departed): the node registers again */
    boolean heartbeat(String nodeId, long nowMillis, long lastAppliedInvalidation, String fileTokensJson);

    /** Records how far the node applied the log. */
    void applied(String nodeId, long lastAppliedInvalidation);

    /** Every registered node, by id. */
    List<NodeRecord> nodes();

    void removeNode(String nodeId);

    /** Removes the nodes whose last heartbeat is before {@code beforeMillis}; @return their ids */
    List<String> removeNodesSilentSince(long beforeMillis);

    /**
     * Appends an event and wakes the other nodes (PostgreSQL: {@code NOTIFY}). Events are committed in the
     * order of their {@code seq}, so a reader that saw {@code seq} n never later finds one below n.
     *
     * @param keys null: the whole cache
     * @return the event's {@code seq}
     */
    long publish(String cache, List<String> keys, String origin, long nowMillis);

    /** Events after {@code seq}, in order, at most {@code limit}. */
    List<InvalidationEvent> invalidationsAfter(long seq, int limit);

    /** The newest event's {@code seq}, 0 for none. */
    long lastInvalidation();

    /** Removes events up to {@code seq} (every registered node applied them). @return how many */
    int trimInvalidations(long seq);

    /**
     * Waits until an event may have been published (PostgreSQL: a notification; every store: a publish
     * through this repository) or {@code timeoutMillis} passed. For one listening thread per node; it may
     * return early without an event, the caller reads the log either way.
     */
    void awaitPublish(long timeoutMillis) throws InterruptedException;
}
