package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.store.UserRecord;
import io.svctoken.server.http.Json;

import java.util.List;

/** A user as the realms know it (no credentials). */
public record User(String username, List<String> roles, String fullName, String email, ObjectNode metadata, boolean enabled) {

    public User {
        roles = List.copyOf(roles);
        metadata = metadata == null ? Json.object() : metadata.deepCopy();
    }

    public static User from(UserRecord r) {
        ObjectNode metadata;
        try {
            metadata = (ObjectNode) Json.MAPPER.readTree(r.metadataJson());
        } catch (Exception | Error e) {
            metadata = Json.object();
        }
        return new User(r.username(), r.roles(), r.fullName(), r.email(), metadata, r.enabled());
    }

    /** The get-users API form: username, roles, full_name, email, metadata, enabled. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("username", username);
        roles.forEach(o.putArray("roles")::add);
        o.put("full_name", fullName);
        o.put("email", email);
        o.set("metadata", metadata.deepCopy());
        o.put("enabled", enabled);
        return o;
    }
}
