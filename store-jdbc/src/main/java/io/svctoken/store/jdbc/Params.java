package io.svctoken.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds a statement's parameters in order. Nulls are bound with their SQL type, which PostgreSQL
 * needs (SQLite ignores it).
 */
public final class Params {

    private final PreparedStatement ps;
    private int index;

    Params(PreparedStatement ps) {
        this.ps = ps;
    }

    public Params text(String value) throws SQLException {
        index++;
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
        return this;
    }

    public Params int64(Long value) throws SQLException {
        index++;
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
        return this;
    }

    public Params int32(int value) throws SQLException {
        ps.setInt(++index, value);
        return this;
    }

    /** SQLite stores it as the integer 1 or 0, PostgreSQL as a boolean. */
    public Params bool(boolean value) throws SQLException {
        ps.setBoolean(++index, value);
        return this;
    }
}
