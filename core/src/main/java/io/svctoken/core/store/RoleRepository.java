package io.svctoken.core.store;

import java.util.List;
import java.util.Optional;

/** Persistence of native roles; blocking, called from worker threads only. Failures are {@link StoreException}s. */
public interface RoleRepository {

    /** Inserts or replaces. @return true when the role did not exist before */
    default boolean putRole(RoleRecord role) {
        return putRole(role, null);
    }

    /**
     * Inserts or replaces, and appends {@code revocation}'s event (null: none) in the same transaction.
     *
     * @return true when the role did not exist before
     */
    boolean putRole(RoleRecord role, Revocation revocation);

    Optional<RoleRecord> findRole(String name);

    /** @return whether a role was deleted */
    default boolean deleteRole(String name) {
        return deleteRole(name, null);
    }

    /**
     * Deletes and appends {@code revocation}'s event (null: none) in one transaction, whether or not the role was there.
     *
     * @return whether a role was deleted
     */
    boolean deleteRole(String name, Revocation revocation);

    /** All roles, sorted by name. */
    List<RoleRecord> listRoles();
}
