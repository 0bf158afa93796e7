package io.svctoken.store.postgresql;

import io.svctoken.store.jdbc.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** PostgreSQL reports errors by SQLState. */
final class PostgresqlDialect implements Dialect {

    static final PostgresqlDialect INSTANCE = new PostgresqlDialect();

    /** unique_violation: a primary key or unique constraint refused the row. */
    static final String UNIQUE_VIOLATION = "23505";

    private PostgresqlDialect() {
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    /** The channel of {@code NOTIFY}/{@code LISTEN}; the payload is the event's seq. */
    static final String CHANNEL = "svctoken_invalidation";
    /** The advisory lock key of the invalidation log (any constant: it only has to be the same on every node). */
    static final long LOG_LOCK = 0x73766374_6f6b656eL; // "svctoken"

    @Override
    public void lockInvalidationLog(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOG_LOCK);
            ps.executeQuery().close();
        }
    }

    @Override
    public void notifyInvalidation(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, Long.toString(seq));
            ps.executeQuery().close();
        }
    }
}
