package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.server.http.Json;

/**
 * A user authenticated by a realm. Under run-as, {@code user} is the effective (run-as) user found
 * by {@code lookupRealm}, and {@code authenticatingUser} the one who logged in; a run-as target no
 * realm knows has a null {@code lookupRealm} and is refused by authorization.
 */
public record UserAuthentication(User user, RealmRef authenticationRealm, RealmRef lookupRealm, User authenticatingUser)
        implements Authentication {

    /** Elasticsearch's internal {@code _xpack_security} user (realm {@code __attach}), for work the node does itself. */
    public static UserAuthentication internalSecurityUser() {
        return of(new User("_xpack_security", java.util.List.of(), null, null, null, true), new RealmRef("__attach", "__attach"));
    }

    public static UserAuthentication of(User user, RealmRef realm) {
        return new UserAuthentication(user, realm, realm, null);
    }

    public boolean isRunAs() {
        return authenticatingUser != null;
    }

    /** The user whose credentials were checked. */
    public User authenticatedUser() {
        return isRunAs() ? authenticatingUser : user;
    }

    @Override
    public String principal() {
        return user.username();
    }

    @Override
    public ObjectNode toAuthenticateJson() {
        ObjectNode o = Json.object();
        o.put("username", user.username());
        user.roles().forEach(o.putArray("roles")::add);
        o.put("full_name", user.fullName());
        o.put("email", user.email());
        o.set("metadata", user.metadata().deepCopy());
        o.put("enabled", user.enabled());
        Authentication.putRealms(o, authenticationRealm, lookupRealm == null ? authenticationRealm : lookupRealm);
        o.put("authentication_type", "realm");
        return o;
    }

    @Override
    public ObjectNode creatorJson() {
        ObjectNode c = Json.object();
        c.put("principal", user.username());
        c.put("full_name", user.fullName());
        c.put("email", user.email());
        c.set("metadata", user.metadata().deepCopy());
        RealmRef realm = lookupRealm == null ? authenticationRealm : lookupRealm;
        c.put("realm", realm.name());
        c.put("realm_type", realm.type());
        return c;
    }
}
