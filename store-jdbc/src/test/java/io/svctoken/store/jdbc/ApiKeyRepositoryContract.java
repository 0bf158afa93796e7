package io.svctoken.store.jdbc;

import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.ApiKeyRepository;
import io.svctoken.core.store.Store;
import io.svctoken.core.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link ApiKeyRepository}, for every store. */
public abstract class ApiKeyRepositoryContract extends StoreContract {

    private static ApiKeyRecord key(String id, String name, long created, Long expires, String owner, String realm) {
        return new ApiKeyRecord(id, name, ApiKeyRecord.TYPE_REST, "{SSHA256}hash-of-" + id, created, expires, false, null, owner, realm,
                realm.equals("_service_account") ? "_service_account" : "native",
                "{\"principal\":\"" + owner + "\",\"full_name\":null,\"email\":null,\"metadata\":{},\"realm\":\"" + realm + "\"}",
                "{\"r1\":{\"cluster\":[\"monitor\"]}}", "{\"superuser\":{\"cluster\":[\"all\"]}}", "{\"team\":\"a\"}", 8_19_00_99);
    }

    @Test
    void keysRoundTripAndSurviveReopen() {
        store.apiKeys().insertApiKey(key("id-b", "beta", 2000, null, "bob", "default_native"));
        store.apiKeys().insertApiKey(key("id-a", "alpha", 1000, 5000L, "amy", "default_native"));
        store.close();

        ApiKeyRepository keys = another().apiKeys();
        ApiKeyRecord a = keys.findApiKey("id-a").orElseThrow();
        assertThat(a).isEqualTo(key("id-a", "alpha", 1000, 5000L, "amy", "default_native"));
        assertThat(a.invalidated()).isFalse();
        assertThat(a.invalidationTimeMillis()).isNull();
        assertThat(keys.findApiKey("id-b").orElseThrow().expirationTimeMillis()).isNull();
        assertThat(keys.findApiKey("nope")).isEmpty();
        assertThat(keys.findApiKeys(ApiKeyFilter.all())).extracting(ApiKeyRecord::id).containsExactly("id-a", "id-b");
    }

    @Test
    void filtersAsElasticsearchSelectsKeys() {
        ApiKeyRepository keys = store.apiKeys();
        keys.insertApiKey(key("k1", "fleet-1", 1, null, "elastic/fleet-server", "_service_account"));
        keys.insertApiKey(key("k2", "fleet-2", 2, 10L, "elastic/fleet-server", "_service_account"));
        keys.insertApiKey(key("k3", "other", 3, null, "bob", "default_native"));
        keys.insertApiKey(key("k4", "fleet*", 4, null, "bob", "default_file"));
        keys.insertApiKey(key("k5", "éclair", 5, null, "bob", "default_file"));
        keys.insertApiKey(key("k6", "Fleet-3", 6, null, "bob", "default_file"));
        assertThat(ids(keys, new ApiKeyFilter(null, "fleet*", null, null, false, null))).containsExactly("k1", "k2", "k4");
        assertThat(ids(keys, new ApiKeyFilter(null, "fleet-1", null, null, false, null))).containsExactly("k1");
        assertThat(ids(keys, new ApiKeyFilter(null, "é*", null, null, false, null))).containsExactly("k5");
        assertThat(ids(keys, new ApiKeyFilter(null, "éc*", null, null, false, null))).containsExactly("k5");
        assertThat(ids(keys, new ApiKeyFilter(null, "*", null, null, false, null))).containsExactly("k1", "k2", "k3", "k4", "k5", "k6");
        assertThat(ids(keys, new ApiKeyFilter(List.of("k3", "k1", "zz"), null, null, null, false, null))).containsExactly("k1", "k3");
        assertThat(ids(keys, new ApiKeyFilter(null, null, "bob", null, false, null))).containsExactly("k3", "k4", "k5", "k6");
        assertThat(ids(keys, new ApiKeyFilter(null, null, "bob", List.of("default_file"), false, null))).containsExactly("k4", "k5", "k6");
        assertThat(ids(keys, new ApiKeyFilter(null, null, null, null, false, 10L))).containsExactly("k1", "k3", "k4", "k5", "k6");
        assertThat(ids(keys, new ApiKeyFilter(null, null, null, null, false, 9L))).containsExactly("k1", "k2", "k3", "k4", "k5", "k6");

        assertThat(keys.invalidateApiKeys(List.of("k3", "k1", "unknown"), 77)).containsExactly("k3", "k1");
        assertThat(keys.invalidateApiKeys(List.of("k1"), 99)).isEmpty(); // already invalidated: kept as it was
        ApiKeyRecord k1 = keys.findApiKey("k1").orElseThrow();
        assertThat(k1.invalidated()).isTrue();
        assertThat(k1.invalidationTimeMillis()).isEqualTo(77L);
        assertThat(ids(keys, new ApiKeyFilter(null, null, null, null, true, null))).containsExactly("k2", "k4", "k5", "k6");
        assertThat(ids(keys, ApiKeyFilter.all())).hasSize(6); // invalidated keys are kept
        // the filter evaluated in Java agrees with the query
        for (ApiKeyFilter f : List.of(new ApiKeyFilter(null, "fleet*", "bob", null, true, null), new ApiKeyFilter(null, null, null, null, false, 10L),
                new ApiKeyFilter(null, "F*", null, null, false, null))) {
            assertThat(ids(keys, f)).isEqualTo(keys.findApiKeys(ApiKeyFilter.all()).stream().filter(f::matches).map(ApiKeyRecord::id).toList());
        }
    }

    @Test
    void duplicateIdsAndBadJsonAreRefused() {
        ApiKeyRepository keys = store.apiKeys();
        keys.insertApiKey(key("dup", "a", 1, null, "bob", "default_native"));
        assertThatThrownBy(() -> keys.insertApiKey(key("dup", "b", 2, null, "bob", "default_native")))
                .isInstanceOf(StoreException.class).hasMessageContaining("insert API key [dup]").hasMessageNotContaining("hash-of");
        ApiKeyRecord k = key("bad", "a", 1, null, "bob", "default_native");
        ApiKeyRecord badJson = new ApiKeyRecord(k.id(), k.name(), k.type(), k.apiKeyHash(), 1, null, false, null, "bob", "r", "native",
                k.creatorJson(), "[1]", k.limitedByJson(), k.metadataJson(), 1);
        assertThatThrownBy(() -> keys.insertApiKey(badJson)).isInstanceOf(StoreException.class).hasMessageNotContaining("hash-of");
        assertThat(keys.findApiKey("bad")).isEmpty();
        assertThat(keys.findApiKey("dup").orElseThrow().name()).isEqualTo("a");
    }

    @Test
    void updateReplacesTheChangeablePartsOfAKeyNotInvalidated() {
        ApiKeyRepository keys = store.apiKeys();
        ApiKeyRecord k = key("u1", "upd", 10, null, "bob", "default_native");
        keys.insertApiKey(k);
        // name, type, hash, creation and owner are the stored ones whatever the record says
        ApiKeyRecord next = new ApiKeyRecord("u1", "other-name", k.type(), "{SSHA256}other", 11, 5000L, false, null, "bob", "default_native",
                "native", "{\"principal\":\"bob\",\"full_name\":\"Bob\"}", "{}", "{\"r2\":{\"cluster\":[\"all\"]}}", "{\"v\":2}", 9_05_00_99);
        assertThat(keys.updateApiKey(next, null)).isTrue();
        ApiKeyRecord stored = keys.findApiKey("u1").orElseThrow();
        assertThat(stored).isEqualTo(new ApiKeyRecord("u1", "upd", k.type(), k.apiKeyHash(), 10, 5000L, false, null, "bob", "default_native",
                "native", next.creatorJson(), "{}", next.limitedByJson(), "{\"v\":2}", 9_05_00_99));
        // back to no expiration
        ApiKeyRecord forever = new ApiKeyRecord("u1", "upd", k.type(), k.apiKeyHash(), 10, null, false, null, "bob", "default_native",
                "native", k.creatorJson(), k.roleDescriptorsJson(), k.limitedByJson(), k.metadataJson(), k.version());
        assertThat(keys.updateApiKey(forever, null)).isTrue();
        assertThat(keys.findApiKey("u1").orElseThrow()).isEqualTo(k);
        assertThat(keys.updateApiKey(key("missing", "m", 1, null, "bob", "default_native"), null)).isFalse();
        keys.invalidateApiKeys(List.of("u1"), 50);
        assertThat(keys.updateApiKey(next, null)).isFalse(); // invalidated keys stay as they are
        assertThat(keys.findApiKey("u1").orElseThrow().metadataJson()).isEqualTo(k.metadataJson());
    }

    /** Two writers invalidating overlapping sets at once: each key is reported invalidated by exactly one of them. */
    @Test
    void concurrentInvalidationsThroughTwoStoresReportEachKeyOnce() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "key-" + (char) ('a' + i);
            store.apiKeys().insertApiKey(key(id, "n", i, null, "bob", "default_native"));
            all.add(id);
        }
        List<Store> stores = List.of(store, another());
        List<Callable<List<String>>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Store s = stores.get(t % 2);
            List<String> mine = new ArrayList<>(all);
            Collections.shuffle(mine, new Random(t));
            long time = 1000 + t;
            tasks.add(() -> s.apiKeys().invalidateApiKeys(mine, time));
        }
        List<String> reported = race(tasks).stream().flatMap(List::stream).toList();
        assertThat(reported).containsExactlyInAnyOrderElementsOf(all);
        assertThat(store.apiKeys().findApiKeys(ApiKeyFilter.all())).allMatch(ApiKeyRecord::invalidated);
    }

    private static List<String> ids(ApiKeyRepository keys, ApiKeyFilter f) {
        return keys.findApiKeys(f).stream().map(ApiKeyRecord::id).toList();
    }
}
