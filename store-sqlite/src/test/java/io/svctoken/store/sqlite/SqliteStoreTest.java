package io.svctoken.store.sqlite;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStoreTest {

    static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");
    static final ServiceAccountId KIBANA = new ServiceAccountId("elastic", "kibana");
    static final String HASH = "{PBKDF2_STRETCH}10000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==";
    static final String CREATOR = "{\"principal\":\"elastic\",\"full_name\":null,\"email\":null,"
            + "\"metadata\":{},\"realm\":\"reserved\",\"realm_type\":\"reserved\"}";

    @TempDir
    Path dir;

    static TokenRecord token(ServiceAccountId account, String name) {
        return new TokenRecord(new TokenId(account, name), HASH + name, 1_700_000_000_000L + name.length(), 9_05_00_99,
                CREATOR);
    }

    @Test
    void insertFindListDeleteRoundTrip() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            List<String> names = List.of("token-b", "Token-Z", "token_a", "0token", "-dash", "token-a", "tokenA", "a", "A");
            for (String name : names) {
                store.insert(token(FLEET, name));
            }
            store.insert(token(KIBANA, "other"));

            TokenRecord expected = token(FLEET, "token-b");
            assertThat(store.find(expected.id())).contains(expected);
            assertThat(store.find(expected.id()).orElseThrow().passwordHash()).isEqualTo(HASH + "token-b");
            assertThat(store.find(TokenId.of("elastic/fleet-server", "missing"))).isEmpty();
            assertThat(store.find(new TokenId(KIBANA, "token-b"))).isEmpty();

            List<String> javaSorted = new ArrayList<>(names);
            javaSorted.sort(String::compareTo);
            assertThat(store.tokenNames(FLEET)).containsExactlyElementsOf(javaSorted);
            assertThat(store.tokenNames(KIBANA)).containsExactly("other");
            assertThat(store.tokenNames(new ServiceAccountId("elastic", "nobody"))).isEmpty();

            assertThat(store.delete(expected.id())).isTrue();
            assertThat(store.delete(expected.id())).isFalse();
            assertThat(store.find(expected.id())).isEmpty();
            assertThat(store.tokenNames(FLEET)).doesNotContain("token-b").hasSize(names.size() - 1);
            assertThat(store.tokenNames(KIBANA)).containsExactly("other");
        }
    }

    @Test
    void nullCreatorAndLongNameRoundTrip() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            String longName = "n".repeat(256);
            TokenRecord r = new TokenRecord(new TokenId(FLEET, longName), HASH, 0L, 0, null);
            store.insert(r);
            assertThat(store.find(r.id())).contains(r);
        }
    }

    @Test
    void duplicateIsRejectedByTheUniqueKey() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            TokenRecord first = token(FLEET, "t1");
            store.insert(first);
            TokenRecord second = new TokenRecord(first.id(), "{PBKDF2_STRETCH}other", 42L, 1, null);
            assertThatThrownBy(() -> store.insert(second))
                    .isInstanceOf(DuplicateTokenException.class)
                    .hasMessage("token [elastic/fleet-server/t1] already exists")
                    .satisfies(e -> assertThat(((DuplicateTokenException) e).tokenId()).isEqualTo(first.id()));
            assertThat(store.find(first.id())).contains(first);
            // same name under another account is a different token
            store.insert(token(KIBANA, "t1"));
            assertThat(store.tokenNames(KIBANA)).containsExactly("t1");
        }
    }

    @Test
    void dataSurvivesCloseAndReopen() throws Exception {
        TokenRecord r = token(FLEET, "durable");
        UserRecord u = new UserRecord("elastic", HASH, List.of("superuser"), null, null, null, true);
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.insert(r);
            store.insertUserIfAbsent(u);
            store.putMetadataIfAbsent("cluster_uuid", "abc");
        }
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertThat(store.find(r.id())).contains(r);
            assertThat(store.tokenNames(FLEET)).containsExactly("durable");
            assertThat(store.findUser("elastic")).contains(u);
            assertThat(store.getMetadata("cluster_uuid")).contains("abc");
        }
        // and a plain SQLite connection sees it in the file
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("svctoken.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT principal, name, password_hash FROM service_account_tokens")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("elastic/fleet-server");
            assertThat(rs.getString(2)).isEqualTo("durable");
            assertThat(rs.getString(3)).isEqualTo(HASH + "durable");
        }
    }

    @Test
    void createsMissingDataDirectories() throws Exception {
        Path nested = dir.resolve("a/b/data");
        try (SqliteStore store = SqliteStore.open(nested)) {
            assertThat(store.databaseFile()).isEqualTo(nested.toAbsolutePath().resolve("svctoken.db"));
            assertThat(nested.resolve("svctoken.db")).isRegularFile();
        }
    }

    @Test
    void walAndFullSynchronousAreReallySet() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            for (boolean onReader : new boolean[] {false, true}) {
                assertThat(store.pragma("journal_mode", onReader)).isEqualTo("wal");
                assertThat(store.pragma("synchronous", onReader)).isEqualTo("2"); // FULL
                assertThat(store.pragma("foreign_keys", onReader)).isEqualTo("1");
                assertThat(store.pragma("busy_timeout", onReader)).isEqualTo("5000");
            }
            assertThat(store.pragma("query_only", true)).isEqualTo("1");
            assertThat(store.pragma("query_only", false)).isEqualTo("0");
            assertThat(dir.resolve("svctoken.db-wal")).exists();
        }
        // journal_mode=WAL is a property of the file: a foreign connection sees it too
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("svctoken.db"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("wal");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void schemaIsCreatedOnceAndHistoryShowsEveryVersion() throws Exception {
        SqliteStore.open(dir).close();
        List<Map<String, Object>> first = history(dir);
        assertThat(first).hasSize(migrationFiles());
        assertThat(first.get(0)).containsEntry("version", "1").containsEntry("success", 1)
                .containsEntry("script", "V1__initial_schema.sql");
        assertThat(first.get(1)).containsEntry("version", "2").containsEntry("success", 1)
                .containsEntry("script", "V2__native_roles.sql");
        assertThat(first.get(2)).containsEntry("version", "3").containsEntry("success", 1)
                .containsEntry("script", "V3__api_keys.sql");
        assertThat(first.get(3)).containsEntry("version", "4").containsEntry("success", 1)
                .containsEntry("script", "V4__nodes.sql");
        assertThat(first.get(4)).containsEntry("version", "5").containsEntry("success", 1)
                .containsEntry("script", "V5__invalidations.sql");
        assertThat(first.get(5)).containsEntry("version", "6").containsEntry("success", 1)
                .containsEntry("script", "V6__token_lifecycle.sql");
        assertThat(first.get(6)).containsEntry("version", "7").containsEntry("success", 1)
                .containsEntry("script", "V7__application_privileges.sql");
        assertThat(first.get(first.size() - 1)).containsEntry("version", "12").containsEntry("success", 1)
                .containsEntry("script", "V12__console_sessions.sql");
        for (int i = 0; i < 3; i++) {
            try (SqliteStore store = SqliteStore.open(dir)) {
                store.putMetadataIfAbsent("k" + i, "v");
            }
        }
        assertThat(history(dir)).isEqualTo(first);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("svctoken.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).containsExactly("api_keys", "application_privileges", "console_sessions", "flyway_schema_history", "invalidations", "metadata", "nodes", "oauth2_tokens", "role_mappings", "roles", "service_account_tokens",
                    "service_accounts", "sqlite_sequence", "users");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("svctoken.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM pragma_table_info('service_account_tokens') ORDER BY cid")) {
            List<String> cols = new ArrayList<>();
            while (rs.next()) {
                cols.add(rs.getString(1));
            }
            assertThat(cols).containsExactly("principal", "name", "password_hash", "creation_time", "version", "creator",
                    "expires_at", "last_used_at", "metadata", "enabled", "last_used_node", "successor");
        }
    }

    /** How many migrations there are (versions may skip numbers: each branch of work takes its own). */
    static int migrationFiles() throws Exception {
        try (var files = Files.list(Path.of(SqliteStore.class.getResource("/db/sqlite").toURI()))) {
            return (int) files.filter(p -> p.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        }
    }

    @Test
    void schemaVersionConstantMatchesTheNewestMigrationFile() throws Exception {
        Path migrations = Path.of(SqliteStore.class.getResource("/db/sqlite").toURI());
        int newest;
        try (var files = Files.list(migrations)) {
            newest = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.+\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .max().orElseThrow();
        }
        assertThat(SqliteStore.SCHEMA_VERSION).isEqualTo(newest);
    }

    @Test
    void databaseFromANewerSvctokenIsRefused() throws Exception {
        SqliteStore.open(dir).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("svctoken.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL',"
                    + " 'V99__future.sql', 0, 'test', 0, 1)");
        }
        assertThatThrownBy(() -> SqliteStore.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining(dir.resolve("svctoken.db").toString());
    }

    @Test
    void usersRoundTrip() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertThat(store.findUser("elastic")).isEmpty();
            UserRecord elastic = new UserRecord("elastic", HASH, List.of("superuser"), null, null, null, true);
            assertThat(store.insertUserIfAbsent(elastic)).isTrue();
            assertThat(store.findUser("elastic")).contains(elastic);
            assertThat(store.findUser("elastic").orElseThrow().metadataJson()).isEqualTo("{}");

            UserRecord other = new UserRecord("elastic", "{PBKDF2}other", List.of(), "x", "y", "{}", false);
            assertThat(store.insertUserIfAbsent(other)).isFalse();
            assertThat(store.findUser("elastic")).contains(elastic);

            UserRecord fancy = new UserRecord("jdoe", null, List.of("a\"b", "üñí", "back\\slash", "", "x y"),
                    "John \"J\" Doe", "j@example.com", "{\"n\":[1,2,{\"k\":\"v\"}]}", false);
            store.putUser(fancy);
            assertThat(store.findUser("jdoe")).contains(fancy);
            UserRecord replaced = new UserRecord("jdoe", HASH, List.of("viewer"), null, null, null, true);
            store.putUser(replaced);
            assertThat(store.findUser("jdoe")).contains(replaced);

            assertThat(store.deleteUser("jdoe")).isTrue();
            assertThat(store.deleteUser("jdoe")).isFalse();
            assertThat(store.findUser("jdoe")).isEmpty();
            assertThat(store.findUser("elastic")).contains(elastic);
        }
    }

    @Test
    void metadataPutIfAbsentKeepsTheFirstValue() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            assertThat(store.getMetadata("cluster_uuid")).isEmpty();
            assertThat(store.putMetadataIfAbsent("cluster_uuid", "first")).isEqualTo("first");
            assertThat(store.putMetadataIfAbsent("cluster_uuid", "second")).isEqualTo("first");
            assertThat(store.getMetadata("cluster_uuid")).contains("first");
            assertThat(store.putMetadataIfAbsent("node_id", "n1")).isEqualTo("n1");
            assertThat(store.getMetadata("node_id")).isEqualTo(Optional.of("n1"));
        }
    }

    @Test
    void corruptDatabaseFileIsAClearStoreException() throws Exception {
        byte[] garbage = new byte[16 * 1024];
        new Random(42).nextBytes(garbage);
        Path db = dir.resolve("svctoken.db");
        Files.write(db, garbage);
        assertThatThrownBy(() -> SqliteStore.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("not an SQLite database or is corrupt");
        // the file is left alone for the operator
        assertThat(Files.readAllBytes(db)).isEqualTo(garbage);
    }

    @Test
    void textFileInPlaceOfTheDatabaseIsAClearStoreException() throws Exception {
        Path db = dir.resolve("svctoken.db");
        Files.writeString(db, "this is not a database, just some text that happens to be long enough ".repeat(20));
        assertThatThrownBy(() -> SqliteStore.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(db.toString())
                .hasMessageContaining("not an SQLite database or is corrupt");
    }

    @Test
    void dataDirThatIsARegularFileIsAClearStoreException() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> SqliteStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is not a directory");
    }

    @Test
    void dataDirUnderARegularFileCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path dataDir = file.resolve("data");
        assertThatThrownBy(() -> SqliteStore.open(dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("could not create data directory " + dataDir);
    }

    @Test
    void databasePathThatIsADirectoryIsAClearStoreException() throws Exception {
        Files.createDirectories(dir.resolve("svctoken.db"));
        assertThatThrownBy(() -> SqliteStore.open(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.resolve("svctoken.db") + " is not a regular file");
    }

    @Test
    void sqlFailuresNameTheOperationAndFileButNeverTheHash() {
        try (SqliteStore store = SqliteStore.open(dir)) {
            TokenRecord bad = new TokenRecord(new TokenId(FLEET, "bad-json"), HASH, 1L, 1, "{not json");
            assertThatThrownBy(() -> store.insert(bad))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("insert token [elastic/fleet-server/bad-json]")
                    .hasMessageContaining(dir.resolve("svctoken.db").toString())
                    .hasMessageNotContaining(HASH)
                    .hasMessageNotContaining("c2FsdHNhbHRzYWx0c2FsdA");
            assertThat(store.find(bad.id())).isEmpty();
            // the store keeps working after a failed write
            store.insert(token(FLEET, "good"));
            assertThat(store.tokenNames(FLEET)).containsExactly("good");
            assertThat(store.find(token(FLEET, "good").id()).orElseThrow().toString()).doesNotContain(HASH);
        } catch (DuplicateTokenException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closedStoreFailsWithStoreException() {
        SqliteStore store = SqliteStore.open(dir);
        store.close();
        store.close(); // idempotent
        assertThatThrownBy(() -> store.find(new TokenId(FLEET, "x")))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.insert(token(FLEET, "x")))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.putMetadataIfAbsent("k", "v"))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
    }

    static List<Map<String, Object>> history(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("svctoken.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT installed_rank, version, script, checksum, success"
                     + " FROM flyway_schema_history ORDER BY installed_rank")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(Map.of("installed_rank", rs.getInt(1), "version", rs.getString(2), "script", rs.getString(3),
                        "checksum", rs.getInt(4), "success", rs.getInt(5)));
            }
            return rows;
        }
    }

    /** A store of schema version 5 (before the token lifecycle): its tokens keep their data, are enabled, never expire. */
    @Test
    void aVersion5StoreIsMigratedAndItsTokensKeepWhatTheyHad() throws Exception {
        org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve(SqliteStore.DB_FILE_NAME));
        org.flywaydb.core.Flyway.configure(SqliteStore.class.getClassLoader()).dataSource(ds).locations(SqliteStore.MIGRATIONS_LOCATION)
                .target("5").load().migrate();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO service_account_tokens (principal, name, password_hash, creation_time, version, creator)"
                    + " VALUES ('elastic/fleet-server', 'before', '" + HASH + "', 1700000000000, 8190099, NULL)");
        }
        try (SqliteStore s = SqliteStore.open(dir)) {
            TokenRecord r = s.tokens().find(new TokenId(FLEET, "before")).orElseThrow();
            assertThat(r).isEqualTo(new TokenRecord(new TokenId(FLEET, "before"), HASH, 1_700_000_000_000L, 8190099, null));
            assertThat(r.enabled()).isTrue();
            assertThat(r.expiresAtMillis()).isNull();
            assertThat(r.lastUsedMillis()).isNull();
            assertThat(r.creatorJson()).isNull();
        }
        assertThat(history(dir)).hasSize(migrationFiles());
    }
}
