package io.svctoken.core.realm;

import io.svctoken.core.hash.Hasher;

import java.time.Duration;

/**
 * A realm's login cache ({@code cache.ttl}, {@code cache.max_users}, {@code cache.hash_algo} of
 * Elasticsearch's realm settings); a zero or negative {@code ttl}, or {@code maxUsers} 0, disables it.
 */
public record RealmCacheConfig(Duration ttl, int maxUsers, Hasher hasher) {

    /** Elasticsearch's defaults: 20 minutes, 100000 users, {@code ssha256}. */
    public static final RealmCacheConfig DEFAULT = new RealmCacheConfig(Duration.ofMinutes(20), 100_000, Hasher.resolve("ssha256"));
}
