package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenId;

import java.util.List;
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
}
