package io.svctoken.core.store;

import io.svctoken.core.token.TokenId;

import java.util.Objects;

/**
 * A stored API-created token: its id, the hash of its secret and when/by whom it was created.
 * {@code creatorJson} is the Elasticsearch {@code creator} object as JSON text.
 */
public record TokenRecord(TokenId id, String passwordHash, long creationTimeMillis, int version, String creatorJson) {

    public TokenRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(passwordHash, "passwordHash");
    }

    /** Elasticsearch's document id, {@code service_account_token-<ns>/<svc>/<name>}. */
    public static String documentId(TokenId id) {
        return "service_account_token-" + id.qualifiedName();
    }

    @Override
    public String toString() {
        return "TokenRecord[" + id + ", created=" + creationTimeMillis + "]";
    }
}
