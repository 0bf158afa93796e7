package io.svctoken.store.sqlite;

import io.svctoken.core.store.Store;
import io.svctoken.store.jdbc.StoreContracts;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** The repository contracts (store-jdbc's tests) on SQLite: a fresh data directory for each test. */
class SqliteContractTest extends StoreContracts {

    @TempDir
    Path dir;

    @Override
    protected Store open() {
        return SqliteStore.open(dir);
    }

    @Override
    protected void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.DB_FILE_NAME));
             Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute(sql);
        }
    }
}
