package io.svctoken.core.realm;

import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.User;
import io.svctoken.core.secret.Secret;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A source of users (reserved, file, native). Realms are asked in order; slow work (store calls,
 * password hashing) runs on the worker pool, never on the caller's thread.
 */
public interface Realm {

    RealmRef ref();

    /** The user, or why not; on any failure the next realm is asked. */
    CompletableFuture<Result> authenticate(String username, Secret password);

    /**
     * What a realm made of a user name and password. {@link #WRONG_PASSWORD}: the realm knows the user
     * and spent a hash verification on a password that did not match (the failures the authentication
     * throttle counts); {@link #NOT_FOUND}: unknown, disabled or without a password, no hash spent.
     */
    record Result(User user, boolean wrongPassword) {
        public static final Result NOT_FOUND = new Result(null, false);
        public static final Result WRONG_PASSWORD = new Result(null, true);

        public static Result success(User user) {
            return new Result(Objects.requireNonNull(user), false);
        }

        public boolean succeeded() {
            return user != null;
        }
    }

    /** The user for run-as, without credentials. */
    CompletableFuture<Optional<User>> lookup(String username);

    /**
     * For realms fed by files the node polls: re-read them now if they changed (so a user the CLI just
     * added or changed can log in at once). Asked only after every realm failed.
     */
    default CompletableFuture<Void> refresh() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Changes whenever the realm took in new content of its files (0 for realms without files). Compared
     * before an attempt and after {@link #refresh()}: a difference means the attempt may have used old
     * content — whether the poller or the refresh read the change — and is worth one more try.
     */
    default long generation() {
        return 0;
    }

    /** Forget cached credentials of {@code username} (after a password change, a disable, a delete). */
    default void invalidate(String username) {
    }

    /** Forget every cached credential (a node that may have missed invalidations). */
    default void invalidateAll() {
    }

    /** The login cache, for its statistics (metrics); null when this realm has none or it is disabled. */
    default com.github.benmanes.caffeine.cache.Cache<?, ?> loginCache() {
        return null;
    }
}
