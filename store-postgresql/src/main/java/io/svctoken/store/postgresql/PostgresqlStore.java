package io.svctoken.store.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.store.StoreException;
import io.svctoken.store.jdbc.JdbcStore;
import io.svctoken.store.jdbc.SchemaHistory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * The store on a PostgreSQL database, for several nodes on one database: a HikariCP pool of
 * {@code pgjdbc} connections behind the shared repositories of {@link JdbcStore}.
 *
 * <p>Duplicates are decided by the unique constraints (SQLState {@code 23505}). Error details are
 * kept out of exceptions ({@code logServerErrorDetail=false}): PostgreSQL's details quote the failing
 * row, which holds hashes.
 *
 * <p>Schema: Flyway migrations in {@code classpath:db/postgresql}, numbered in step with the SQLite
 * store's. Flyway runs only when the schema history does not already show {@link #SCHEMA_VERSION}.
 * Several nodes starting at once on an empty database migrate it once: Flyway holds a PostgreSQL
 * advisory lock while it migrates, and whoever waited finds the migrations applied.
 */
public final class PostgresqlStore extends JdbcStore {

    /** The newest migration version shipped in {@code db/postgresql}; raise it with each new {@code V<n>__} file. */
    public static final int SCHEMA_VERSION = 12;

    /** Where the migrations are. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/postgresql";

    /** The JDBC URLs this store takes. */
    public static final String URL_PREFIX = "jdbc:postgresql:";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresqlStore.class);
    /** HikariCP's smallest connection timeout. */
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(250);

    /**
     * How to reach the database.
     *
     * @param url            a {@code jdbc:postgresql:} URL
     * @param username       null: the driver's default (a {@code user} parameter of the URL, else the OS user)
     * @param password       null: none (trust, peer or a {@code .pgpass} file)
     * @param poolMaxSize    connections of this node at most
     * @param connectTimeout how long to wait for the database: to connect, and for a free pooled connection
     */
    public record Config(String url, String username, Secret password, int poolMaxSize, Duration connectTimeout) {

        public Config {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (!url.startsWith(URL_PREFIX)) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL (" + URL_PREFIX + "...): " + displayUrl(url));
            }
            if (poolMaxSize < 1) {
                throw new IllegalArgumentException("the pool needs at least one connection, not " + poolMaxSize);
            }
            if (connectTimeout.compareTo(MIN_TIMEOUT) < 0) {
                throw new IllegalArgumentException("the connect timeout must be at least " + MIN_TIMEOUT.toMillis() + "ms");
            }
        }

        /** Never the password, nor the URL's parameters (they could hold one). */
        @Override
        public String toString() {
            return "Config[" + displayUrl(url) + ", username=" + username + ", password=" + (password == null ? "none" : "<set>")
                    + ", pool.max_size=" + poolMaxSize + ", connect_timeout=" + connectTimeout.toMillis() + "ms]";
        }
    }

    private final String where;
    private final PostgresqlConnections connections;

    private PostgresqlStore(PostgresqlConnections connections, Config config) {
        super(connections, PostgresqlDialect.INSTANCE, new ListenSignal(config, connections.where()));
        this.connections = connections;
        this.where = connections.where();
    }

    /**
     * Connects and brings the schema up to date.
     *
     * @throws StoreException if the database cannot be reached or the schema cannot be migrated
     */
    public static PostgresqlStore open(Config config) {
        Objects.requireNonNull(config, "config");
        String where = "PostgreSQL database " + displayUrl(config.url());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari(config));
        } catch (RuntimeException e) {
            throw new StoreException("cannot open store: could not connect to " + where + ": " + e.getMessage(), e);
        }
        try {
            migrate(pool, where);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresqlStore(new PostgresqlConnections(pool, where), config);
    }

    private static HikariConfig hikari(Config config) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("svctoken-postgresql");
        h.setJdbcUrl(config.url());
        if (config.username() != null) {
            h.setUsername(config.username());
        }
        if (config.password() != null) {
            // the driver takes it as a String; HikariCP masks it when it logs its configuration
            h.setPassword(config.password().revealAsString(SecretAccess.plaintext()));
        }
        h.setMaximumPoolSize(config.poolMaxSize());
        long timeoutMs = config.connectTimeout().toMillis();
        h.setConnectionTimeout(timeoutMs);
        h.setValidationTimeout(Math.min(timeoutMs, 5_000));
        // Fail the start, with the driver's reason, when the database cannot be reached in time.
        h.setInitializationFailTimeout(timeoutMs);
        h.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, (timeoutMs + 999) / 1000))); // seconds
        h.addDataSourceProperty("logServerErrorDetail", "false");
        h.addDataSourceProperty("ApplicationName", "svctoken");
        return h;
    }

    /** The URL without its parameters, for messages: they may hold a password. */
    static String displayUrl(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public String toString() {
        return "PostgresqlStore[" + where + (connections.isClosed() ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- migrations

    private static void migrate(DataSource ds, String where) {
        if (checkedSchemaVersion(ds, where) == SCHEMA_VERSION) {
            LOG.debug("schema of {} is at version {}, no migration", where, SCHEMA_VERSION);
            return;
        }
        try {
            var result = Flyway.configure(PostgresqlStore.class.getClassLoader())
                    .dataSource(ds)
                    .locations(MIGRATIONS_LOCATION)
                    .table(SchemaHistory.TABLE)
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("migrated {} to schema version {} ({} migration(s))", where, result.targetSchemaVersion, result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new StoreException("cannot open store: schema migration of " + where + " failed: " + e.getMessage(), e);
        }
        int now = appliedSchemaVersion(ds, where);
        if (now != SCHEMA_VERSION) {
            throw new StoreException("cannot open store: after migration " + where + " is at schema version " + now + ", expected "
                    + SCHEMA_VERSION + " (PostgresqlStore.SCHEMA_VERSION out of step with db/postgresql?)");
        }
    }

    /** The applied schema version; refuses a database migrated by a newer svctoken. */
    private static int checkedSchemaVersion(DataSource ds, String where) {
        int applied = appliedSchemaVersion(ds, where);
        if (applied > SCHEMA_VERSION) {
            throw new StoreException("cannot open store: " + where + " has schema version " + applied
                    + ", newer than this svctoken supports (" + SCHEMA_VERSION + "); use a newer svctoken");
        }
        return applied;
    }

    /** -1 when there is no schema history in the connection's current schema yet; see {@link SchemaHistory#appliedVersion}. */
    static int appliedSchemaVersion(DataSource ds, String where) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM information_schema.tables"
                     + " WHERE table_schema = current_schema() AND table_name = ?")) {
            ps.setString(1, SchemaHistory.TABLE);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return -1;
                }
            }
            return SchemaHistory.appliedVersion(c);
        } catch (SQLException e) {
            throw new StoreException("cannot open store: could not read the schema history of " + where + ": "
                    + PostgresqlConnections.message(e), e);
        }
    }
}
