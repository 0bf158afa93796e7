package io.svctoken.server.authz;

import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.server.authc.Authentication;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;

import java.util.List;

/** Cluster-action authorization from role descriptors, with Elasticsearch's 403 wording (rest-api §11.2). */
public final class Authorizer {

    public void authorize(Authentication authentication, String action) {
        for (RoleDescriptor rd : authentication.roleDescriptors()) {
            if (ClusterPrivileges.grants(rd.cluster(), action)) {
                return;
            }
        }
        throw denied(authentication, action);
    }

    public static EsException denied(Authentication authentication, String action) {
        StringBuilder sb = new StringBuilder("action [").append(action).append("] is unauthorized for ")
                .append(authentication.denialSubject());
        List<String> granting = ClusterPrivileges.grantingPrivileges(action);
        if (!granting.isEmpty()) {
            sb.append(", this action is granted by the cluster privileges [").append(String.join(",", granting)).append(']');
        }
        return EsErrors.forbidden(sb.toString());
    }
}
