package io.svctoken.core.store;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.token.ServiceAccountToken;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Caches a store's successful verifications, keyed by qualified token name. An entry
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

    /*
     * A cached value is one byte array, kept small on purpose (heap per cached token): byte 0 holds the
     * result (bit 0: success, bit 1: the token source, bit 2: an expiry follows), then, for a token that
     * expires, its expiry in 8 bytes, then the cache hasher's compact hash.
     */
    private static final int EXPIRES = 4;

    private static byte[] entry(StoreAuthenticationResult r, byte[] hash) {
        boolean expires = r.success() && r.expiresAtMillis() != StoreAuthenticationResult.NEVER;
        int offset = expires ? 9 : 1;
        byte[] e = new byte[hash.length + offset];
        e[0] = (byte) ((r.success() ? 1 : 0) | (r.source().ordinal() << 1) | (expires ? EXPIRES : 0));
        if (expires) {
            long x = r.expiresAtMillis();
            for (int i = 8; i >= 1; i--) {
                e[i] = (byte) x;
                x >>>= 8;
            }
        }
        System.arraycopy(hash, 0, e, offset, hash.length);
        return e;
    }

    private static long expiry(byte[] entry) {
        long x = 0;
        for (int i = 1; i <= 8; i++) {
            x = (x << 8) | (entry[i] & 0xFF);
        }
        return x;
    }

    private static StoreAuthenticationResult result(byte[] entry) {
        TokenSource source = TokenSource.values()[(entry[0] >> 1) & 1];
        return (entry[0] & EXPIRES) != 0 ? StoreAuthenticationResult.success(source, expiry(entry))
                : StoreAuthenticationResult.of((entry[0] & 1) == 1, source);
    }

    private boolean matches(ServiceAccountToken token, byte[] entry) {
        int offset = (entry[0] & EXPIRES) != 0 ? 9 : 1;
        return cacheHasher.verifyCompact(token.secret(), entry, offset, entry.length - offset);
    }

    private final ServiceAccountTokenStore delegate;
    private final Hasher cacheHasher;
    private final AsyncCache<String, byte[]> cache; // null when disabled
    private final BooleanSupplier usable;
    private final Clock clock;

    /**
     * @param ttl         {@code ...service_token.cache.ttl}; zero or negative disables caching
     * @param maxTokens   {@code ...service_token.cache.max_tokens}
     * @param cacheHasher {@code ...service_token.cache.hash_algo}
     */
    public CachingServiceAccountTokenStore(ServiceAccountTokenStore delegate, Duration ttl, long maxTokens, Hasher cacheHasher, Executor executor) {
        this(delegate, ttl, maxTokens, cacheHasher, executor, () -> true);
    }

    /** @param usable false: every authentication goes to the delegate (a node that may have missed invalidations) */
    public CachingServiceAccountTokenStore(ServiceAccountTokenStore delegate, Duration ttl, long maxTokens, Hasher cacheHasher, Executor executor,
                                           BooleanSupplier usable) {
        this(delegate, ttl, maxTokens, cacheHasher, executor, usable, Clock.systemUTC());
    }

    /** @param clock ends a cached success at its token's expiry */
    public CachingServiceAccountTokenStore(ServiceAccountTokenStore delegate, Duration ttl, long maxTokens, Hasher cacheHasher, Executor executor,
                                           BooleanSupplier usable, Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        this.usable = Objects.requireNonNull(usable);
        this.delegate = Objects.requireNonNull(delegate);
        this.cacheHasher = Objects.requireNonNull(cacheHasher);
        this.cache = ttl.isZero() || ttl.isNegative() ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxTokens).executor(executor).recordStats().buildAsync();
    }

    @Override
    public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
        if (cache == null || !delegate.mayContain(token.id()) || !usable.getAsBoolean()) {
            return delegate.authenticate(token); // nothing to remember about a token the store surely lacks
        }
        String key = token.qualifiedName();
        AtomicBoolean loadedHere = new AtomicBoolean();
        AtomicReference<StoreAuthenticationResult> loaded = new AtomicReference<>(); // a failure's refusal is not in the entry
        CompletableFuture<byte[]> future = cache.get(key, (k, executor) -> {
            loadedHere.set(true);
            return delegate.authenticate(token).thenApply(r -> {
                loaded.set(r);
                return entry(r, cacheHasher.hashCompact(token.secret()));
            });
        });
        if (future.isCompletedExceptionally() && !loadedHere.get()) {
            // A failed lookup is dropped by the cache asynchronously; do not hand its error to a new request.
            cache.asMap().remove(key, future);
            return authenticate(token);
        }
        future.whenComplete((entry, error) -> {
            if (error != null) {
                cache.asMap().remove(key, future);
            }
        });
        return future.thenCompose(entry -> {
            StoreAuthenticationResult cached = result(entry);
            if (loadedHere.get()) {
                if (!cached.success()) {
                    cache.asMap().remove(key, future);
                    return CompletableFuture.completedFuture(loaded.get());
                }
                return CompletableFuture.completedFuture(cached);
            }
            if (matches(token, entry)) {
                if ((entry[0] & EXPIRES) != 0 && clock.millis() >= cached.expiresAtMillis()) {
                    // the token expired while cached: as the store would answer now
                    cache.asMap().remove(key, future);
                    return CompletableFuture.completedFuture(
                            StoreAuthenticationResult.refused(cached.source(), StoreAuthenticationResult.Refusal.EXPIRED));
                }
                return CompletableFuture.completedFuture(cached);
            }
            // Another secret is cached (or was in flight) for this name: ask the store, keep the entry.
            return delegate.authenticate(token).thenApply(r -> {
                if (r.success()) {
                    cache.put(key, CompletableFuture.completedFuture(entry(r, cacheHasher.hashCompact(token.secret()))));
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

    /** The cache, for its statistics (metrics); null when disabled. */
    public com.github.benmanes.caffeine.cache.Cache<?, ?> cache() {
        return cache == null ? null : cache.synchronous();
    }

    /** Entries currently cached (for tests and metrics). */
    public long estimatedSize() {
        return cache == null ? 0 : cache.synchronous().estimatedSize();
    }
}
