package io.svctoken.server.settings;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code svctoken.store.*}: which store, and how to reach PostgreSQL; bad values and settings that cannot work together stop the start. */
class StoreSettingsTest {

    static final String URL = "jdbc:postgresql://db.example:5432/svctoken";

    @TempDir
    Path home;

    private NodeSettings settings(Map<String, String> raw) {
        return new NodeSettings(home, home.resolve("config"), raw);
    }

    private static Map<String, String> pg(String... more) {
        Map<String, String> m = new HashMap<>(Map.of("svctoken.store.type", "postgresql", "svctoken.store.postgresql.url", URL));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void theDefaultIsSqlite() {
        StoreSettings s = settings(Map.of()).store();
        assertThat(s.type()).isEqualTo(StoreSettings.Type.SQLITE);
        assertThat(s.postgresql()).isEmpty();
        assertThat(settings(Map.of("svctoken.store.type", "sqlite")).store().type()).isEqualTo(StoreSettings.Type.SQLITE);
    }

    @Test
    void postgresqlWithItsDefaults() {
        StoreSettings s = settings(pg()).store();
        assertThat(s.type()).isEqualTo(StoreSettings.Type.POSTGRESQL);
        StoreSettings.Postgresql p = s.postgresql().orElseThrow();
        assertThat(p.url()).isEqualTo(URL);
        assertThat(p.username()).isEmpty();
        assertThat(p.poolMaxSize()).isEqualTo(10);
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.password(Map.of())).isEmpty();
    }

    @Test
    void postgresqlFully() {
        StoreSettings.Postgresql p = settings(pg("svctoken.store.postgresql.username", "svctoken",
                "svctoken.store.postgresql.password", "pw-in-setting-4k", "svctoken.store.postgresql.pool.max_size", "25",
                "svctoken.store.postgresql.connect_timeout", "3s")).store().postgresql().orElseThrow();
        assertThat(p.username()).contains("svctoken");
        assertThat(p.poolMaxSize()).isEqualTo(25);
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.password(Map.of()).orElseThrow().revealAsString(SecretAccess.plaintext())).isEqualTo("pw-in-setting-4k");
        assertThat(p.toString()).doesNotContain("pw-in-setting-4k").contains(URL);
    }

    @Test
    void unknownTypeNamesTheSetting() {
        assertThatThrownBy(() -> settings(Map.of("svctoken.store.type", "mysql")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("Failed to parse value [mysql] for setting [svctoken.store.type]: must be one of [sqlite, postgresql]");
        assertThatThrownBy(() -> settings(Map.of("svctoken.store.type", "PostgreSQL"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("[svctoken.store.type]");
    }

    @Test
    void postgresqlWithoutAUrlStopsTheStart() {
        assertThatThrownBy(() -> settings(Map.of("svctoken.store.type", "postgresql")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[svctoken.store.type] is [postgresql], but [svctoken.store.postgresql.url] is not set");
    }

    @Test
    void postgresqlSettingsWithoutThePostgresqlTypeStopTheStart() {
        assertThatThrownBy(() -> settings(Map.of("svctoken.store.postgresql.url", URL)))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[svctoken.store.postgresql.url] is set, but [svctoken.store.type] is [sqlite]: set [svctoken.store.type]"
                        + " to [postgresql], or remove the svctoken.store.postgresql.* settings");
        assertThatThrownBy(() -> settings(Map.of("svctoken.store.type", "sqlite", "svctoken.store.postgresql.pool.max_size", "5")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.store.postgresql.pool.max_size] is set");
    }

    @Test
    void badUrlsNameTheSetting() {
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.url", "jdbc:mysql://db/x")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("Failed to parse value [jdbc:mysql://db/x] for setting [svctoken.store.postgresql.url]: a PostgreSQL JDBC URL"
                        + " starts with [jdbc:postgresql:]");
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.url", " ")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.store.postgresql.url]");
        // a password in the URL would be shown wherever the URL is: refused, and not repeated
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.url", URL + "?user=svctoken&password=pw-in-url-9z")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("setting [svctoken.store.postgresql.url] must not hold a password: set [svctoken.store.postgresql.password]"
                        + " or [svctoken.store.postgresql.password_file], or the environment variable SVCTOKEN_STORE_POSTGRESQL_PASSWORD")
                .hasMessageNotContaining("pw-in-url-9z");
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.url", URL + "?sslmode=require&PASSWORD=x")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("must not hold a password");
    }

    @Test
    void badPoolSizesAndTimeoutsNameTheSetting() {
        for (String bad : List.of("0", "-1", "1001", "ten", "")) {
            assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.pool.max_size", bad)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.store.postgresql.pool.max_size]");
        }
        for (String bad : List.of("100ms", "0", "-1", "10", "soon")) {
            assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.connect_timeout", bad)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.store.postgresql.connect_timeout]");
        }
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.username", " ")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.store.postgresql.username]");
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.password", "")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.store.postgresql.password]");
    }

    @Test
    void unknownStoreSettingsAreRefused() {
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.pool.min_size", "1")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("unknown setting [svctoken.store.postgresql.pool.min_size]");
        assertThatThrownBy(() -> settings(Map.of("svctoken.store.path", "/x")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("unknown setting [svctoken.store.path]");
    }

    @Test
    void passwordFromAFileRelativeToTheConfigDirectory() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/db-password"), "pw-from-file-2q\n");
        StoreSettings.Postgresql p = settings(pg("svctoken.store.postgresql.password_file", "db-password")).store().postgresql().orElseThrow();
        assertThat(p.password(Map.of("SVCTOKEN_STORE_POSTGRESQL_PASSWORD", "from-env")).orElseThrow().revealAsString(SecretAccess.plaintext()))
                .isEqualTo("pw-from-file-2q");
        Files.writeString(home.resolve("config/db-password"), "pw-from-file-2q\r\n");
        assertThat(p.password(Map.of()).orElseThrow().revealAsString(SecretAccess.plaintext())).isEqualTo("pw-from-file-2q");
    }

    @Test
    void passwordFromTheEnvironmentWhenNoSettingGivesOne() {
        StoreSettings.Postgresql p = settings(pg()).store().postgresql().orElseThrow();
        Optional<Secret> pw = p.password(Map.of("SVCTOKEN_STORE_POSTGRESQL_PASSWORD", "pw-from-env-5t"));
        assertThat(pw.orElseThrow().revealAsString(SecretAccess.plaintext())).isEqualTo("pw-from-env-5t");
        assertThat(p.password(Map.of("SVCTOKEN_STORE_POSTGRESQL_PASSWORD", ""))).isEmpty();
    }

    @Test
    void passwordAndPasswordFileCannotBothBeSet() {
        assertThatThrownBy(() -> settings(pg("svctoken.store.postgresql.password", "a", "svctoken.store.postgresql.password_file", "f")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[svctoken.store.postgresql.password] and [svctoken.store.postgresql.password_file] cannot both be set");
    }

    @Test
    void aMissingOrEmptyPasswordFileNamesTheSetting() throws Exception {
        StoreSettings.Postgresql missing = settings(pg("svctoken.store.postgresql.password_file", "/nonexistent/pw")).store().postgresql()
                .orElseThrow();
        assertThatThrownBy(() -> missing.password(Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("cannot read [svctoken.store.postgresql.password_file] /nonexistent/pw: NoSuchFileException");
        Path empty = Files.writeString(home.resolve("empty"), "\n");
        StoreSettings.Postgresql e = settings(pg("svctoken.store.postgresql.password_file", empty.toString())).store().postgresql()
                .orElseThrow();
        assertThatThrownBy(() -> e.password(Map.of()))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[svctoken.store.postgresql.password_file] " + empty + " is empty");
    }

    private static final List<String> KEYS = List.of("svctoken.store.type", "svctoken.store.postgresql.url",
            "svctoken.store.postgresql.username", "svctoken.store.postgresql.password", "svctoken.store.postgresql.password_file",
            "svctoken.store.postgresql.pool.max_size", "svctoken.store.postgresql.connect_timeout", "svctoken.store.x",
            "svctoken.store.postgresql.pool");
    private static final List<String> VALUES = List.of("sqlite", "postgresql", URL, URL + "?password=x", "jdbc:postgresql:", "0", "5",
            "10s", "100ms", "", " ", "\u0000", "x");

    /** Any mix gives settings or a settings error, never another exception. */
    @Property(tries = 500)
    void anyStoreSettingsGiveSettingsOrASettingsError(@ForAll("storeSettings") Map<String, String> raw) {
        try {
            StoreSettings s = new NodeSettings(Path.of("/nonexistent-home"), Path.of("/nonexistent-home/config"), raw).store();
            assertThat(s.type()).isNotNull();
        } catch (SettingsException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Map<String, String>> storeSettings() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.strings().ofMaxLength(8));
        return Arbitraries.maps(Arbitraries.of(KEYS), value).ofMaxSize(5);
    }
}
