package io.svctoken.store.postgresql;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is PostgreSQL's own: migrations (several nodes starting at once), connecting, and what the messages hold. */
class PostgresqlStoreTest {

    static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");

    /** Nodes starting at once on an empty database: every start succeeds and the schema is migrated exactly once. */
    @Test
    void concurrentFirstStartsOnAnEmptyDatabaseMigrateOnceAndAllComeUp() throws Exception {
        for (int round = 0; round < 3; round++) {
            String db = EmbeddedPostgresql.newDatabase();
            int nodes = 3;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            List<PostgresqlStore> stores = new ArrayList<>();
            try {
                List<Future<PostgresqlStore>> futures = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return PostgresqlStore.open(EmbeddedPostgresql.config(db));
                    }));
                }
                go.countDown();
                for (Future<PostgresqlStore> f : futures) {
                    stores.add(f.get(60, TimeUnit.SECONDS));
                }
                stores.get(0).tokens().insert(new TokenRecord(new TokenId(FLEET, "t"), "{PBKDF2_STRETCH}h", 1, 1, null));
                for (PostgresqlStore s : stores) {
                    assertThat(s.tokens().tokenNames(FLEET)).containsExactly("t");
                }
            } finally {
                stores.forEach(PostgresqlStore::close);
                pool.shutdownNow();
            }
            assertThat(history(db)).as("round " + round).containsExactlyElementsOf(expectedHistory());
        }
    }

    @Test
    void schemaIsCreatedOnceWithTheSqliteStoresTablesAndColumns() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        PostgresqlStore.open(EmbeddedPostgresql.config(db)).close();
        List<String> first = history(db);
        assertThat(first).hasSize(migrationFiles());
        for (int i = 0; i < 2; i++) {
            try (PostgresqlStore s = PostgresqlStore.open(EmbeddedPostgresql.config(db))) {
                s.metadata().putMetadataIfAbsent("k" + i, "v");
            }
        }
        assertThat(history(db)).isEqualTo(first);
        assertThat(column(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"))
                .containsExactly("api_keys", "application_privileges", "console_sessions", "flyway_schema_history", "invalidations", "metadata", "nodes", "oauth2_tokens", "role_mappings", "roles", "service_account_tokens", "service_accounts", "users");
        assertThat(column(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'service_account_tokens'"
                + " ORDER BY ordinal_position"))
                .containsExactly("principal", "name", "password_hash", "creation_time", "version", "creator", "expires_at", "last_used_at",
                        "metadata", "enabled", "last_used_node", "successor");
        // the tables belong to svctoken's role, not to a superuser
        assertThat(column(db, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                .containsExactly(EmbeddedPostgresql.ROLE);
    }

    /** Every migration once, successful, in version order ({@code <rank> <script> true}). */
    static List<String> expectedHistory() throws Exception {
        try (var files = Files.list(Path.of(PostgresqlStore.class.getResource("/db/postgresql").toURI()))) {
            List<String> scripts = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .sorted(java.util.Comparator.comparingInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))).toList();
            List<String> out = new ArrayList<>();
            for (int i = 0; i < scripts.size(); i++) {
                out.add((i + 1) + " " + scripts.get(i) + " true");
            }
            return out;
        }
    }

    /** How many migrations the history lists once all ran: the numbers have gaps (each branch of work takes its own). */
    static int migrationFiles() throws Exception {
        try (var files = Files.list(Path.of(PostgresqlStore.class.getResource("/db/postgresql").toURI()))) {
            return (int) files.filter(p -> p.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        }
    }

    @Test
    void schemaVersionConstantMatchesTheNewestMigrationFile() throws Exception {
        Path migrations = Path.of(PostgresqlStore.class.getResource("/db/postgresql").toURI());
        int newest;
        try (var files = Files.list(migrations)) {
            newest = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max().orElseThrow();
        }
        assertThat(PostgresqlStore.SCHEMA_VERSION).isEqualTo(newest);
    }

    @Test
    void databaseFromANewerSvctokenIsRefused() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        PostgresqlStore.open(EmbeddedPostgresql.config(db)).close();
        try (Connection c = EmbeddedPostgresql.superuser(db); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL',"
                    + " 'V99__future.sql', 0, 'test', 0, TRUE)");
        }
        assertThatThrownBy(() -> PostgresqlStore.open(EmbeddedPostgresql.config(db)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining(EmbeddedPostgresql.url(db));
    }

    @Test
    void aWrongPasswordIsAClearStoreExceptionThatNeverShowsAPassword() {
        String db = EmbeddedPostgresql.newDatabase();
        PostgresqlStore.Config wrong = new PostgresqlStore.Config(EmbeddedPostgresql.url(db), EmbeddedPostgresql.ROLE,
                Secret.of("wrong-password-7e2b"), 2, Duration.ofSeconds(1));
        assertThatThrownBy(() -> PostgresqlStore.open(wrong))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open store: could not connect to PostgreSQL database " + EmbeddedPostgresql.url(db))
                .hasMessageContaining("password authentication failed for user \"" + EmbeddedPostgresql.ROLE + "\"")
                .hasMessageNotContaining("wrong-password-7e2b")
                .hasMessageNotContaining(EmbeddedPostgresql.PASSWORD);
        assertThat(wrong.toString()).doesNotContain("wrong-password-7e2b");
    }

    @Test
    void anUnreachableDatabaseFailsWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nothing listens there once closed
        }
        PostgresqlStore.Config config = new PostgresqlStore.Config("jdbc:postgresql://127.0.0.1:" + port + "/svctoken?sslmode=disable",
                "svctoken", null, 2, Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> PostgresqlStore.open(config))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open store: could not connect to PostgreSQL database jdbc:postgresql://127.0.0.1:" + port
                        + "/svctoken: ")
                .hasMessageNotContaining("sslmode");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void configNeverShowsThePasswordNorTheUrlParameters() {
        PostgresqlStore.Config c = new PostgresqlStore.Config("jdbc:postgresql://db:5432/svctoken?ssl=true&sslpassword=kp-9q",
                "svctoken", Secret.of("pw-8x7"), 10, Duration.ofSeconds(10));
        assertThat(c.toString()).doesNotContain("pw-8x7").doesNotContain("kp-9q").contains("jdbc:postgresql://db:5432/svctoken")
                .contains("password=<set>");
        assertThatThrownBy(() -> new PostgresqlStore.Config("jdbc:mysql://db/x", null, null, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
    }

    /** "installed_rank script success", in order. */
    static List<String> history(String db) throws Exception {
        return column(db, "SELECT installed_rank || ' ' || script || ' ' || success FROM flyway_schema_history ORDER BY installed_rank");
    }

    static List<String> column(String db, String sql) throws Exception {
        try (Connection c = EmbeddedPostgresql.superuser(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** LISTEN/NOTIFY: a publish through another store (another node) wakes this store's listener long before its poll. */
    @Test
    void aPublishThroughAnotherStoreWakesThisStoresListener() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (PostgresqlStore listener = PostgresqlStore.open(EmbeddedPostgresql.config(db));
             PostgresqlStore writer = PostgresqlStore.open(EmbeddedPostgresql.config(db))) {
            listener.cluster().awaitPublish(50); // connects and LISTENs
            Thread publisher = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                writer.cluster().publish("roles", null, "other-node", 1);
            });
            long t0 = System.nanoTime();
            publisher.start();
            listener.cluster().awaitPublish(30_000);
            publisher.join();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 10_000L);
        }
    }

    /** A database of schema version 5 (before the token lifecycle): its tokens keep their data, are enabled, never expire. */
    @Test
    void aVersion5DatabaseIsMigratedAndItsTokensKeepWhatTheyHad() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(EmbeddedPostgresql.url(db));
        ds.setUser(EmbeddedPostgresql.ROLE);
        ds.setPassword(EmbeddedPostgresql.PASSWORD);
        org.flywaydb.core.Flyway.configure(PostgresqlStore.class.getClassLoader()).dataSource(ds)
                .locations(PostgresqlStore.MIGRATIONS_LOCATION).table(io.svctoken.store.jdbc.SchemaHistory.TABLE).target("5").load().migrate();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO service_account_tokens (principal, name, password_hash, creation_time, version, creator)"
                    + " VALUES ('elastic/fleet-server', 'before', '{PBKDF2_STRETCH}h', 1700000000000, 8190099, NULL)");
        }
        try (PostgresqlStore s = PostgresqlStore.open(EmbeddedPostgresql.config(db))) {
            TokenRecord r = s.tokens().find(new TokenId(FLEET, "before")).orElseThrow();
            assertThat(r).isEqualTo(new TokenRecord(new TokenId(FLEET, "before"), "{PBKDF2_STRETCH}h", 1_700_000_000_000L, 8190099, null));
            assertThat(r.enabled()).isTrue();
            assertThat(r.expiresAtMillis()).isNull();
        }
        assertThat(history(db)).hasSize(migrationFiles());
    }
}
