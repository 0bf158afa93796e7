package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.server.TestNode.Response;
import io.svctoken.store.sqlite.SqliteStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node started on a store of schema version 5 (before the token lifecycle): its tokens still authenticate, Elasticsearch's
 * endpoints show them as before, and svctoken's lifecycle endpoints show what version 5 recorded and nothing more:
 * what was not recorded (creator, a creation time svctoken never wrote, any last use) is null, never made up.
 */
class TokenLifecycleMigrationTest {

    private static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");
    private static final String ES = "/_security/service/elastic/fleet-server/credential";
    private static final String SVC = "/_svctoken/service/elastic/fleet-server/credential";
    private static final long CREATED = 1_700_000_000_000L;
    private static final String CREATOR = "{\"principal\":\"elastic\",\"realm\":\"reserved\",\"realm_type\":\"reserved\"}";

    @TempDir
    Path home;

    /** Inserts a token as version 5 stored it; returns its bearer value. */
    private static String insert(Connection c, String name, long creation, String creator) throws Exception {
        ServiceAccountToken t = ServiceAccountToken.newToken(FLEET, name);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO service_account_tokens (principal, name, password_hash,"
                + " creation_time, version, creator) VALUES (?, ?, ?, ?, 8190099, ?)")) {
            st.setString(1, FLEET.asPrincipal());
            st.setString(2, name);
            st.setString(3, Hasher.resolve("pbkdf2_stretch_1000").hash(t.secret()));
            st.setLong(4, creation);
            st.setString(5, creator);
            st.executeUpdate();
        }
        return t.asBearer().revealAsString(SecretAccess.plaintext());
    }

    @Test
    void aVersion5StoresTokensKeepWorkingAndShowOnlyWhatWasRecorded() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + data.resolve(SqliteStore.DB_FILE_NAME));
        Flyway.configure(SqliteStore.class.getClassLoader()).dataSource(ds).locations(SqliteStore.MIGRATIONS_LOCATION)
                .target("5").load().migrate();
        String before;
        String unrecorded;
        try (Connection c = ds.getConnection()) {
            before = insert(c, "before", CREATED, CREATOR);
            unrecorded = insert(c, "unrecorded", 0, null);
        }

        try (TestNode node = TestNode.start(home, Map.of())) {
            // Elasticsearch's listing: names only, as before the upgrade
            Response es = node.asElastic("GET", ES);
            assertThat(es.status()).isEqualTo(200);
            assertThat(es.json().get("tokens").toString()).isEqualTo("{\"before\":{},\"unrecorded\":{}}");

            JsonNode b = node.asElastic("GET", SVC + "/token/before").json();
            assertThat(b.get("creation").asLong()).isEqualTo(CREATED); // recorded by version 5: kept as it was
            assertThat(b.get("created_by").toString()).isEqualTo(CREATOR);
            assertThat(b.get("expiration").isNull()).isTrue();
            assertThat(b.get("expired").asBoolean()).isFalse();
            assertThat(b.get("enabled").asBoolean()).isTrue();
            assertThat(b.get("successor").isNull()).isTrue();
            assertThat(b.get("metadata").toString()).isEqualTo("{}");

            JsonNode u = node.asElastic("GET", SVC + "/token/unrecorded").json();
            assertThat(u.get("creation").isNull()).as(u.toString()).isTrue(); // unknown, not 1970
            assertThat(u.get("created_by").isNull()).as(u.toString()).isTrue();
            assertThat(u.get("enabled").asBoolean()).isTrue();

            // no last use was recorded before version 6: unknown, so both count as unused for 90 days until used
            JsonNode unused = node.asElastic("GET", SVC + "?unused_for=90d").json();
            assertThat(unused.at("/tokens/before/last_used").isNull()).isTrue();
            assertThat(unused.at("/tokens/unrecorded/last_used").isNull()).isTrue();

            assertThat(node.request("GET", "/_security/_authenticate", bearer(before)).status()).isEqualTo(200);
            assertThat(node.request("GET", "/_security/_authenticate", bearer(unrecorded)).status()).isEqualTo(200);
        }
    }
}
