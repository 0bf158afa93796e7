package io.svctoken.core.store;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.token.ServiceAccountToken;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caches a store's successful verifications (rest-api §9), keyed by qualified token name. An entry
 * holds a cheap salted hash of the secret that succeeded, never the secret. As in Elasticsearch:
 * concurrent misses for a key share one lookup; a failure is evicted at once; a store error reaches
 * every waiter.
 *
 * <p>Better than Elasticsearch: a request with a <em>different</em> secret asks the store without
 * evicting the cached success (Elasticsearch evicts it), so that wrong secrets sent for a known token
 * name cannot push every legitimate request of that token back to the expensive hash. When the store
 * accepts the other secret, it replaces the entry.
 */
public final class CachingServiceAccountTokenStore implements ServiceAccountTokenStore {

    /** Kept small on purpose (heap per cached token): a shared result and the compact salted hash. */
    private record Entry(StoreAuthenticationResult result, byte[] secretHash) {
    }

    private final ServiceAccountTokenStore delegate;
    private final Hasher cacheHasher;
    private final AsyncCache<String, Entry> cache; // null when disabled

    /**
     * @param ttl         {@code ...service_token.cache.ttl}; zero or negative disables caching
     * @param maxTokens   {@code ...service_token.cache.max_tokens}
     * @param cacheHasher {@code ...service_token.cache.hash_algo}
     */
    public CachingServiceAccountTokenStore(ServiceAccountTokenStore delegate, Duration ttl, long maxTokens, Hasher cacheHasher, Executor executor) {
        this.delegate = Objects.requireNonNull(delegate);
        this.cacheHasher = Objects.requireNonNull(cacheHasher);
        this.cache = ttl.isZero() || ttl.isNegative() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxTokens).executor(executor).buildAsync();
    }

    @Override
    public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
        if (cache == null) {
            return delegate.authenticate(token);
        }
        String key = token.qualifiedName();
        AtomicBoolean loadedHere = new AtomicBoolean();
        CompletableFuture<Entry> future = cache.get(key, (k, executor) -> {
            loadedHere.set(true);
            return delegate.authenticate(token).thenApply(r -> new Entry(r, cacheHasher.hashCompact(token.secret())));
        });
        return future.thenCompose(entry -> {
            if (loadedHere.get()) {
                if (!entry.result().success()) {
                    cache.asMap().remove(key, future);
                }
                return CompletableFuture.completedFuture(entry.result());
            }
            if (cacheHasher.verifyCompact(token.secret(), entry.secretHash())) {
                return CompletableFuture.completedFuture(entry.result());
            }
            // Another secret is cached (or was in flight) for this name: ask the store, keep the entry.
            return delegate.authenticate(token).thenApply(r -> {
                if (r.success()) {
                    cache.put(key, CompletableFuture.completedFuture(new Entry(r, cacheHasher.hashCompact(token.secret()))));
                }
                return r;
            });
        });
    }

    /** Evicts one qualified name. */
    public void invalidate(String qualifiedName) {
        if (cache != null) {
            cache.synchronous().invalidate(qualifiedName);
        }
    }

    /** Evicts every key that starts with {@code prefix} (e.g. {@code elastic/fleet-server/}). */
    public void invalidatePrefix(String prefix) {
        if (cache != null) {
            cache.asMap().keySet().removeIf(k -> k.startsWith(prefix));
        }
    }

    public void invalidateAll() {
        if (cache != null) {
            cache.synchronous().invalidateAll();
        }
    }

    /** Entries currently cached (for tests and metrics). */
    public long estimatedSize() {
        return cache == null ? 0 : cache.synchronous().estimatedSize();
    }
}
