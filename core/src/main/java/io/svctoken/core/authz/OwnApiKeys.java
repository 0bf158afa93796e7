package io.svctoken.core.authz;

import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;

import java.util.List;

/** The request check of {@code manage_own_api_key} (Elasticsearch's {@code ManageOwnApiKeyClusterPrivilege}). */
final class OwnApiKeys {

    private OwnApiKeys() {
    }

    /** Whether {@code manage_own_api_key} grants this request: creating a key, or targeting only the caller's own keys. */
    static boolean check(Authentication authentication, ApiKeyRequestScope scope) {
        switch (scope.kind()) {
            case CREATE:
                return true;
            case GET:
                if (authentication instanceof ApiKeyAuthn && scope.withLimitedBy()) {
                    return false; // an API key needs manage_api_key or more to see limited-by descriptors
                }
                return isOwner(authentication, first(scope.ids()), scope);
            case QUERY:
                // granted: the query then sees only the caller's own keys (a key: itself), as Elasticsearch filters it
                return true;
            case UPDATE:
                // granted: only the caller's own keys are found, and a key may not update keys (the update itself refuses)
                return true;
            case INVALIDATE:
                if (scope.ids() == null) {
                    return isOwner(authentication, null, scope);
                }
                return scope.ids().stream().allMatch(id -> isOwner(authentication, id, scope));
            default:
                return false;
        }
    }

    /** An API key reading its own information: allowed whatever its privileges. */
    static boolean isOwnKeyInfo(ApiKeyAuthn key, ApiKeyRequestScope scope) {
        String id = first(scope.ids());
        return scope.kind() == ApiKeyRequestScope.Kind.GET && id != null && !id.isEmpty() && id.equals(key.id()) && !scope.withLimitedBy();
    }

    private static boolean isOwner(Authentication authentication, String apiKeyId, ApiKeyRequestScope scope) {
        if (authentication instanceof ApiKeyAuthn key) {
            // the key itself may be named; it owns no other key
            return apiKeyId != null && !apiKeyId.isEmpty() && apiKeyId.equals(key.id());
        }
        if (scope.owner()) {
            return true;
        }
        String username = scope.username();
        String realm = scope.realmName();
        if (username != null && !username.isEmpty() && realm != null && !realm.isEmpty()) {
            return username.equals(authentication.principal()) && realm.equals(authentication.effectiveRealm().name());
        }
        return false;
    }

    private static String first(List<String> ids) {
        return ids == null || ids.isEmpty() ? null : ids.get(0);
    }
}
