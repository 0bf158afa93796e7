package io.svctoken.core.store;

import java.util.Objects;

/**
 * A stored API key (Elasticsearch's {@code api_key} document): its id, the hash of its secret, when it
 * was created and until when it is valid, whether and when it was invalidated, who owns it, and its
 * role descriptors. JSON fields are JSON objects as text: {@code creatorJson} is Elasticsearch's
 * {@code creator} object (principal, full_name, email, metadata, realm, realm_type),
 * {@code roleDescriptorsJson} and {@code limitedByJson} map role names to descriptors in API display form
 * ({@code limited_by_role_descriptors}: the owner's roles captured at creation time).
 *
 * @param expirationTimeMillis  null when the key never expires
 * @param invalidationTimeMillis null unless invalidated
 */
public record ApiKeyRecord(String id, String name, String type, String apiKeyHash, long creationTimeMillis, Long expirationTimeMillis,
                           boolean invalidated, Long invalidationTimeMillis, String ownerUsername, String ownerRealm,
                           String ownerRealmType, String creatorJson, String roleDescriptorsJson, String limitedByJson,
                           String metadataJson, int version) {

    /** Elasticsearch's API key type for keys created with {@code POST /_security/api_key}. */
    public static final String TYPE_REST = "rest";
    public static final String TYPE_CROSS_CLUSTER = "cross_cluster";

    public ApiKeyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(apiKeyHash, "apiKeyHash");
        Objects.requireNonNull(ownerUsername, "ownerUsername");
        Objects.requireNonNull(ownerRealm, "ownerRealm");
        Objects.requireNonNull(ownerRealmType, "ownerRealmType");
        type = type == null ? TYPE_REST : type;
        creatorJson = creatorJson == null ? "{}" : creatorJson;
        roleDescriptorsJson = roleDescriptorsJson == null ? "{}" : roleDescriptorsJson;
        limitedByJson = limitedByJson == null ? "{}" : limitedByJson;
        metadataJson = metadataJson == null ? "{}" : metadataJson;
    }

    /** Not invalidated, and either without expiration or expiring strictly after {@code nowMillis} (as Elasticsearch checks it). */
    public boolean isActive(long nowMillis) {
        return !invalidated && !isExpired(nowMillis);
    }

    public boolean isExpired(long nowMillis) {
        return expirationTimeMillis != null && expirationTimeMillis <= nowMillis;
    }

    /** The same key, invalidated at {@code timeMillis}. */
    public ApiKeyRecord invalidatedAt(long timeMillis) {
        return new ApiKeyRecord(id, name, type, apiKeyHash, creationTimeMillis, expirationTimeMillis, true, timeMillis, ownerUsername,
                ownerRealm, ownerRealmType, creatorJson, roleDescriptorsJson, limitedByJson, metadataJson, version);
    }

    @Override
    public String toString() {
        // never the hash
        return "ApiKeyRecord[" + id + ", name=" + name + ", owner=" + ownerUsername + "@" + ownerRealm + ", invalidated=" + invalidated + "]";
    }
}
