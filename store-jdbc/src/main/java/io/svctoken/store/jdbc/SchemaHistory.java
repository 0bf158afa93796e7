package io.svctoken.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads Flyway's schema history, so that a store runs Flyway only when its schema is behind (cheap
 * start) and refuses a database migrated by a newer svctoken. The stores' migrations are numbered
 * {@code V1, V2, ...} in step across the databases.
 */
public final class SchemaHistory {

    /** Flyway's schema history table (its default name). */
    public static final String TABLE = "flyway_schema_history";

    /** {@link #appliedVersion} when the history records a failed migration (Flyway must report it). */
    public static final int FAILED = Integer.MIN_VALUE;

    private SchemaHistory() {
    }

    /**
     * The highest successfully applied migration version, or {@link #FAILED}. The caller has made sure
     * that the table exists (how to ask differs between the databases).
     */
    public static int appliedVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE + " WHERE success = FALSE")) {
                if (rs.next() && rs.getInt(1) > 0) {
                    return FAILED;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT version FROM " + TABLE + " WHERE success = TRUE AND version IS NOT NULL")) {
                int max = -1;
                while (rs.next()) {
                    max = Math.max(max, majorVersion(rs.getString(1)));
                }
                return max;
            }
        }
    }

    /** Major part of a Flyway version ("1", "2.1" -> 2); the migrations use whole numbers. */
    public static int majorVersion(String v) {
        String major = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
        try {
            return Integer.parseInt(major.trim());
        } catch (NumberFormatException e) {
            return FAILED;
        }
    }
}
