package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.server.http.Json;

import java.util.List;
import java.util.TreeSet;

/** A user authenticated by a realm (reserved, file, native). */
public record UserAuthentication(String username, List<String> roles, String fullName, String email, JsonNode metadata,
                                 String realmName, String realmType, List<RoleDescriptor> roleDescriptors)
        implements Authentication {

    @Override
    public String principal() {
        return username;
    }

    @Override
    public String denialSubject() {
        return "user [" + username + "] with effective roles [" + String.join(",", new TreeSet<>(roles)) + "]";
    }

    @Override
    public ObjectNode toAuthenticateJson() {
        ObjectNode o = Json.object();
        o.put("username", username);
        roles.forEach(o.putArray("roles")::add);
        o.put("full_name", fullName);
        o.put("email", email);
        o.set("metadata", metadata.deepCopy());
        o.put("enabled", true);
        Authentication.putRealms(o, realmName, realmType);
        o.put("authentication_type", "realm");
        return o;
    }

    @Override
    public ObjectNode creatorJson() {
        ObjectNode c = Json.object();
        c.put("principal", username);
        c.put("full_name", fullName);
        c.put("email", email);
        c.set("metadata", metadata.deepCopy());
        c.put("realm", realmName);
        c.put("realm_type", realmType);
        return c;
    }
}
