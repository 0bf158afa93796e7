package io.svctoken.store.sqlite;

import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.StoreException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code api_keys} table (schema version 3). */
class SqliteApiKeysTest {

    @TempDir
    Path dir;

    private static ApiKeyRecord key(String id, String name, long created, Long expires, String owner, String realm) {
        return new ApiKeyRecord(id, name, ApiKeyRecord.TYPE_REST, "{SSHA256}hash-of-" + id, created, expires, false, null, owner, realm,
                realm.equals("_service_account") ? "_service_account" : "native",
                "{\"principal\":\"" + owner + "\",\"full_name\":null,\"email\":null,\"metadata\":{},\"realm\":\"" + realm + "\"}",
                "{\"r1\":{\"cluster\":[\"monitor\"]}}", "{\"superuser\":{\"cluster\":[\"all\"]}}", "{\"team\":\"a\"}", 8_19_00_99);
    }

    @Test
    void keysRoundTripAndSurviveReopen() {
        try (SqliteStore s = SqliteStore.open(dir)) {
            s.insertApiKey(key("id-b", "beta", 2000, null, "bob", "default_native"));
            s.insertApiKey(key("id-a", "alpha", 1000, 5000L, "amy", "default_native"));
        }
        try (SqliteStore s = SqliteStore.open(dir)) {
            ApiKeyRecord a = s.findApiKey("id-a").orElseThrow();
            assertThat(a.name()).isEqualTo("alpha");
            assertThat(a.apiKeyHash()).isEqualTo("{SSHA256}hash-of-id-a");
            assertThat(a.expirationTimeMillis()).isEqualTo(5000L);
            assertThat(a.invalidated()).isFalse();
            assertThat(a.invalidationTimeMillis()).isNull();
            assertThat(a.roleDescriptorsJson()).isEqualTo("{\"r1\":{\"cluster\":[\"monitor\"]}}");
            assertThat(a.limitedByJson()).isEqualTo("{\"superuser\":{\"cluster\":[\"all\"]}}");
            assertThat(a.metadataJson()).isEqualTo("{\"team\":\"a\"}");
            assertThat(a.version()).isEqualTo(8_19_00_99);
            assertThat(s.findApiKey("id-b").orElseThrow().expirationTimeMillis()).isNull();
            assertThat(s.findApiKey("nope")).isEmpty();
            assertThat(s.findApiKeys(ApiKeyFilter.all())).extracting(ApiKeyRecord::id).containsExactly("id-a", "id-b");
            assertThat(a.toString()).doesNotContain("hash");
        }
    }

    @Test
    void filtersAsElasticsearchSelectsKeys() {
        try (SqliteStore s = SqliteStore.open(dir)) {
            s.insertApiKey(key("k1", "fleet-1", 1, null, "elastic/fleet-server", "_service_account"));
            s.insertApiKey(key("k2", "fleet-2", 2, 10L, "elastic/fleet-server", "_service_account"));
            s.insertApiKey(key("k3", "other", 3, null, "bob", "default_native"));
            s.insertApiKey(key("k4", "fleet*", 4, null, "bob", "default_file"));
            assertThat(ids(s, new ApiKeyFilter(null, "fleet*", null, null, false, null))).containsExactly("k1", "k2", "k4");
            assertThat(ids(s, new ApiKeyFilter(null, "fleet-1", null, null, false, null))).containsExactly("k1");
            assertThat(ids(s, new ApiKeyFilter(null, "*", null, null, false, null))).containsExactly("k1", "k2", "k3", "k4");
            assertThat(ids(s, new ApiKeyFilter(List.of("k3", "k1", "zz"), null, null, null, false, null))).containsExactly("k1", "k3");
            assertThat(ids(s, new ApiKeyFilter(null, null, "bob", null, false, null))).containsExactly("k3", "k4");
            assertThat(ids(s, new ApiKeyFilter(null, null, "bob", List.of("default_file"), false, null))).containsExactly("k4");
            assertThat(ids(s, new ApiKeyFilter(null, null, null, null, false, 10L))).containsExactly("k1", "k3", "k4"); // k2 expired at 10
            assertThat(ids(s, new ApiKeyFilter(null, null, null, null, false, 9L))).containsExactly("k1", "k2", "k3", "k4");

            assertThat(s.invalidateApiKeys(List.of("k1", "k3", "unknown"), 77)).containsExactly("k1", "k3");
            assertThat(s.invalidateApiKeys(List.of("k1"), 99)).isEmpty(); // already invalidated: kept as it was
            ApiKeyRecord k1 = s.findApiKey("k1").orElseThrow();
            assertThat(k1.invalidated()).isTrue();
            assertThat(k1.invalidationTimeMillis()).isEqualTo(77L);
            assertThat(ids(s, new ApiKeyFilter(null, null, null, null, true, null))).containsExactly("k2", "k4");
            assertThat(ids(s, ApiKeyFilter.all())).hasSize(4); // invalidated keys are kept
            // the filter evaluated in Java agrees with the query
            for (ApiKeyFilter f : List.of(new ApiKeyFilter(null, "fleet*", "bob", null, true, null), new ApiKeyFilter(null, null, null, null, false, 10L))) {
                assertThat(ids(s, f)).isEqualTo(s.findApiKeys(ApiKeyFilter.all()).stream().filter(f::matches).map(ApiKeyRecord::id).toList());
            }
        }
    }

    @Test
    void duplicateIdsAndBadJsonAreRefused() {
        try (SqliteStore s = SqliteStore.open(dir)) {
            s.insertApiKey(key("dup", "a", 1, null, "bob", "default_native"));
            assertThatThrownBy(() -> s.insertApiKey(key("dup", "b", 2, null, "bob", "default_native"))).isInstanceOf(StoreException.class);
            ApiKeyRecord k = key("bad", "a", 1, null, "bob", "default_native");
            ApiKeyRecord badJson = new ApiKeyRecord(k.id(), k.name(), k.type(), k.apiKeyHash(), 1, null, false, null, "bob", "r", "native",
                    k.creatorJson(), "[1]", k.limitedByJson(), k.metadataJson(), 1);
            assertThatThrownBy(() -> s.insertApiKey(badJson)).isInstanceOf(StoreException.class);
            assertThat(s.findApiKey("bad")).isEmpty();
        }
    }

    /** A store created by the previous release (schema version 2) gains the table on open and keeps its data. */
    @Test
    void aVersion2StoreIsMigrated() throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve(SqliteStore.DB_FILE_NAME));
        Flyway.configure(SqliteStore.class.getClassLoader()).dataSource(ds).locations(SqliteStore.MIGRATIONS_LOCATION)
                .target("2").load().migrate();
        try (SqliteStore s = SqliteStore.open(dir)) {
            s.insertApiKey(key("after-upgrade", "a", 1, null, "bob", "default_native"));
            assertThat(s.findApiKey("after-upgrade")).isPresent();
        }
        assertThat(SqliteStoreTest.history(dir)).hasSize(SqliteStoreTest.migrationFiles());
    }

    private static List<String> ids(SqliteStore s, ApiKeyFilter f) {
        return s.findApiKeys(f).stream().map(ApiKeyRecord::id).toList();
    }
}
