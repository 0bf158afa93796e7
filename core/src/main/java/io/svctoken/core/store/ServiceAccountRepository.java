package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;

import java.util.List;
import java.util.Optional;

/**
 * Persistence of user-managed service accounts; blocking, called from worker threads only. Failures are
 * {@link StoreException}s. The checks against the account's tokens run in the write's transaction.
 */
public interface ServiceAccountRepository {

    /** What a put did. */
    enum PutResult { CREATED, REPLACED, LEFTOVER_TOKENS }

    /** What a delete did. */
    enum DeleteResult { DELETED, NOT_FOUND, HAS_TOKENS }

    /**
     * Inserts, or replaces every field but the creator and the creation time (a replacement keeps those and records
     * {@code account}'s creator and time as the editor and edit time). A new account whose name still has stored tokens
     * is refused ({@link PutResult#LEFTOVER_TOKENS}, nothing written). {@code revocation}'s event (null: none) commits
     * with the write.
     */
    PutResult putAccount(ServiceAccountRecord account, Revocation revocation);

    Optional<ServiceAccountRecord> findAccount(ServiceAccountId id);

    /**
     * Deletes the account; unless {@code force}, an account with stored tokens is kept ({@link DeleteResult#HAS_TOKENS}).
     * The tokens themselves are never deleted. {@code revocation}'s event (null: none) commits with a delete.
     */
    DeleteResult deleteAccount(ServiceAccountId id, boolean force, Revocation revocation);

    /** All accounts, sorted by principal. */
    List<ServiceAccountRecord> listAccounts();
}
