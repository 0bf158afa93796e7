package io.svctoken.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.store.Revocation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Appending to the invalidation log (table {@code invalidations}) inside a caller's transaction: the
 * revoking writes of every repository append their event in the transaction of their change (a
 * transactional outbox), so the two commit together or not at all.
 *
 * <p>The log's order is its commit order: the appender takes the log's lock (PostgreSQL: an advisory
 * lock; SQLite: its one writer) before its insert and holds it until the commit, so a reader that saw
 * {@code seq} n never later finds one below n. A change takes its row locks first and the log's lock
 * last, so the lock is held briefly and always in the same order.
 */
final class InvalidationLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbc jdbc;
    private final Dialect dialect;
    private final PublishSignal signal;

    InvalidationLog(Jdbc jdbc, Dialect dialect, PublishSignal signal) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.signal = Objects.requireNonNull(signal, "signal");
    }

    /**
     * Runs {@code change} and appends the revocation's event in one transaction, then wakes the listeners.
     * Without a revocation the change runs as {@link Jdbc#write} would.
     */
    <T> T revoking(String op, Revocation revocation, SqlWork<T> change) {
        if (revocation == null) {
            return jdbc.write(op, change);
        }
        long[] seq = new long[1];
        T result = jdbc.transaction(op, c -> {
            T r = change.run(c);
            seq[0] = append(c, revocation.cache(), revocation.keys(), revocation.origin(), revocation.createdMillis());
            return r;
        });
        committed(revocation, seq[0]);
        return result;
    }

    /**
     * Appends an event inside the caller's transaction on {@code c} and asks for the other nodes to be
     * woken when it commits (PostgreSQL: {@code NOTIFY}, delivered at the commit). The caller calls
     * {@link #committed} after its commit.
     *
     * @param keys null: the whole cache
     * @return the event's {@code seq}
     */
    long append(Connection c, String cache, List<String> keys, String origin, long createdMillis) throws SQLException {
        Objects.requireNonNull(cache, "cache");
        String keysJson = keys == null ? null : json(keys);
        dialect.lockInvalidationLog(c);
        Jdbc.update(c, "INSERT INTO invalidations (cache, keys, origin, created) VALUES (?, ?, ?, ?)",
                p -> p.text(cache).text(keysJson).text(origin).int64(createdMillis));
        // the lock (or SQLite's one writer) keeps others out until the commit: the newest row is ours
        long s = Jdbc.one(c, "SELECT max(seq) FROM invalidations", p -> {
        }, rs -> rs.getLong(1)).orElseThrow();
        dialect.notifyInvalidation(c, s);
        return s;
    }

    /** After the commit of an append: records the seq in the revocation (if any) and wakes this store's listener. */
    void committed(Revocation revocation, long seq) {
        if (revocation != null) {
            revocation.committed(seq);
        }
        signal.published();
    }

    private static String json(List<String> keys) {
        try {
            return JSON.writeValueAsString(keys);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
