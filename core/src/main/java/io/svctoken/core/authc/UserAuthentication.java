package io.svctoken.core.authc;

import java.util.List;

/**
 * A user authenticated by a realm. Under run-as, {@code user} is the effective (run-as) user found
 * by {@code lookupRealm}, and {@code authenticatingUser} the one who logged in; a run-as target no
 * realm knows has a null {@code lookupRealm} and is refused by authorization.
 *
 * @param token whether an OAuth2 access token stood for this subject (Elasticsearch's authentication type {@code token}):
 *              the same user and realms as when the token was created, authorized the same way
 */
public record UserAuthentication(User user, RealmRef authenticationRealm, RealmRef lookupRealm, User authenticatingUser, boolean token)
        implements Authentication {

    public UserAuthentication(User user, RealmRef authenticationRealm, RealmRef lookupRealm, User authenticatingUser) {
        this(user, authenticationRealm, lookupRealm, authenticatingUser, false);
    }

    /** Elasticsearch's internal {@code _xpack_security} user (realm {@code __attach}), for work the node does itself. */
    public static UserAuthentication internalSecurityUser() {
        return of(new User("_xpack_security", List.of(), null, null, null, true), new RealmRef("__attach", "__attach"));
    }

    public static UserAuthentication of(User user, RealmRef realm) {
        return new UserAuthentication(user, realm, realm, null);
    }

    /** The same subject, as an OAuth2 access token presents it. */
    public UserAuthentication asToken() {
        return new UserAuthentication(user, authenticationRealm, lookupRealm, authenticatingUser, true);
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

    /** The realm that found the effective user: the lookup realm under run-as, else the authenticating one. */
    @Override
    public RealmRef effectiveRealm() {
        return lookupRealm != null ? lookupRealm : authenticationRealm;
    }
}
