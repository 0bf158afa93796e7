package io.svctoken.server.gateway;

import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.error.AuthorizationDeniedException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fail-closed policy until requests are mapped to Elasticsearch's actions and index privileges: a
 * forwarded request is allowed only when the caller's roles grant the {@code all} cluster privilege (for an
 * API key: its own descriptors, if any, and its owner's); everyone else gets Elasticsearch's 403
 * ({@code security_exception}) naming {@link #ACTION}, which only {@code all} grants here.
 */
public final class RequireAllClusterPrivilege implements ForwardPolicy {

    /** The action named in refusals: no Elasticsearch action stands for "any request forwarded". */
    public static final String ACTION = "svctoken:gateway/forward";

    private final Authorizer authorizer;
    private final RoleResolver roles;

    public RequireAllClusterPrivilege(Authorizer authorizer, RoleResolver roles) {
        this.authorizer = authorizer;
        this.roles = roles;
    }

    @Override
    public Verdict decide(Authentication who, String method, String rawPath, Map<String, String> query) {
        try {
            authorizer.authorizeRunAs(who, ACTION);
        } catch (AuthorizationDeniedException e) {
            return deny(e.getMessage());
        }
        String subject;
        if (who instanceof ServiceAccountAuthn sa) {
            if (grantsAll(List.of(sa.roleDescriptor()))) {
                return new Verdict.Allow();
            }
            subject = EsMessages.serviceAccountSubject(sa.principal());
        } else if (who instanceof ApiKeyAuthn key) {
            if ((key.roleDescriptors().isEmpty() || grantsAll(key.roleDescriptors())) && grantsAll(key.limitedBy())) {
                return new Verdict.Allow();
            }
            subject = EsMessages.apiKeySubject(key.id(), key.owner());
        } else {
            UserAuthentication u = (UserAuthentication) who;
            RoleResolver.Resolved r = roles.resolve(u.user().roles());
            if (grantsAll(r.descriptors())) {
                return new Verdict.Allow();
            }
            String roleText = EsMessages.effectiveRoles(r.found(), r.missing());
            subject = u.isRunAs() ? EsMessages.runAsSubject(u.authenticatingUser().username(), u.user().username(), roleText)
                    : EsMessages.userSubject(u.user().username(), roleText);
        }
        return deny(EsMessages.actionUnauthorized(ACTION, subject) + EsMessages.grantedByClusterPrivileges(List.of("all")));
    }

    private static boolean grantsAll(List<RoleDescriptor> descriptors) {
        for (RoleDescriptor rd : descriptors) {
            for (String p : rd.cluster()) {
                if (p.toLowerCase(Locale.ROOT).equals("all")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Verdict deny(String reason) {
        return new Verdict.Deny(403, "security_exception", reason);
    }
}
