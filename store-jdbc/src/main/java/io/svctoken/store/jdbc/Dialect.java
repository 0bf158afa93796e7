package io.svctoken.store.jdbc;

import java.sql.SQLException;

/**
 * What differs between the databases beyond the connections. The repositories' SQL is portable (the
 * schemas make it so: byte-order text columns, booleans written {@code TRUE}/{@code FALSE}), so this is
 * small: it grows when a statement cannot be written once.
 */
public interface Dialect {

    /** Whether a statement failed on a primary-key or unique constraint (PostgreSQL: SQLState {@code 23505}). */
    boolean isUniqueViolation(SQLException e);
}
