package io.svctoken.store.postgresql;

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
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;

/** The repository contracts (store-jdbc's tests) on a real PostgreSQL: one database, emptied before each test. */
class PostgresqlContractTest {

    @RegisterExtension
    static final PostgresqlDatabase DATABASE = new PostgresqlDatabase();

    static Store open() {
        return DATABASE.open();
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
            try (Connection c = EmbeddedPostgresql.superuser(DATABASE.name()); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }
    }
}
