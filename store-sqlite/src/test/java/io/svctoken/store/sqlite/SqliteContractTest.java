package io.svctoken.store.sqlite;

import io.svctoken.core.store.Store;
import io.svctoken.store.jdbc.ApiKeyRepositoryContract;
import io.svctoken.store.jdbc.ClusterRepositoryContract;
import io.svctoken.store.jdbc.MetadataRepositoryContract;
import io.svctoken.store.jdbc.RevocationContract;
import io.svctoken.store.jdbc.RoleRepositoryContract;
import io.svctoken.store.jdbc.StoreLifecycleContract;
import io.svctoken.store.jdbc.TokenRepositoryContract;
import io.svctoken.store.jdbc.UserRepositoryContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** The repository contracts (store-jdbc's tests) on SQLite: a fresh data directory for each test. */
class SqliteContractTest {

    @TempDir
    Path dir;

    Store open() {
        return SqliteStore.open(dir);
    }

    @Nested
    class Tokens extends TokenRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class Users extends UserRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class Roles extends RoleRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class ApiKeys extends ApiKeyRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class Metadata extends MetadataRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class Lifecycle extends StoreLifecycleContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class Cluster extends ClusterRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class Revocations extends RevocationContract {
        @Override
        protected Store openStore() {
            return open();
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
}
