package io.svctoken.core.store;

import java.util.Objects;

/**
 * A stored OAuth2 access token and its refresh token (Elasticsearch's {@code token} document). Only hashes of the
 * two values are kept, never the values: the access token's hash is the row's key and what a Bearer header is looked
 * up by. The subject the token represents is kept as {@code authenticationJson}, as captured when it was created.
 *
 * @param refreshTokenHash   null when no refresh token was issued ({@code client_credentials})
 * @param refreshTimeMillis  when the refresh token was used, null while it was not
 * @param superseding        the pair that refresh issued, encrypted with a key only the refresh token gives (a repeated
 *                           refresh within Elasticsearch's 30 seconds answers it again); null while not refreshed
 * @param username           the effective user the token represents
 * @param realm              the name of that user's realm (what invalidation by {@code realm_name} matches)
 * @param clientUsername     who asked for the token (only that client may refresh it)
 * @param clientRealm        the realm that authenticated that client
 */
public record OAuth2TokenRecord(String accessTokenHash, String refreshTokenHash, long creationTimeMillis, long expirationTimeMillis,
                                boolean accessInvalidated, boolean refreshInvalidated, boolean refreshed, Long refreshTimeMillis,
                                String superseding, String username, String realm, String authenticationJson, String clientUsername,
                                String clientRealm) {

    public OAuth2TokenRecord {
        Objects.requireNonNull(accessTokenHash, "accessTokenHash");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(authenticationJson, "authenticationJson");
        Objects.requireNonNull(clientUsername, "clientUsername");
        Objects.requireNonNull(clientRealm, "clientRealm");
    }

    /** A new token: nothing invalidated or refreshed yet. */
    public static OAuth2TokenRecord issued(String accessTokenHash, String refreshTokenHash, long creationTimeMillis, long expirationTimeMillis,
                                           String username, String realm, String authenticationJson, String clientUsername,
                                           String clientRealm) {
        return new OAuth2TokenRecord(accessTokenHash, refreshTokenHash, creationTimeMillis, expirationTimeMillis, false, false, false, null,
                null, username, realm, authenticationJson, clientUsername, clientRealm);
    }

    public boolean hasRefreshToken() {
        return refreshTokenHash != null;
    }

    @Override
    public String toString() {
        // never the hashes
        return "OAuth2TokenRecord[" + username + "@" + realm + ", expires " + expirationTimeMillis + ", invalidated=" + accessInvalidated
                + ", refresh=" + (refreshTokenHash == null ? "none" : refreshInvalidated ? "invalidated" : refreshed ? "used" : "unused") + "]";
    }
}
