package io.svctoken.core.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.store.UserRecord;

import java.util.List;

/** A user as the realms know it (no credentials). */
public record User(String username, List<String> roles, String fullName, String email, ObjectNode metadata, boolean enabled) {

    public User {
        roles = List.copyOf(roles);
        metadata = metadata == null ? StoredJson.object() : metadata.deepCopy();
    }

    public static User from(UserRecord r) {
        ObjectNode metadata;
        try {
            metadata = (ObjectNode) StoredJson.read(r.metadataJson());
        } catch (Exception | Error e) {
            metadata = StoredJson.object();
        }
        return new User(r.username(), r.roles(), r.fullName(), r.email(), metadata, r.enabled());
    }

    /** A copy of the user's metadata object. */
    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }
}
