package io.svctoken.server.authc;

import io.svctoken.core.secret.Secret;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A source of users (reserved, file, native). Realms are asked in order; slow work (store calls,
 * password hashing) runs on the worker pool, never on the caller's thread.
 */
public interface Realm {

    RealmRef ref();

    /** Success with the user, or empty: unknown user, wrong password or disabled (the next realm is asked). */
    CompletableFuture<Optional<User>> authenticate(String username, Secret password);

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
}
