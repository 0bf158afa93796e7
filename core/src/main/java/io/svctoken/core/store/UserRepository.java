package io.svctoken.core.store;

import java.util.Optional;

/** Persistence of users; blocking, called from worker threads only. Failures are {@link StoreException}s. */
public interface UserRepository {

    Optional<UserRecord> findUser(String username);

    /** All users, sorted by name. */
    java.util.List<UserRecord> listUsers();

    /** Inserts unless a user of that name exists (atomically). @return whether it was inserted */
    boolean insertUserIfAbsent(UserRecord user);

    /** Inserts or replaces. */
    void putUser(UserRecord user);

    /** @return whether a user was deleted */
    boolean deleteUser(String username);
}
