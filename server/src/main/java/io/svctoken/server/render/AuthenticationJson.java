package io.svctoken.server.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.Creator;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.server.http.Json;

/** The identity domain's data as Elasticsearch's responses show it (field order is Elasticsearch's). */
public final class AuthenticationJson {

    private AuthenticationJson() {
    }

    /** The {@code _authenticate} response body. */
    public static ObjectNode authenticate(Authentication authentication) {
        if (authentication instanceof UserAuthentication u) {
            return user(u);
        }
        if (authentication instanceof ServiceAccountAuthn sa) {
            return serviceAccount(sa);
        }
        return apiKey((ApiKeyAuthn) authentication);
    }

    /** The get-users form of the effective user, then the realms. */
    private static ObjectNode user(UserAuthentication u) {
        ObjectNode o = user(u.user());
        putRealms(o, u.authenticationRealm(), u.effectiveRealm());
        o.put("authentication_type", u.token() ? "token" : "realm");
        return o;
    }

    private static ObjectNode serviceAccount(ServiceAccountAuthn sa) {
        ObjectNode o = Json.object();
        o.put("username", sa.principal());
        sa.roles().forEach(o.putArray("roles")::add);
        o.put("full_name", sa.authentication().account().fullName());
        o.putNull("email");
        ObjectNode token = o.putObject("token");
        token.put("name", sa.authentication().tokenName());
        token.put("type", sa.authentication().source().tokenType());
        o.putObject("metadata").put(sa.authentication().account().metadataMarker(), true);
        o.put("enabled", true);
        putRealms(o, ServiceAccountAuthn.REALM_REF, ServiceAccountAuthn.REALM_REF);
        o.put("authentication_type", "token");
        return o;
    }

    private static ObjectNode apiKey(ApiKeyAuthn key) {
        ObjectNode o = Json.object();
        o.put("username", key.owner());
        o.putArray("roles");
        o.set("full_name", Creator.ownerField(key, "full_name"));
        o.set("email", Creator.ownerField(key, "email"));
        o.set("metadata", Creator.ownerMetadata(key));
        o.put("enabled", true);
        putRealms(o, ApiKeyAuthn.REALM_REF, ApiKeyAuthn.REALM_REF);
        o.put("authentication_type", "api_key");
        ObjectNode k = o.putObject("api_key");
        k.put("id", key.id());
        if (key.name() != null) {
            k.put("name", key.name());
        }
        return o;
    }

    /** {@code authentication_realm} and {@code lookup_realm}. */
    private static void putRealms(ObjectNode o, RealmRef authentication, RealmRef lookup) {
        ObjectNode a = o.putObject("authentication_realm");
        a.put("name", authentication.name());
        a.put("type", authentication.type());
        ObjectNode l = o.putObject("lookup_realm");
        l.put("name", lookup.name());
        l.put("type", lookup.type());
    }

    /** The get-users API form: username, roles, full_name, email, metadata, enabled. */
    public static ObjectNode user(User user) {
        ObjectNode o = Json.object();
        o.put("username", user.username());
        user.roles().forEach(o.putArray("roles")::add);
        o.put("full_name", user.fullName());
        o.put("email", user.email());
        o.set("metadata", user.metadata());
        o.put("enabled", user.enabled());
        return o;
    }
}
