package io.svctoken.core.store;

import java.util.List;
import java.util.Optional;

/** Persistence of native roles; blocking, called from worker threads only. Failures are {@link StoreException}s. */
public interface RoleRepository {

    /** Inserts or replaces. @return true when the role did not exist before */
    boolean putRole(RoleRecord role);

    Optional<RoleRecord> findRole(String name);

    /** @return whether a role was deleted */
    boolean deleteRole(String name);

    /** All roles, sorted by name. */
    List<RoleRecord> listRoles();
}
