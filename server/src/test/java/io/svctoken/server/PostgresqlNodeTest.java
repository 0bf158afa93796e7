package io.svctoken.server;

import io.svctoken.core.store.StoreException;
import io.svctoken.server.TestNode.Response;
import io.svctoken.server.settings.SettingsException;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import io.svctoken.store.postgresql.PostgresqlStore;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real node on {@code svctoken.store.type: postgresql}, over a real PostgreSQL started by the test. */
class PostgresqlNodeTest {

    static final String FLEET = "/_security/service/elastic/fleet-server";

    @TempDir
    Path home;

    private Map<String, String> postgresql(String database, String... more) throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/db-password"), EmbeddedPostgresql.PASSWORD + "\n");
        Map<String, String> s = new HashMap<>(Map.of("svctoken.store.type", "postgresql",
                "svctoken.store.postgresql.url", EmbeddedPostgresql.url(database),
                "svctoken.store.postgresql.username", EmbeddedPostgresql.ROLE,
                "svctoken.store.postgresql.password_file", "db-password",
                "svctoken.store.postgresql.pool.max_size", "4"));
        for (int i = 0; i < more.length; i += 2) {
            s.put(more[i], more[i + 1]);
        }
        return s;
    }

    @Test
    void createAuthenticateAndDeleteATokenOverHttp() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        String kept;
        try (TestNode node = TestNode.start(home, postgresql(db))) {
            Response created = node.asElastic("POST", FLEET + "/credential/token/token1");
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            String value = created.json().at("/token/value").asText();
            Response me = node.request("GET", "/_security/_authenticate", bearer(value));
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            assertThat(me.json().at("/token/type").asText()).isEqualTo("_service_account_index");

            // the token, and the bootstrapped elastic user, are rows of PostgreSQL; no SQLite file was made
            assertThat(rows(db, "SELECT principal || '/' || name FROM service_account_tokens")).containsExactly("elastic/fleet-server/token1");
            assertThat(rows(db, "SELECT username FROM users")).containsExactly("elastic");
            assertThat(home.resolve("data").resolve(SqliteStore.DB_FILE_NAME)).doesNotExist();

            Response del = node.asElastic("DELETE", FLEET + "/credential/token/token1");
            assertThat(del.status()).isEqualTo(200);
            assertThat(del.body()).isEqualTo("{\"found\":true}");
            assertThat(node.request("GET", "/_security/_authenticate", bearer(value)).status()).isEqualTo(401);
            assertThat(rows(db, "SELECT name FROM service_account_tokens")).isEmpty();

            kept = node.asElastic("POST", FLEET + "/credential/token/kept").json().at("/token/value").asText();
        }
        // another start on the same database: the identity and the token are still there
        try (TestNode node = TestNode.start(home, postgresql(db))) {
            assertThat(node.request("GET", "/_security/_authenticate", bearer(kept)).status()).isEqualTo(200);
            assertThat(rows(db, "SELECT value FROM metadata WHERE key = 'cluster.uuid'")).containsExactly(node.node().identity().clusterUuid());
        }
    }

    @Test
    void aPasswordFileThatCannotBeReadStopsTheStartNamingTheSetting() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        Map<String, String> s = postgresql(db, "svctoken.store.postgresql.password_file", "missing-password");
        assertThatThrownBy(() -> TestNode.start(home, s))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("cannot read [svctoken.store.postgresql.password_file] " + home.resolve("config/missing-password"));
    }

    @Test
    void aWrongPasswordFromTheEnvironmentStopsTheStartWithoutShowingIt() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        Map<String, String> s = postgresql(db, "svctoken.store.postgresql.connect_timeout", "1s");
        s.remove("svctoken.store.postgresql.password_file");
        assertThatThrownBy(() -> TestNode.start(home, s, Map.of("ELASTIC_PASSWORD", TestNode.PASSWORD,
                "SVCTOKEN_STORE_POSTGRESQL_PASSWORD", "wrong-env-password-6d")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("password authentication failed")
                .hasMessageNotContaining("wrong-env-password-6d");
    }

    /** With every logger at TRACE (HikariCP logs its configuration at DEBUG), the database password is in no log event. */
    @Test
    void theDatabasePasswordNeverReachesTheLogsEvenAtTrace() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        Map<String, String> s = postgresql(db, "svctoken.store.postgresql.password", EmbeddedPostgresql.PASSWORD);
        s.remove("svctoken.store.postgresql.password_file");
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
        List<ch.qos.logback.classic.Logger> loggers = List.of(ctx.getLogger(Logger.ROOT_LOGGER_NAME), ctx.getLogger("org.flywaydb"));
        List<ch.qos.logback.classic.Level> before = loggers.stream().map(ch.qos.logback.classic.Logger::getLevel).toList();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
        events.setContext(ctx);
        events.start();
        loggers.get(0).addAppender(events);
        loggers.forEach(l -> l.setLevel(ch.qos.logback.classic.Level.TRACE));
        try {
            try (TestNode node = TestNode.start(home, s)) {
                assertThat(node.asElastic("POST", FLEET + "/credential/token/t").status()).isEqualTo(200);
            }
            Map<String, String> wrong = new HashMap<>(s);
            wrong.put("svctoken.store.postgresql.password", "wrong-password-in-setting-1v");
            wrong.put("svctoken.store.postgresql.connect_timeout", "1s");
            assertThatThrownBy(() -> TestNode.start(home, wrong)).isInstanceOf(StoreException.class);
        } finally {
            loggers.get(0).detachAppender(events);
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).setLevel(before.get(i));
            }
        }
        assertThat(LogLines.copyOf(events)).as("TRACE logging produced events to check").anyMatch(e -> e.getLoggerName().startsWith("com.zaxxer.hikari"));
        for (ch.qos.logback.classic.spi.ILoggingEvent e : LogLines.copyOf(events)) {
            StringBuilder text = new StringBuilder(e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    text.append(' ').append(a);
                }
            }
            for (ch.qos.logback.classic.spi.IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            assertThat(text.toString()).as("log event of %s", e.getLoggerName()).doesNotContain(EmbeddedPostgresql.PASSWORD)
                    .doesNotContain("wrong-password-in-setting-1v");
        }
    }

    /**
     * PostgreSQL text cannot hold U+0000: a request that would store one in a text column is a 400 on
     * either store (the same rule on both), never a 500. In JSON columns (metadata) it is kept, escaped.
     */
    @Test
    void aNulCharacterInAStoredTextFieldIsACleanBadRequest() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode node = TestNode.start(home, postgresql(db))) {
            for (String body : List.of("{\"password\":\"nul-pass-1\",\"roles\":[],\"full_name\":\"a\\u0000b\"}",
                    "{\"password\":\"nul-pass-1\",\"roles\":[],\"email\":\"a\\u0000@example.com\"}")) {
                Response r = node.asElastic("PUT", "/_security/user/nul_user", body);
                assertThat(r.status()).as(r.body()).isEqualTo(400);
                assertThat(r.json().at("/error/type").asText()).as(r.body()).isEqualTo("illegal_argument_exception");
            }
            Response key = node.asElastic("POST", "/_security/api_key", "{\"name\":\"k\\u0000\"}");
            assertThat(key.status()).as(key.body()).isEqualTo(400);
            assertThat(key.json().at("/error/type").asText()).isEqualTo("illegal_argument_exception");

            Response meta = node.asElastic("PUT", "/_security/user/nul_meta", "{\"password\":\"nul-pass-1\",\"roles\":[],\"metadata\":{\"k\":\"a\\u0000b\"}}");
            assertThat(meta.status()).as(meta.body()).isEqualTo(200);
            assertThat(node.asElastic("GET", "/_security/user/nul_meta").json().at("/nul_meta/metadata/k").asText()).isEqualTo("a\u0000b");
        }
    }

    @Test
    void bothStoresShipTheSameSchemaVersion() {
        assertThat(PostgresqlStore.SCHEMA_VERSION).isEqualTo(SqliteStore.SCHEMA_VERSION);
    }

    private static List<String> rows(String db, String sql) throws Exception {
        try (Connection c = EmbeddedPostgresql.superuser(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
