package io.svctoken.store.sqlite;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.account.UserManagedServiceAccounts;
import io.svctoken.core.store.ServiceAccountRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core's cache of user-managed accounts over a real SQLite store: a write through another handle (another node) is seen
 * only once the invalidation names the account (or at once when the cache is off); a write through the same instance
 * clears the entry itself.
 */
class UserManagedAccountCacheTest {

    private static final ServiceAccountId APPS = new ServiceAccountId("apps", "svc_1");

    @TempDir
    Path data;
    private final ExecutorService worker = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private static ServiceAccountRecord account(boolean enabled) {
        return ServiceAccountRecord.written(APPS, List.of("r"), enabled, null, null, 1L);
    }

    @Test
    void anEntryIsServedFromTheCacheUntilAnInvalidationNamesIt() throws Exception {
        try (SqliteStore store = SqliteStore.open(data); SqliteStore elsewhere = SqliteStore.open(data)) {
            UserManagedServiceAccounts accounts = new UserManagedServiceAccounts(store.serviceAccounts(), worker, Duration.ofMinutes(20), 100);
            assertThat(accounts.find(APPS).get()).isEmpty(); // an absence is cached too
            elsewhere.serviceAccounts().putAccount(account(true), null);
            assertThat(accounts.find(APPS).get()).isEmpty();
            accounts.invalidate(List.of("apps/other"));
            assertThat(accounts.find(APPS).get()).isEmpty();
            accounts.invalidate(List.of(APPS.asPrincipal()));
            assertThat(accounts.find(APPS).get()).hasValueSatisfying(a -> assertThat(a.enabled()).isTrue());

            elsewhere.serviceAccounts().putAccount(account(false), null);
            accounts.invalidate(null);
            assertThat(accounts.find(APPS).get()).hasValueSatisfying(a -> assertThat(a.enabled()).isFalse());
            // this instance's own write clears its entry
            accounts.put(account(true)).get();
            assertThat(accounts.find(APPS).get()).hasValueSatisfying(a -> assertThat(a.enabled()).isTrue());
            accounts.delete(APPS, false).get();
            assertThat(accounts.find(APPS).get()).isEmpty();
        }
    }

    @Test
    void aZeroTtlDisablesTheCache() throws Exception {
        try (SqliteStore store = SqliteStore.open(data); SqliteStore elsewhere = SqliteStore.open(data)) {
            UserManagedServiceAccounts accounts = new UserManagedServiceAccounts(store.serviceAccounts(), worker, Duration.ZERO, 100);
            assertThat(accounts.cache()).isNull();
            assertThat(accounts.find(APPS).get()).isEmpty();
            elsewhere.serviceAccounts().putAccount(account(true), null);
            assertThat(accounts.find(APPS).get()).isPresent();
        }
    }
}
