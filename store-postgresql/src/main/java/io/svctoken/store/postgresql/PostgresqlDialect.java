package io.svctoken.store.postgresql;

import io.svctoken.store.jdbc.Dialect;

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
}
