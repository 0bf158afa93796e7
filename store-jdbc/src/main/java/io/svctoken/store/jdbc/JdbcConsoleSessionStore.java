package io.svctoken.store.jdbc;

import io.svctoken.core.store.ConsoleSessionRecord;
import io.svctoken.core.store.ConsoleSessionStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/** The console's sessions, table {@code console_sessions}: one row per session, by the hash of its id. */
public final class JdbcConsoleSessionStore implements ConsoleSessionStore {

    private static final String COLUMNS = "id_hash, kind, username, realm, api_key_id, csrf_token, created, last_seen, expires";

    private final Jdbc jdbc;

    JdbcConsoleSessionStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    @Override
    public void insertSession(ConsoleSessionRecord s) {
        Objects.requireNonNull(s, "session");
        jdbc.update("insert console session", "INSERT INTO console_sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p -> p.text(s.idHash()).text(s.kind()).text(s.username()).text(s.realm()).text(s.apiKeyId()).text(s.csrfToken())
                        .int64(s.createdMillis()).int64(s.lastSeenMillis()).int64(s.expiresMillis()));
    }

    @Override
    public Optional<ConsoleSessionRecord> findSession(String idHash) {
        Objects.requireNonNull(idHash, "idHash");
        return jdbc.one("find console session", "SELECT " + COLUMNS + " FROM console_sessions WHERE id_hash = ?", p -> p.text(idHash),
                JdbcConsoleSessionStore::session);
    }

    /** Two nodes touching one session at once: the later time stays. */
    @Override
    public boolean touchSession(String idHash, long lastSeenMillis) {
        Objects.requireNonNull(idHash, "idHash");
        if (jdbc.update("touch console session", "UPDATE console_sessions SET last_seen = ? WHERE id_hash = ? AND last_seen < ?",
                p -> p.int64(lastSeenMillis).text(idHash).int64(lastSeenMillis)) > 0) {
            return true;
        }
        return findSession(idHash).isPresent();
    }

    @Override
    public boolean deleteSession(String idHash) {
        Objects.requireNonNull(idHash, "idHash");
        return jdbc.update("delete console session", "DELETE FROM console_sessions WHERE id_hash = ?", p -> p.text(idHash)) > 0;
    }

    @Override
    public int deleteExpiredSessions(long nowMillis, long idleTimeoutMillis) {
        return jdbc.update("delete expired console sessions", "DELETE FROM console_sessions WHERE expires <= ? OR last_seen < ?",
                p -> p.int64(nowMillis).int64(nowMillis - idleTimeoutMillis));
    }

    private static ConsoleSessionRecord session(ResultSet rs) throws SQLException {
        return new ConsoleSessionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9));
    }
}
