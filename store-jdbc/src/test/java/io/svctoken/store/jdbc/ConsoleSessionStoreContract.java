package io.svctoken.store.jdbc;

import io.svctoken.core.store.ConsoleSessionRecord;
import io.svctoken.core.store.ConsoleSessionStore;
import io.svctoken.core.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link ConsoleSessionStore}, for every store. */
public abstract class ConsoleSessionStoreContract extends StoreContract {

    private static final long NOW = 1_800_000_000_000L;
    private static final long HOUR = 3600_000L;

    private static ConsoleSessionRecord user(String hash, long created) {
        return new ConsoleSessionRecord(hash, ConsoleSessionRecord.REALM, "bob", "default_native", null, "csrf-" + hash, created, created,
                created + 12 * HOUR);
    }

    private static ConsoleSessionRecord key(String hash, long created) {
        return new ConsoleSessionRecord(hash, ConsoleSessionRecord.API_KEY, "alice", "reserved", "key-1", "csrf-" + hash, created,
                created, created + HOUR);
    }

    @Test
    void aSessionIsFoundByItsHashOnAnotherStoreAndSurvivesReopen() {
        store.consoleSessions().insertSession(user("h1", NOW));
        store.consoleSessions().insertSession(key("h2", NOW));
        store.close();

        ConsoleSessionStore again = another().consoleSessions();
        assertThat(again.findSession("h1")).contains(user("h1", NOW));
        assertThat(again.findSession("h2")).contains(key("h2", NOW));
        assertThat(again.findSession("csrf-h1")).isEmpty();
        assertThat(again.findSession("H1")).as("hashes compare byte for byte").isEmpty();
        assertThat(user("h1", NOW).toString()).doesNotContain("h1");
    }

    @Test
    void anIdHashIsUnique() {
        store.consoleSessions().insertSession(user("h1", NOW));
        assertThatThrownBy(() -> store.consoleSessions().insertSession(key("h1", NOW))).isInstanceOf(StoreException.class);
        assertThat(store.consoleSessions().findSession("h1")).contains(user("h1", NOW));
    }

    @Test
    void touchMovesLastSeenForwardOnly() {
        ConsoleSessionStore sessions = store.consoleSessions();
        sessions.insertSession(user("h1", NOW));
        assertThat(sessions.touchSession("h1", NOW + 60_000)).isTrue();
        assertThat(another().consoleSessions().touchSession("h1", NOW + 30_000)).as("an older time from another node").isTrue();
        assertThat(sessions.findSession("h1").orElseThrow().lastSeenMillis()).isEqualTo(NOW + 60_000);
        assertThat(sessions.findSession("h1").orElseThrow()).isEqualTo(user("h1", NOW).seenAt(NOW + 60_000));
        assertThat(sessions.touchSession("unknown", NOW)).isFalse();
    }

    @Test
    void deleteEndsTheSessionForEveryStore() {
        store.consoleSessions().insertSession(user("h1", NOW));
        store.consoleSessions().insertSession(user("h2", NOW));
        ConsoleSessionStore other = another().consoleSessions();
        assertThat(other.deleteSession("h1")).isTrue();
        assertThat(other.deleteSession("h1")).isFalse();
        assertThat(store.consoleSessions().findSession("h1")).isEmpty();
        assertThat(store.consoleSessions().findSession("h2")).isPresent();
    }

    @Test
    void expiredSessionsAreDeletedByLifetimeOrIdleness() {
        ConsoleSessionStore sessions = store.consoleSessions();
        long idle = 30 * 60_000L;
        sessions.insertSession(user("fresh", NOW));
        sessions.insertSession(key("pastLifetime", NOW - HOUR)); // expired at NOW
        sessions.insertSession(user("idle", NOW - 2 * HOUR)); // last seen two hours ago
        sessions.insertSession(user("seen", NOW - 2 * HOUR).seenAt(NOW - idle + 1_000));
        assertThat(sessions.deleteExpiredSessions(NOW, idle)).isEqualTo(2);
        assertThat(sessions.findSession("fresh")).isPresent();
        assertThat(sessions.findSession("seen")).isPresent();
        assertThat(sessions.findSession("pastLifetime")).isEmpty();
        assertThat(sessions.findSession("idle")).isEmpty();
        assertThat(sessions.deleteExpiredSessions(NOW, idle)).isZero();
    }

    @Test
    void aRecordNamesItsKeyExactlyWhenItIsAnApiKeySession() {
        assertThatThrownBy(() -> new ConsoleSessionRecord("h", ConsoleSessionRecord.API_KEY, "a", "r", null, "c", 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsoleSessionRecord("h", ConsoleSessionRecord.REALM, "a", "r", "k", "c", 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsoleSessionRecord("h", "other", "a", "r", null, "c", 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
