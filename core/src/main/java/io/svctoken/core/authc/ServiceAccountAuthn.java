package io.svctoken.core.authc;

import io.svctoken.core.account.RoleDescriptor;

/** A service token authentication: the account, the token's name and where the token is kept. */
public record ServiceAccountAuthn(ServiceAccountAuthentication authentication) implements Authentication {

    public static final String REALM = "_service_account";
    public static final RealmRef REALM_REF = new RealmRef(REALM, REALM);

    @Override
    public String principal() {
        return authentication.account().principal();
    }

    /** A user-managed account (Elasticsearch 9.6): its roles, resolved by name, grant its privileges. */
    public boolean userManaged() {
        return authentication.account().userManaged();
    }

    /** A user-managed account's role names; none for a built-in account. */
    public java.util.List<String> roles() {
        return authentication.account().roles();
    }

    /** Built-in service accounts have no roles: one fixed descriptor grants their privileges (empty for a user-managed one). */
    public RoleDescriptor roleDescriptor() {
        return authentication.account().roleDescriptor();
    }

    @Override
    public RealmRef effectiveRealm() {
        return REALM_REF;
    }
}
