package io.svctoken.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of API keys, implemented by the {@code store-*} modules. Methods block and are called
 * from worker threads only. Failures are {@link StoreException}s.
 */
public interface ApiKeyRepository {

    /** Inserts; an existing id fails with {@link StoreException} (ids are random, so this is not expected). */
    void insertApiKey(ApiKeyRecord key);

    Optional<ApiKeyRecord> findApiKey(String id);

    /** The keys matching {@code filter}, oldest first (ties by id). */
    List<ApiKeyRecord> findApiKeys(ApiKeyFilter filter);

    /**
     * Marks the given keys invalidated at {@code timeMillis} (keys are kept, as in Elasticsearch).
     *
     * @return the ids that were active before and are invalidated now; ids already invalidated or unknown are not listed
     */
    default List<String> invalidateApiKeys(Collection<String> ids, long timeMillis) {
        return invalidateApiKeys(ids, timeMillis, null);
    }

    /**
     * As {@link #invalidateApiKeys(Collection, long)}, and appends {@code revocation}'s event in the same
     * transaction when a key was invalidated: the event names the ids invalidated now (not
     * {@code revocation}'s keys). None invalidated: no event.
     *
     * @param revocation null: no event
     */
    List<String> invalidateApiKeys(Collection<String> ids, long timeMillis, Revocation revocation);

    /**
     * Replaces what an update may change (descriptors, limited-by descriptors, metadata, expiration, creator,
     * version) of a key that is not invalidated, and appends {@code revocation}'s event in the same
     * transaction when it did (the event names this key).
     *
     * @param updated    the key as it is to be stored; its id selects the row, its other fields are ignored
     * @param revocation null: no event
     * @return whether the key was updated (false: unknown or invalidated meanwhile)
     */
    boolean updateApiKey(ApiKeyRecord updated, Revocation revocation);
}
