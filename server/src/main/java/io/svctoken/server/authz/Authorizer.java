package io.svctoken.server.authz;

import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.server.authc.Authentication;
import io.svctoken.server.authc.ServiceAccountAuthn;
import io.svctoken.server.authc.User;
import io.svctoken.server.authc.UserAuthentication;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;

import java.util.List;
import java.util.TreeSet;

/**
 * Cluster-action authorization from role descriptors, with Elasticsearch's 403 wording (rest-api
 * §11.2). Run-as is checked first: the authenticating user's {@code run_as} must name the target,
 * and the target must exist in a realm.
 */
public final class Authorizer {

    private final RoleResolver roles;

    public Authorizer(RoleResolver roles) {
        this.roles = roles;
    }

    public void authorize(Authentication authentication, String action) {
        authorizeRunAs(authentication, action);
        if (authentication instanceof ServiceAccountAuthn sa) {
            if (!ClusterPrivileges.grants(sa.roleDescriptor().cluster(), action)) {
                throw denied("service account [" + sa.principal() + "]", action);
            }
            return;
        }
        UserAuthentication u = (UserAuthentication) authentication;
        RoleResolver.Resolved effective = roles.resolve(u.user().roles());
        for (RoleDescriptor rd : effective.descriptors()) {
            if (ClusterPrivileges.grants(rd.cluster(), action)) {
                return;
            }
        }
        String subject = u.isRunAs()
                ? "user [" + u.authenticatingUser().username() + "] run as [" + u.user().username() + "] " + roleText(effective)
                : "user [" + u.user().username() + "] " + roleText(effective);
        throw denied(subject, action);
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
            throw EsErrors.forbidden("action [" + action + "] is unauthorized for user [" + by.username() + "] " + roleText(byRoles)
                    + ", because user [" + by.username() + "] is unauthorized to run as [" + u.user().username() + "]");
        }
    }

    /** {@code with effective roles [a,b]}, plus the roles that were not found. */
    private static String roleText(RoleResolver.Resolved r) {
        String text = "with effective roles [" + String.join(",", new TreeSet<>(r.found())) + "]";
        if (!r.missing().isEmpty()) {
            text += " (assigned roles [" + String.join(",", new TreeSet<>(r.missing())) + "] were not found)";
        }
        return text;
    }

    private static EsException denied(String subject, String action) {
        StringBuilder sb = new StringBuilder("action [").append(action).append("] is unauthorized for ").append(subject);
        List<String> granting = ClusterPrivileges.grantingPrivileges(action);
        if (!granting.isEmpty()) {
            sb.append(", this action is granted by the cluster privileges [").append(String.join(",", granting)).append(']');
        }
        return EsErrors.forbidden(sb.toString());
    }
}
