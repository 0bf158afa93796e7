package io.svctoken.server.audit;

import java.util.Map;

/**
 * Elasticsearch's {@code request.name} of an action: the simple name of the transport request class its action runs
 * with. Actions not listed have none (the field is then left out).
 */
public final class RequestNames {

    private static final String SEC = "cluster:admin/xpack/security/";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("cluster:monitor/main", "MainRequest"),
            Map.entry(SEC + "user/authenticate", "AuthenticateRequest"),
            Map.entry(SEC + "service_account/get", "GetServiceAccountRequest"),
            Map.entry(SEC + "service_account/credential/get", "GetServiceAccountCredentialsRequest"),
            Map.entry(SEC + "service_account/token/create", "CreateServiceAccountTokenRequest"),
            Map.entry(SEC + "service_account/token/delete", "DeleteServiceAccountTokenRequest"),
            Map.entry(SEC + "cache/clear", "ClearSecurityCacheRequest"),
            Map.entry(SEC + "user/put", "PutUserRequest"),
            Map.entry(SEC + "user/get", "GetUsersRequest"),
            Map.entry(SEC + "user/delete", "DeleteUserRequest"),
            Map.entry(SEC + "user/change_password", "ChangePasswordRequest"),
            Map.entry(SEC + "user/set_enabled", "SetEnabledRequest"),
            Map.entry(SEC + "role/put", "PutRoleRequest"),
            Map.entry(SEC + "role/get", "GetRolesRequest"),
            Map.entry(SEC + "role/delete", "DeleteRoleRequest"),
            Map.entry(SEC + "api_key/create", "CreateApiKeyRequest"),
            Map.entry(SEC + "api_key/get", "GetApiKeyRequest"),
            Map.entry(SEC + "api_key/invalidate", "InvalidateApiKeyRequest"),
            Map.entry(SEC + "api_key/grant", "GrantApiKeyRequest"),
            Map.entry(SEC + "api_key/update", "UpdateApiKeyRequest"),
            Map.entry(SEC + "api_key/query", "QueryApiKeyRequest"),
            Map.entry(SEC + "enroll/kibana", "KibanaEnrollmentRequest"),
            // forwarded requests (the gateway)
            Map.entry("cluster:monitor/health", "ClusterHealthRequest"),
            Map.entry("indices:data/read/search", "SearchRequest"),
            Map.entry("indices:data/read/msearch", "MultiSearchRequest"),
            Map.entry("indices:data/read/get", "GetRequest"),
            Map.entry("indices:data/read/mget", "MultiGetRequest"),
            Map.entry("indices:data/read/field_caps", "FieldCapabilitiesRequest"),
            Map.entry("indices:data/read/scroll", "SearchScrollRequest"),
            Map.entry("indices:data/read/scroll/clear", "ClearScrollRequest"),
            Map.entry("indices:data/write/bulk", "BulkRequest"),
            Map.entry("indices:data/write/bulk[s]", "BulkShardRequest"),
            Map.entry("indices:data/write/index", "IndexRequest"),
            Map.entry("indices:data/write/delete", "DeleteRequest"),
            Map.entry("indices:data/write/update", "UpdateRequest"),
            Map.entry("indices:admin/create", "CreateIndexRequest"),
            Map.entry("indices:admin/delete", "DeleteIndexRequest"),
            Map.entry("indices:admin/refresh", "RefreshRequest"),
            Map.entry("indices:admin/mapping/put", "PutMappingRequest"),
            Map.entry("indices:admin/get", "GetIndexRequest"));

    private RequestNames() {
    }

    /** The request class name of {@code action}, null when not known. */
    public static String of(String action) {
        return NAMES.get(action);
    }
}
