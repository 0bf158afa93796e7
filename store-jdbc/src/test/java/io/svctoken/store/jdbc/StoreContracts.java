package io.svctoken.store.jdbc;

import io.svctoken.core.store.Store;
import org.junit.jupiter.api.Nested;

/**
 * Every repository contract, as nested test classes an engine's runner inherits: the runner says only how to open
 * its store and how to run raw SQL on it, so SQLite and PostgreSQL run the same tests without listing them twice.
 */
public abstract class StoreContracts {

    /** A store on the engine under test; each call may open another handle on the same database. */
    protected abstract Store open();

    /** Runs one SQL statement on the database directly, outside the store (to break it on purpose). */
    protected abstract void execute(String sql) throws Exception;

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
    class ApplicationPrivileges extends ApplicationPrivilegeRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class RoleMappings extends RoleMappingRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class ServiceAccounts extends ServiceAccountRepositoryContract {
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
    class OAuth2Tokens extends OAuth2TokenRepositoryContract {
        @Override
        protected Store openStore() {
            return open();
        }
    }

    @Nested
    class ConsoleSessions extends ConsoleSessionStoreContract {
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
            StoreContracts.this.execute(sql);
        }
    }
}
