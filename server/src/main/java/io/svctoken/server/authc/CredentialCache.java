package io.svctoken.server.authc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;

import java.time.Duration;
import java.util.Optional;

/**
 * A realm's cache of successful logins: a cheap salted hash of the password that worked, never the
 * password, so that each request does not pay for bcrypt (Elasticsearch's realms cache the same way).
 * A different password is checked against the realm without evicting the entry; only a success
 * replaces it, and the realm's invalidations (password change, disable, delete) remove it.
 */
final class CredentialCache {

    private record Entry(String hash, User user) {
    }

    private final Hasher hasher;
    private final Cache<String, Entry> cache;

    CredentialCache(io.svctoken.server.settings.RealmSettings.Cache settings) {
        this.hasher = settings.hasher();
        Duration ttl = settings.ttl();
        this.cache = ttl.isZero() || ttl.isNegative() || settings.maxUsers() == 0 ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(settings.maxUsers()).build();
    }

    Optional<User> get(String username, Secret password) {
        if (cache == null) {
            return Optional.empty();
        }
        Entry e = cache.getIfPresent(username);
        return e != null && Hasher.verifyHash(password, e.hash) ? Optional.of(e.user) : Optional.empty();
    }

    void put(String username, Secret password, User user) {
        if (cache != null) {
            cache.put(username, new Entry(hasher.hash(password), user));
        }
    }

    /**
     * A password login against users kept in the store: a cache hit answers at once; otherwise the
     * record is read and its hash verified on {@code worker}, and a success is remembered.
     */
    java.util.concurrent.CompletableFuture<Optional<User>> authenticate(String username, Secret password, java.util.concurrent.Executor worker,
            io.svctoken.core.store.UserRepository users, java.util.function.Function<io.svctoken.core.store.UserRecord, User> toUser) {
        Optional<User> hit = get(username, password);
        if (hit.isPresent()) {
            return java.util.concurrent.CompletableFuture.completedFuture(hit);
        }
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            Optional<io.svctoken.core.store.UserRecord> stored = users.findUser(username);
            if (stored.isEmpty() || !stored.get().enabled() || stored.get().passwordHash() == null) {
                invalidate(username); // gone, disabled or without a password: a cached login is stale
                return Optional.<User>empty();
            }
            if (!Hasher.verifyHash(password, stored.get().passwordHash())) {
                // A cached success for another password stays (Elasticsearch evicts it): wrong passwords sent
                // for a known user must not push its real client back to the expensive hash.
                return Optional.<User>empty();
            }
            User user = toUser.apply(stored.get());
            put(username, password, user);
            return Optional.of(user);
        }, worker);
    }

    void invalidate(String username) {
        if (cache != null) {
            cache.invalidate(username);
        }
    }

    void invalidateAll() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
