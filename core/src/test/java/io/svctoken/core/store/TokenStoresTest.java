package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenStoresTest {

    private static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");
    private final ExecutorService worker = Executors.newFixedThreadPool(4);
    private final InMemoryTokenRepository repo = new InMemoryTokenRepository();
    private final IndexServiceAccountTokenStore index =
            new IndexServiceAccountTokenStore(repo, Hasher.resolve("pbkdf2_1000"), worker, Clock.systemUTC(), 8190099);

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private ServiceAccountToken created(String name) throws Exception {
        ServiceAccountToken t = ServiceAccountToken.newToken(FLEET, name);
        index.create(t, "{}").get(10, TimeUnit.SECONDS);
        return t;
    }

    private static ServiceAccountToken withSecret(ServiceAccountToken t, String secret) {
        return new ServiceAccountToken(t.id(), Secret.of(secret));
    }

    @Test
    void indexStoreCreatesVerifiesListsDeletes() throws Exception {
        ServiceAccountToken t = created("t1");
        created("a0");
        TokenRecord r = repo.records.get(t.id());
        assertThat(r.passwordHash()).startsWith("{PBKDF2}1000$").doesNotContain(t.secret().revealAsString(SecretAccess.plaintext()));
        assertThat(r.version()).isEqualTo(8190099);
        assertThat(index.authenticate(t).get()).isEqualTo(StoreAuthenticationResult.success(TokenSource.INDEX));
        assertThat(index.authenticate(withSecret(t, "wrong-secret-value")).get().success()).isFalse();
        assertThat(index.tokenNames(FLEET).get()).containsExactly("a0", "t1");
        assertThat(index.delete(t.id()).get()).isTrue();
        assertThat(index.delete(t.id()).get()).isFalse();
        assertThat(index.authenticate(t).get().success()).isFalse();
    }

    @Test
    void duplicateCreateFailsWithDuplicateTokenException() throws Exception {
        ServiceAccountToken t = created("dup");
        assertThatThrownBy(() -> index.create(ServiceAccountToken.newToken(FLEET, "dup"), "{}").get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DuplicateTokenException.class);
        assertThat(index.authenticate(t).get().success()).isTrue(); // the first one is intact
    }

    @Test
    void cacheServesRepeatedSuccessesWithoutTheStore() throws Exception {
        ServiceAccountToken t = created("t1");
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(index, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.authenticate(t).get().success()).isTrue();
        }
        assertThat(repo.finds.get()).isEqualTo(1);
        assertThat(cache.estimatedSize()).isEqualTo(1);
    }

    @Test
    void failuresAreNotCachedAndAWrongSecretNeverHitsACachedSuccess() throws Exception {
        ServiceAccountToken t = created("t1");
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(index, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker);
        assertThat(cache.authenticate(withSecret(t, "wrong-secret-value")).get().success()).isFalse();
        assertThat(cache.estimatedSize()).isZero();
        assertThat(cache.authenticate(t).get().success()).isTrue();
        int before = repo.finds.get();
        // a different secret asks the store again...
        assertThat(cache.authenticate(withSecret(t, "wrong-secret-value")).get().success()).isFalse();
        assertThat(repo.finds.get()).isEqualTo(before + 1);
        // ...but does not evict the cached success (better than Elasticsearch: no forced re-hashing)
        assertThat(cache.authenticate(t).get().success()).isTrue();
        assertThat(repo.finds.get()).isEqualTo(before + 1);
        assertThat(cache.estimatedSize()).isEqualTo(1);
    }

    @Test
    void aNewSecretAcceptedByTheStoreReplacesTheCachedOne() throws Exception {
        ServiceAccountToken first = created("rotated");
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(index, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker);
        assertThat(cache.authenticate(first).get().success()).isTrue();
        // the token is recreated behind the cache's back (another node, no invalidation)
        index.delete(first.id()).get();
        ServiceAccountToken second = ServiceAccountToken.newToken(FLEET, "rotated");
        index.create(second, "{}").get();
        assertThat(cache.authenticate(second).get().success()).isTrue();
        int before = repo.finds.get();
        assertThat(cache.authenticate(second).get().success()).isTrue();
        assertThat(repo.finds.get()).isEqualTo(before);
    }

    @Test
    void concurrentMissesShareOneLookup() throws Exception {
        ServiceAccountToken t = created("t1");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        ServiceAccountTokenStore slow = token -> {
            calls.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return index.authenticate(token).join();
            }, worker);
        };
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(slow, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker);
        List<CompletableFuture<StoreAuthenticationResult>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(cache.authenticate(withSecret(t, t.secret().revealAsString(SecretAccess.plaintext()))));
        }
        release.countDown();
        for (CompletableFuture<StoreAuthenticationResult> f : all) {
            assertThat(f.get(10, TimeUnit.SECONDS).success()).isTrue();
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void storeErrorsReachTheCallerAndAreNotCached() throws Exception {
        ServiceAccountToken t = created("t1");
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(index, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker);
        repo.failWith = new StoreException("store is down");
        assertThatThrownBy(() -> cache.authenticate(t).get()).hasRootCauseMessage("store is down");
        repo.failWith = null;
        assertThat(cache.authenticate(t).get().success()).isTrue();
    }

    @Test
    void invalidationAndDisabledCache() throws Exception {
        ServiceAccountToken t = created("t1");
        ServiceAccountToken u = created("t2");
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(index, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker);
        cache.authenticate(t).get();
        cache.authenticate(u).get();
        cache.invalidate("elastic/fleet-server/t1");
        assertThat(cache.estimatedSize()).isEqualTo(1);
        cache.invalidatePrefix("elastic/fleet-server/");
        assertThat(cache.estimatedSize()).isZero();

        CachingServiceAccountTokenStore off = new CachingServiceAccountTokenStore(index, Duration.ZERO, 1000, Hasher.resolve("ssha256"), worker);
        int before = repo.finds.get();
        off.authenticate(t).get();
        off.authenticate(t).get();
        assertThat(repo.finds.get()).isEqualTo(before + 2);
        assertThat(off.estimatedSize()).isZero();
    }

    @Test
    void compositeAsksInOrderAndFirstSuccessWins() throws Exception {
        ServiceAccountToken t = created("t1");
        ServiceAccountTokenStore fileNo = token -> CompletableFuture.completedFuture(StoreAuthenticationResult.failure(TokenSource.FILE));
        ServiceAccountTokenStore fileYes = token -> CompletableFuture.completedFuture(StoreAuthenticationResult.success(TokenSource.FILE));
        assertThat(new CompositeServiceAccountTokenStore(List.of(fileNo, index)).authenticate(t).get())
                .isEqualTo(StoreAuthenticationResult.success(TokenSource.INDEX));
        int before = repo.finds.get();
        assertThat(new CompositeServiceAccountTokenStore(List.of(fileYes, index)).authenticate(t).get())
                .isEqualTo(StoreAuthenticationResult.success(TokenSource.FILE));
        assertThat(repo.finds.get()).isEqualTo(before);
        assertThat(new CompositeServiceAccountTokenStore(List.of(fileNo, index)).authenticate(withSecret(t, "nope-nope-nope")).get().success()).isFalse();
    }

    @Test
    void aStoreThatSurelyLacksTheTokenLeavesTheCacheUntouched() throws Exception {
        FileServiceAccountTokenStore file = new FileServiceAccountTokenStore(worker);
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(file, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker);
        ServiceAccountToken t = ServiceAccountToken.newToken(FLEET, "not-in-file");
        assertThat(cache.authenticate(t).get()).isEqualTo(StoreAuthenticationResult.failure(TokenSource.FILE));
        assertThat(cache.estimatedSize()).isZero();
        file.replaceTokens(Map.of(t.qualifiedName(), Hasher.resolve("pbkdf2_1000").hash(t.secret())));
        assertThat(cache.authenticate(t).get()).isEqualTo(StoreAuthenticationResult.success(TokenSource.FILE));
        assertThat(cache.estimatedSize()).isEqualTo(1);
    }

    @Test
    void tokenIdRejectsBadNames() {
        assertThatThrownBy(() -> TokenId.of("elastic/fleet-server", "_x")).hasMessageStartingWith("invalid service token name [_x].");
    }
}
