package io.svctoken.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the databases beyond the connections. The repositories' SQL is portable (the
 * schemas make it so: byte-order text columns, booleans written {@code TRUE}/{@code FALSE}), so this is
 * small: it grows when a statement cannot be written once.
 */
public interface Dialect {

    /** Whether a statement failed on a primary-key or unique constraint (PostgreSQL: SQLState {@code 23505}). */
    boolean isUniqueViolation(SQLException e);

    /**
     * Makes the calling transaction the only one appending to the invalidation log until it commits, so
     * that the log's order is its commit order (SQLite: nothing to do, it has one writer).
     */
    default void lockInvalidationLog(Connection c) throws SQLException {
    }

    /** Wakes the other nodes once the calling transaction commits (PostgreSQL: {@code NOTIFY}). */
    default void notifyInvalidation(Connection c, long seq) throws SQLException {
    }
}
