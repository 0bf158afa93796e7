package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;

import java.util.List;
import java.util.Objects;

/**
 * A user-managed service account as stored: its roles by name (sorted, no duplicates, as Elasticsearch stores them),
 * whether it is enabled, an optional description, and who wrote it when (creator and editor are JSON objects as
 * text, null when unknown).
 */
public record ServiceAccountRecord(ServiceAccountId id, List<String> roles, boolean enabled, String description,
                                   String creatorJson, Long createdAtMillis, String editorJson, Long editedAtMillis) {

    public ServiceAccountRecord {
        Objects.requireNonNull(id, "id");
        roles = List.copyOf(new java.util.TreeSet<>(roles));
    }

    /** A first write (or a replacement as the caller sees it): the creator is this write's author. */
    public static ServiceAccountRecord written(ServiceAccountId id, List<String> roles, boolean enabled, String description,
                                               String authorJson, long nowMillis) {
        return new ServiceAccountRecord(id, roles, enabled, description, authorJson, nowMillis, null, null);
    }
}
