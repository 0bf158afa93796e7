package io.svctoken.core.store;

import io.svctoken.core.token.TokenId;

import java.util.Objects;

/**
 * A stored API-created token: its id, the hash of its secret, when/by whom it was created, and its lifecycle
 * (svctoken's, Elasticsearch has none): an optional expiry, free-form metadata, whether it is enabled, when and
 * on which node it was last used, and the token a rotation replaced it with.
 * {@code creatorJson} is the Elasticsearch {@code creator} object as JSON text; {@code metadataJson} a JSON object.
 *
 * @param expiresAtMillis null: never expires (Elasticsearch's behaviour)
 * @param lastUsedMillis  null: not used since svctoken records it
 * @param successor       null: not rotated
 */
public record TokenRecord(TokenId id, String passwordHash, long creationTimeMillis, int version, String creatorJson,
                          Long expiresAtMillis, String metadataJson, boolean enabled, Long lastUsedMillis, String lastUsedNode,
                          String successor) {

    public TokenRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(passwordHash, "passwordHash");
    }

    /** A token as Elasticsearch has it: enabled, no expiry, no metadata, never used. */
    public TokenRecord(TokenId id, String passwordHash, long creationTimeMillis, int version, String creatorJson) {
        this(id, passwordHash, creationTimeMillis, version, creatorJson, null, null, true, null, null, null);
    }

    /** Elasticsearch's document id, {@code service_account_token-<ns>/<svc>/<name>}. */
    public static String documentId(TokenId id) {
        return "service_account_token-" + id.qualifiedName();
    }

    /** Whether it has expired at {@code nowMillis}: the expiry instant itself is already expired. */
    public boolean expiredAt(long nowMillis) {
        return expiresAtMillis != null && nowMillis >= expiresAtMillis;
    }

    public TokenRecord withLifecycle(Long expiresAtMillis, String metadataJson) {
        return new TokenRecord(id, passwordHash, creationTimeMillis, version, creatorJson, expiresAtMillis, metadataJson, enabled,
                lastUsedMillis, lastUsedNode, successor);
    }

    @Override
    public String toString() {
        return "TokenRecord[" + id + ", created=" + creationTimeMillis + ", expires=" + expiresAtMillis + ", enabled=" + enabled + "]";
    }
}
