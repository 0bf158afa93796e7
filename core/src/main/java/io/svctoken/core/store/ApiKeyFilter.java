package io.svctoken.core.store;

import java.util.List;

/**
 * Which API keys to find, as Elasticsearch's get and invalidate APIs select them: every non-null
 * criterion must match. {@code name} matches exactly, or as a prefix when it ends with {@code *}
 * ({@code *} alone matches every name); {@code ids} is a set of ids; {@code realmNames} matches the
 * owner's realm. {@code activeAt} (epoch millis) keeps only keys neither invalidated nor expired at that
 * time; {@code excludeInvalidated} drops invalidated keys.
 */
public record ApiKeyFilter(List<String> ids, String name, String username, List<String> realmNames, boolean excludeInvalidated,
                           Long activeAt) {

    public ApiKeyFilter {
        ids = ids == null ? null : List.copyOf(ids);
        realmNames = realmNames == null ? null : List.copyOf(realmNames);
    }

    /** Every key. */
    public static ApiKeyFilter all() {
        return new ApiKeyFilter(null, null, null, null, false, null);
    }

    /** Whether {@code name} selects every name. */
    public boolean anyName() {
        return name == null || name.isEmpty() || name.equals("*");
    }

    /** Whether a key matches (the store may evaluate the same rules in its query language). */
    public boolean matches(ApiKeyRecord k) {
        if (ids != null && !ids.isEmpty() && !ids.contains(k.id())) {
            return false;
        }
        if (!anyName()) {
            boolean ok = name.endsWith("*") ? k.name().startsWith(name.substring(0, name.length() - 1)) : k.name().equals(name);
            if (!ok) {
                return false;
            }
        }
        if (username != null && !username.isEmpty() && !username.equals(k.ownerUsername())) {
            return false;
        }
        if (realmNames != null && !realmNames.isEmpty() && !realmNames.contains(k.ownerRealm())) {
            return false;
        }
        if (excludeInvalidated && k.invalidated()) {
            return false;
        }
        return activeAt == null || k.isActive(activeAt);
    }
}
