package io.svctoken.core.store;

import java.util.List;
import java.util.Optional;

/** Persistence of users; blocking, called from worker threads only. Failures are {@link StoreException}s. */
public interface UserRepository {

    Optional<UserRecord> findUser(String username);

    /** All users, sorted by name. */
    List<UserRecord> listUsers();

    /** Inserts unless a user of that name exists (atomically). @return whether it was inserted */
    boolean insertUserIfAbsent(UserRecord user);

    /** Inserts or replaces. */
    default void putUser(UserRecord user) {
        putUser(user, null);
    }

    /** Inserts or replaces, and appends {@code revocation}'s event (null: none) in the same transaction. */
    void putUser(UserRecord user, Revocation revocation);

    /** @return whether a user was deleted */
    default boolean deleteUser(String username) {
        return deleteUser(username, null);
    }

    /**
     * Deletes and appends {@code revocation}'s event (null: none) in one transaction, whether or not the user was there.
     *
     * @return whether a user was deleted
     */
    boolean deleteUser(String username, Revocation revocation);
}
