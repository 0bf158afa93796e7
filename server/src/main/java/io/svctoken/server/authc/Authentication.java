package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Who made a request. */
public sealed interface Authentication permits UserAuthentication, ServiceAccountAuthn, ApiKeyAuthn {

    /** The effective principal name ({@code elastic}, {@code elastic/fleet-server}). */
    String principal();

    /** The {@code _authenticate} response body. */
    ObjectNode toAuthenticateJson();

    /** Elasticsearch's {@code creator} object stored with new tokens: the effective subject. */
    ObjectNode creatorJson();

    /** {@code authentication_realm} and {@code lookup_realm}. */
    static void putRealms(ObjectNode o, RealmRef authentication, RealmRef lookup) {
        ObjectNode a = o.putObject("authentication_realm");
        a.put("name", authentication.name());
        a.put("type", authentication.type());
        ObjectNode l = o.putObject("lookup_realm");
        l.put("name", lookup.name());
        l.put("type", lookup.type());
    }
}
