package io.svctoken.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of OAuth2 access and refresh tokens ({@code POST|DELETE /_security/oauth2/token}), by the hashes of their
 * values. Blocking, called from worker threads only; failures are {@link StoreException}s.
 */
public interface OAuth2TokenRepository {

    /** What an invalidation did, per token (by access-token hash), in Elasticsearch's two lists. */
    record Invalidated(List<String> invalidated, List<String> previouslyInvalidated) {
        public Invalidated {
            invalidated = List.copyOf(invalidated);
            previouslyInvalidated = List.copyOf(previouslyInvalidated);
        }
    }

    /** Inserts a new token; an existing access or refresh hash fails with {@link StoreException} (values are random). */
    void insertToken(OAuth2TokenRecord token);

    Optional<OAuth2TokenRecord> findByAccessHash(String accessTokenHash);

    Optional<OAuth2TokenRecord> findByRefreshHash(String refreshTokenHash);

    /**
     * Uses a refresh token, once: marks the token refreshed at {@code refreshTimeMillis} with its {@code superseding}
     * pair and inserts {@code successor}, in one transaction, only if the refresh token was neither used nor invalidated.
     *
     * @return false when it was (a concurrent refresh won): nothing was written
     */
    boolean refresh(String accessTokenHash, long refreshTimeMillis, String superseding, OAuth2TokenRecord successor);

    /**
     * Invalidates the access tokens of these tokens and appends {@code revocation}'s event in the same transaction when one
     * was invalidated now (null: no event). Unknown hashes are in neither list.
     */
    Invalidated invalidateAccessTokens(Collection<String> accessTokenHashes, Revocation revocation);

    /** Invalidates the refresh tokens of these tokens (by access-token hash); tokens without one are in neither list. */
    Invalidated invalidateRefreshTokens(Collection<String> accessTokenHashes);

    /**
     * Tokens with something still usable at {@code nowMillis}: an access token neither invalidated nor expired, or a refresh
     * token not invalidated and created no longer than {@code refreshLifetimeMillis} ago; oldest first.
     *
     * @param realm    null: any realm
     * @param username null: any user
     */
    List<OAuth2TokenRecord> findActiveTokens(String realm, String username, long nowMillis, long refreshLifetimeMillis);

    /**
     * Deletes the tokens created at or before {@code cutoffMillis} (Elasticsearch's expired-token removal: by then neither
     * the access nor the refresh token can be used).
     *
     * @return how many were deleted
     */
    int deleteTokensCreatedBefore(long cutoffMillis);
}
