package io.svctoken.core.store;

import java.util.Optional;

/**
 * Persistence of the management console's sessions, by the hash of their ids, shared by every node of a cluster (a
 * session started on one node works on all; a sign-out on one ends it on all). Blocking, called from worker threads
 * only; failures are {@link StoreException}s.
 */
public interface ConsoleSessionStore {

    /** Inserts a new session; an existing id hash fails with {@link StoreException} (ids are random). */
    void insertSession(ConsoleSessionRecord session);

    Optional<ConsoleSessionRecord> findSession(String idHash);

    /** Sets {@code last_seen} (never backwards). @return false when no such session is stored */
    boolean touchSession(String idHash, long lastSeenMillis);

    /** @return false when no such session was stored */
    boolean deleteSession(String idHash);

    /**
     * Deletes the sessions that ended by {@code nowMillis}: past their absolute expiry, or not seen for longer than
     * {@code idleTimeoutMillis}.
     *
     * @return how many were deleted
     */
    int deleteExpiredSessions(long nowMillis, long idleTimeoutMillis);
}
