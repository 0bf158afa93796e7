package io.svctoken.store.postgresql;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One database of the {@link EmbeddedPostgresql} server for a test class (register it in a static
 * field with {@code @RegisterExtension}), created on first use and emptied before each test: every
 * table but the schema history is truncated, so each test starts on an empty, migrated database.
 */
public final class PostgresqlDatabase implements BeforeEachCallback {

    private String name;

    public synchronized String name() {
        if (name == null) {
            name = EmbeddedPostgresql.newDatabase();
        }
        return name;
    }

    public PostgresqlStore open() {
        return PostgresqlStore.open(EmbeddedPostgresql.config(name()));
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        try (Connection c = EmbeddedPostgresql.superuser(name()); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (!tables.isEmpty()) {
                st.execute("TRUNCATE " + String.join(", ", tables));
            }
        }
    }
}
