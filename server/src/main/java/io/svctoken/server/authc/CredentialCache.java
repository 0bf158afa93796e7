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
 */
final class CredentialCache {

    private record Entry(String hash, User user) {
    }

    private final Hasher hasher;
    private final Cache<String, Entry> cache;

    CredentialCache(Hasher hasher, Duration ttl) {
        this.hasher = hasher;
        this.cache = ttl.isZero() || ttl.isNegative() ? null : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
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
