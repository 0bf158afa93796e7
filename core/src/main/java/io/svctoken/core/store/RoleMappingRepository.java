package io.svctoken.core.store;

import java.util.List;

/** Persistence of role mappings; blocking, called from worker threads only. Failures are {@link StoreException}s. */
public interface RoleMappingRepository {

    /**
     * Inserts or replaces, and appends {@code revocation}'s event (null: none) in the same transaction.
     *
     * @return true when the mapping did not exist before
     */
    boolean putMapping(RoleMappingRecord mapping, Revocation revocation);

    /**
     * Deletes and appends {@code revocation}'s event (null: none) in one transaction.
     *
     * @return whether a mapping was deleted
     */
    boolean deleteMapping(String name, Revocation revocation);

    /** All mappings, sorted by name. */
    List<RoleMappingRecord> listMappings();
}
