package io.svctoken.store.postgresql;

import io.svctoken.core.store.Store;
import io.svctoken.store.jdbc.StoreContracts;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;

/** The repository contracts (store-jdbc's tests) on a real PostgreSQL: one database, emptied before each test. */
class PostgresqlContractTest extends StoreContracts {

    @RegisterExtension
    static final PostgresqlDatabase DATABASE = new PostgresqlDatabase();

    @Override
    protected Store open() {
        return DATABASE.open();
    }

    @Override
    protected void execute(String sql) throws Exception {
        try (Connection c = EmbeddedPostgresql.superuser(DATABASE.name()); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
