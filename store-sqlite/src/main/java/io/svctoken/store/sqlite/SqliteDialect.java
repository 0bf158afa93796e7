package io.svctoken.store.sqlite;

import io.svctoken.store.jdbc.Dialect;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/** SQLite reports constraint failures by extended result code, not by SQLState. */
final class SqliteDialect implements Dialect {

    static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
        }
        return false;
    }
}
