package io.svctoken.core.authz;

import java.util.List;

/**
 * What an API key request targets, for the request check of {@code manage_own_api_key}
 * (Elasticsearch's {@code ManageOwnApiKeyClusterPrivilege}) and the rule that an API key may always
 * read its own information.
 *
 * @param ids      the key ids named by the request (get: at most one; invalidate: {@code ids}); null when none
 * @param owner    the {@code owner} flag: only the caller's own keys
 */
public record ApiKeyRequestScope(Kind kind, List<String> ids, String username, String realmName, boolean owner, boolean withLimitedBy) {

    public enum Kind {
        CREATE, GET, INVALIDATE, UPDATE, QUERY
    }

    public ApiKeyRequestScope {
        ids = ids == null ? null : List.copyOf(ids);
    }

    public static ApiKeyRequestScope create() {
        return new ApiKeyRequestScope(Kind.CREATE, null, null, null, false, false);
    }

    public static ApiKeyRequestScope query() {
        return new ApiKeyRequestScope(Kind.QUERY, null, null, null, false, false);
    }
}
