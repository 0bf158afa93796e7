package io.svctoken.core.authz.index;

import io.svctoken.core.EsMessages;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.RoleResolver;

import java.util.List;

/**
 * Who asks, for index decisions: the subject text of Elasticsearch's denials and the index permission, as the
 * {@code Authorizer} forms them for cluster actions (a user's roles unioned; an API key's descriptors limited by
 * its owner's captured at creation, none meaning the owner's; a service account's one built-in descriptor).
 */
public record Caller(String subject, IndexPermission indices) {

    public static Caller of(Authentication who, RoleResolver roles) {
        if (who instanceof ServiceAccountAuthn sa && sa.userManaged()) {
            return new Caller(EsMessages.serviceAccountSubject(sa.principal()), IndexPermission.of(roles.resolve(sa.roles()).descriptors()));
        }
        if (who instanceof ServiceAccountAuthn sa) {
            return new Caller(EsMessages.serviceAccountSubject(sa.principal()), IndexPermission.of(List.of(sa.roleDescriptor())));
        }
        if (who instanceof ApiKeyAuthn key) {
            IndexPermission owner = IndexPermission.of(key.limitedBy());
            IndexPermission permission = key.roleDescriptors().isEmpty() ? owner : IndexPermission.of(key.roleDescriptors()).limitedBy(owner);
            return new Caller(EsMessages.apiKeySubject(key.id(), key.owner()), permission);
        }
        UserAuthentication u = (UserAuthentication) who;
        RoleResolver.Resolved effective = roles.resolve(u.user().roles());
        String roleText = EsMessages.effectiveRoles(effective.found(), effective.missing());
        String subject = u.isRunAs()
                ? EsMessages.runAsSubject(u.authenticatingUser().username(), u.user().username(), roleText)
                : EsMessages.userSubject(u.user().username(), roleText);
        return new Caller(subject, IndexPermission.of(effective.descriptors()));
    }
}
