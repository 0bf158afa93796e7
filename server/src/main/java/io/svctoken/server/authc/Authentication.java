package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;

import java.util.List;

/** Who made a request, and what grants their privileges. */
public sealed interface Authentication permits UserAuthentication, ServiceAccountAuthn {

    /** The effective principal name ({@code elastic}, {@code elastic/fleet-server}). */
    String principal();

    /** The role descriptors that grant privileges. */
    List<RoleDescriptor> roleDescriptors();

    /** How the 403 message names the subject, e.g. {@code user [bob] with effective roles [viewer]}. */
    String denialSubject();

    /** The {@code _authenticate} response body. */
    ObjectNode toAuthenticateJson();

    /** Elasticsearch's {@code creator} object stored with new tokens. */
    ObjectNode creatorJson();

    /** {@code authentication_realm} and {@code lookup_realm}: the same realm, since nobody here runs as another user. */
    static void putRealms(ObjectNode o, String name, String type) {
        for (String field : new String[]{"authentication_realm", "lookup_realm"}) {
            ObjectNode realm = o.putObject(field);
            realm.put("name", name);
            realm.put("type", type);
        }
    }
}
