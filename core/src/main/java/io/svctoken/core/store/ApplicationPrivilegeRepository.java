package io.svctoken.core.store;

import java.util.List;

/** Persistence of application privileges; blocking, called from worker threads only. Failures are {@link StoreException}s. */
public interface ApplicationPrivilegeRepository {

    /**
     * Inserts or replaces each privilege and appends {@code revocation}'s event (null: none), all in one transaction.
     *
     * @return for each privilege in the given order, whether it did not exist before
     */
    List<Boolean> putPrivileges(List<ApplicationPrivilegeRecord> privileges, Revocation revocation);

    /**
     * Deletes the named privileges of one application and appends {@code revocation}'s event (null: none) in one transaction.
     *
     * @return the names that were there, in the given order
     */
    List<String> deletePrivileges(String application, List<String> names, Revocation revocation);

    /** All privileges, sorted by application, then name. */
    List<ApplicationPrivilegeRecord> listPrivileges();
}
