package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.ServiceAccountAuthentication;
import io.svctoken.server.http.Json;


/** A service token authentication (rest-api §1.6). */
public record ServiceAccountAuthn(ServiceAccountAuthentication authentication) implements Authentication {

    public static final String REALM = "_service_account";
    private static final RealmRef REALM_REF = new RealmRef(REALM, REALM);

    @Override
    public String principal() {
        return authentication.account().principal();
    }

    /** Service accounts have no roles: one fixed descriptor grants their privileges. */
    public RoleDescriptor roleDescriptor() {
        return authentication.account().roleDescriptor();
    }

    @Override
    public ObjectNode toAuthenticateJson() {
        ObjectNode o = Json.object();
        o.put("username", principal());
        o.putArray("roles");
        o.put("full_name", authentication.account().fullName());
        o.putNull("email");
        ObjectNode token = o.putObject("token");
        token.put("name", authentication.tokenName());
        token.put("type", authentication.source().tokenType());
        o.putObject("metadata").put("_elastic_service_account", true);
        o.put("enabled", true);
        Authentication.putRealms(o, REALM_REF, REALM_REF);
        o.put("authentication_type", "token");
        return o;
    }

    @Override
    public ObjectNode creatorJson() {
        ObjectNode c = Json.object();
        c.put("principal", principal());
        c.put("full_name", authentication.account().fullName());
        c.putNull("email");
        c.putObject("metadata").put("_elastic_service_account", true);
        c.put("realm", REALM);
        c.put("realm_type", REALM);
        return c;
    }
}
