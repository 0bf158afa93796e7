package io.svctoken.core.authz;

import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.error.AuthorizationDeniedException;

import java.util.List;

/**
 * Cluster-action authorization from role descriptors; a refusal is an {@link AuthorizationDeniedException}
 * with Elasticsearch's 403 wording. Run-as is checked first: the authenticating user's {@code run_as} must
 * name the target, and the target must exist in a realm.
 */
public final class Authorizer {

    private final RoleResolver roles;

    public Authorizer(RoleResolver roles) {
        this.roles = roles;
    }

    public void authorize(Authentication authentication, String action) {
        authorize(authentication, action, null);
    }

    /**
     * As {@link #authorize(Authentication, String)} for an API key request: {@code scope} feeds the request
     * check of {@code manage_own_api_key}, and an API key may always get its own information (by its id,
     * without {@code with_limited_by}), as Elasticsearch's {@code RBACEngine} allows.
     */
    public void authorize(Authentication authentication, String action, ApiKeyRequestScope scope) {
        authorizeRunAs(authentication, action);
        boolean ownKeys = scope != null && OwnApiKeys.check(authentication, scope);
        if (authentication instanceof ServiceAccountAuthn sa && sa.userManaged()) {
            // a user-managed account: the union of its roles, resolved by name now (a role created later applies at once)
            if (!anyGrants(roles.resolve(sa.roles()).descriptors(), action, ownKeys)) {
                throw denied(EsMessages.serviceAccountSubject(sa.principal()), action, ownKeys);
            }
            return;
        }
        if (authentication instanceof ServiceAccountAuthn sa) {
            if (!ClusterPrivileges.grants(sa.roleDescriptor().cluster(), action, ownKeys)) {
                throw denied(EsMessages.serviceAccountSubject(sa.principal()), action, ownKeys);
            }
            return;
        }
        if (authentication instanceof ApiKeyAuthn key) {
            if (scope != null && OwnApiKeys.isOwnKeyInfo(key, scope)) {
                return;
            }
            // The key's descriptors (none: the owner's privileges) and the owner's descriptors captured at creation must both grant.
            boolean byKey = key.roleDescriptors().isEmpty() || anyGrants(key.roleDescriptors(), action, ownKeys);
            if (!byKey || !anyGrants(key.limitedBy(), action, ownKeys)) {
                throw denied(EsMessages.apiKeySubject(key.id(), key.owner()), action, ownKeys);
            }
            return;
        }
        UserAuthentication u = (UserAuthentication) authentication;
        RoleResolver.Resolved effective = roles.resolve(u.user().roles());
        if (anyGrants(effective.descriptors(), action, ownKeys)) {
            return;
        }
        // an access token standing for a user-managed service account is refused as the account is
        String subject = u.isRunAs()
                ? EsMessages.runAsSubject(u.authenticatingUser().username(), u.user().username(), roleText(effective))
                : ServiceAccountAuthn.REALM.equals(u.effectiveRealm().type()) ? EsMessages.serviceAccountSubject(u.user().username())
                : EsMessages.userSubject(u.user().username(), roleText(effective));
        throw denied(subject, action, ownKeys);
    }

    /**
     * Whether the caller holds {@code action} outright, not only through {@code manage_own_api_key}: what decides if a
     * request that privilege grants (an API key query) sees every key or only the caller's own.
     */
    public boolean permits(Authentication authentication, String action) {
        try {
            authorize(authentication, action, null);
            return true;
        } catch (AuthorizationDeniedException ownOnly) {
            return false;
        }
    }

    /**
     * The run-as part of an authentication obtained for someone else (an API key grant's credentials with
     * {@code run_as}): refused as Elasticsearch refuses it for the authenticate action.
     */
    public void checkGrantedRunAs(Authentication granted) {
        authorizeRunAs(granted, Actions.AUTHENTICATE);
    }

    private static boolean anyGrants(List<RoleDescriptor> descriptors, String action, boolean ownKeys) {
        for (RoleDescriptor rd : descriptors) {
            if (ClusterPrivileges.grants(rd.cluster(), action, ownKeys)) {
                return true;
            }
        }
        return false;
    }

    /** The descriptors of the caller's roles now (the {@code limited_by} of a key they create). */
    public List<RoleDescriptor> effectiveDescriptors(Authentication authentication) {
        if (authentication instanceof ServiceAccountAuthn sa && sa.userManaged()) {
            return roles.resolve(sa.roles()).descriptors();
        }
        if (authentication instanceof ServiceAccountAuthn sa) {
            return List.of(new RoleDescriptor(sa.principal(), sa.roleDescriptor().toDisplayJson()));
        }
        if (authentication instanceof ApiKeyAuthn) {
            return List.of(); // Elasticsearch: the user of an API key has no roles
        }
        return roles.resolve(((UserAuthentication) authentication).user().roles()).descriptors();
    }

    /**
     * The caller's privileges as layers of role descriptors, each of which must grant (has_privileges): a user's
     * roles; a service account's fixed descriptor; an API key's own descriptors, then its owner's captured at creation
     * (only the owner's when the key has none).
     */
    public List<List<RoleDescriptor>> privilegeLayers(Authentication authentication) {
        if (authentication instanceof ServiceAccountAuthn sa && sa.userManaged()) {
            return List.of(roles.resolve(sa.roles()).descriptors());
        }
        if (authentication instanceof ServiceAccountAuthn sa) {
            return List.of(List.of(new RoleDescriptor(sa.principal(), sa.roleDescriptor().toDisplayJson())));
        }
        if (authentication instanceof ApiKeyAuthn key) {
            return key.roleDescriptors().isEmpty() ? List.of(key.limitedBy()) : List.of(key.roleDescriptors(), key.limitedBy());
        }
        return List.of(roles.resolve(((UserAuthentication) authentication).user().roles()).descriptors());
    }

    /** Only the run-as part, for actions every authenticated user may call ({@code _authenticate}). */
    public void authorizeRunAs(Authentication authentication, String action) {
        if (!(authentication instanceof UserAuthentication u) || !u.isRunAs()) {
            return;
        }
        User by = u.authenticatingUser();
        RoleResolver.Resolved byRoles = roles.resolve(by.roles());
        boolean allowed = u.lookupRealm() != null && byRoles.descriptors().stream()
                .anyMatch(rd -> rd.runAs().stream().anyMatch(p -> Glob.matches(p, u.user().username())));
        if (!allowed) {
            throw new AuthorizationDeniedException(EsMessages.actionUnauthorized(action, EsMessages.userSubject(by.username(), roleText(byRoles)))
                    + EsMessages.runAsDenied(by.username()) + u.user().username() + "]");
        }
    }

    /** {@code with effective roles [a,b]}, plus the roles that were not found. */
    private static String roleText(RoleResolver.Resolved r) {
        return EsMessages.effectiveRoles(r.found(), r.missing());
    }

    private static AuthorizationDeniedException denied(String subject, String action, boolean ownKeys) {
        List<String> granting = ClusterPrivileges.grantingPrivileges(action, ownKeys);
        return new AuthorizationDeniedException(EsMessages.actionUnauthorized(action, subject)
                + (granting.isEmpty() ? "" : EsMessages.grantedByClusterPrivileges(granting)));
    }
}
