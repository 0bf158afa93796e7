package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenId;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of API-created tokens, implemented by the {@code store-*} modules. Methods block and
 * are called from worker threads only. Failures are {@link StoreException}s.
 */
public interface TokenRepository {

    /** Inserts; a token with the same id makes it fail with {@link DuplicateTokenException} (unique key, not check-then-insert). */
    void insert(TokenRecord record) throws DuplicateTokenException;

    /** @return whether a token was deleted */
    default boolean delete(TokenId id) {
        return delete(id, null);
    }

    /**
     * Deletes and appends {@code revocation}'s event in one transaction (whether or not the token was there).
     *
     * @param revocation null: no event
     * @return whether a token was deleted
     */
    boolean delete(TokenId id, Revocation revocation);

    Optional<TokenRecord> find(TokenId id);

    /** Token names of one account, sorted. */
    List<String> tokenNames(ServiceAccountId account);

    /** Tokens of one account with their lifecycle, sorted by name. */
    List<TokenRecord> list(ServiceAccountId account);

    /**
     * Enables or disables, and appends {@code revocation}'s event in the same transaction.
     *
     * @return whether the token exists
     */
    boolean setEnabled(TokenId id, boolean enabled, Revocation revocation);

    /**
     * Rotation, in one transaction: inserts {@code successor}, makes {@code old} expire at {@code oldExpiresAtMillis}
     * (or keeps its own expiry when that is sooner) and records the successor's name on it, and appends
     * {@code revocation}'s event. Nothing is written when {@code old} does not exist or the successor's name is taken.
     *
     * @return {@code old} as it is after the rotation; empty when it does not exist
     */
    Optional<TokenRecord> rotate(TokenId old, long oldExpiresAtMillis, TokenRecord successor, Revocation revocation)
            throws DuplicateTokenException;

    /**
     * Records last uses in one transaction; a stored time newer than the given one is kept (the newest wins when
     * several nodes write). Tokens deleted meanwhile are skipped.
     *
     * @return the number of tokens whose last use changed
     */
    int recordLastUsed(Map<TokenId, Long> lastUsedMillis, String nodeName);
}
