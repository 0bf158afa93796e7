package io.svctoken.core.store;

import java.util.List;
import java.util.Objects;

/**
 * A user held in the embedded store (the reserved {@code elastic} user now, native users later).
 * {@code metadataJson} is a JSON object as text.
 */
public record UserRecord(String username, String passwordHash, List<String> roles, String fullName, String email,
                         String metadataJson, boolean enabled) {

    public UserRecord {
        Objects.requireNonNull(username, "username");
        roles = List.copyOf(roles);
        metadataJson = metadataJson == null ? "{}" : metadataJson;
    }

    @Override
    public String toString() {
        return "UserRecord[" + username + ", roles=" + roles + ", enabled=" + enabled + "]";
    }
}
