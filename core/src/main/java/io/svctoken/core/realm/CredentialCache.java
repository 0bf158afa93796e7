package io.svctoken.core.realm;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.authc.User;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

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
    /** Counts invalidations, so that a login that read the store before one ran does not cache it after. */
    private final AtomicLong invalidations = new AtomicLong();
    private final BooleanSupplier usable;

    CredentialCache(RealmCacheConfig settings) {
        this(settings, () -> true);
    }

    /** @param usable false: lookups miss (every login is verified against the realm), entries are still written */
    CredentialCache(RealmCacheConfig settings, BooleanSupplier usable) {
        this.usable = usable;
        this.hasher = settings.hasher();
        Duration ttl = settings.ttl();
        this.cache = ttl.isZero() || ttl.isNegative() || settings.maxUsers() == 0 ? null
                : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(settings.maxUsers()).recordStats().build();
    }

    /** The Caffeine cache, for its statistics (metrics); null when disabled. */
    Cache<?, ?> caffeine() {
        return cache;
    }

    Optional<User> get(String username, Secret password) {
        if (cache == null || !usable.getAsBoolean()) {
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
     * A password login against a user held in memory: a cache hit answers at once; otherwise the hash
     * {@code storedHash} gives is verified on {@code worker} and a success is remembered. The hash is read
     * after the invalidation count, so a reload that swaps the users and then invalidates can never leave
     * a login with the old hash cached.
     *
     * @param storedHash the user's current hash, or null when the realm does not know the user
     */
    CompletableFuture<Realm.Result> verify(String username, Secret password, Supplier<String> storedHash, Supplier<User> user,
                                           Executor worker) {
        long generation = invalidations.get();
        String hash = storedHash.get();
        if (hash == null) {
            return CompletableFuture.completedFuture(Realm.Result.NOT_FOUND);
        }
        Optional<User> hit = get(username, password);
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(Realm.Result.success(hit.get()));
        }
        return CompletableFuture.supplyAsync(() -> verifyNow(username, password, hash, user, generation), worker);
    }

    /**
     * A password login against users kept in the store: a cache hit answers at once; otherwise the
     * record is read and its hash verified on {@code worker}, and a success is remembered.
     */
    CompletableFuture<Realm.Result> authenticate(String username, Secret password, Executor worker, UserRepository users,
                                                 Function<UserRecord, User> toUser) {
        Optional<User> hit = get(username, password);
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(Realm.Result.success(hit.get()));
        }
        return CompletableFuture.supplyAsync(() -> {
            long generation = invalidations.get();
            Optional<UserRecord> stored = users.findUser(username);
            if (stored.isEmpty() || !stored.get().enabled() || stored.get().passwordHash() == null) {
                // gone, disabled or without a password: a cached login is stale. Not counted as an invalidation
                // (requests for unknown names would otherwise keep every other user's logins out of the cache).
                if (cache != null) {
                    cache.invalidate(username);
                }
                return Realm.Result.NOT_FOUND;
            }
            return verifyNow(username, password, stored.get().passwordHash(), () -> toUser.apply(stored.get()), generation);
        }, worker);
    }

    /** @param generation {@link #invalidations} before {@code storedHash} was read */
    private Realm.Result verifyNow(String username, Secret password, String storedHash, Supplier<User> user, long generation) {
        if (!Hasher.verifyHash(password, storedHash)) {
            // A cached success for another password stays (as in Elasticsearch's realms): wrong passwords sent
            // for a known user must not push its real client back to the expensive hash.
            return Realm.Result.WRONG_PASSWORD;
        }
        User u = user.get();
        put(username, password, u);
        if (invalidations.get() != generation && cache != null) {
            // a password change, disable or delete ran meanwhile: what was read may be stale, do not keep it
            cache.invalidate(username);
        }
        return Realm.Result.success(u);
    }

    /** Forgets {@code username}'s login; called after the store or file changed (see {@link #invalidations}). */
    void invalidate(String username) {
        invalidations.incrementAndGet();
        if (cache != null) {
            cache.invalidate(username);
        }
    }

    void invalidateAll() {
        invalidations.incrementAndGet();
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
