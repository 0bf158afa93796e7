package io.svctoken.core.authz;

/** Elasticsearch action names of the endpoints svctoken serves. */
public final class Actions {

    public static final String GET_SERVICE_ACCOUNT = "cluster:admin/xpack/security/service_account/get";
    /** The user-managed accounts' query (9.x line): a read, so under service_account/ (manage_service_account, read_security). */
    public static final String QUERY_SERVICE_ACCOUNT = "cluster:admin/xpack/security/service_account/query";
    public static final String GET_SERVICE_ACCOUNT_CREDENTIALS = "cluster:admin/xpack/security/service_account/credential/get";
    public static final String CREATE_SERVICE_TOKEN = "cluster:admin/xpack/security/service_account/token/create";
    public static final String DELETE_SERVICE_TOKEN = "cluster:admin/xpack/security/service_account/token/delete";
    // user-managed service accounts (9.6): manage_security, not manage_service_account
    public static final String PUT_USER_MANAGED_SERVICE_ACCOUNT = "cluster:admin/xpack/security/user_managed_service_account/put";
    public static final String DELETE_USER_MANAGED_SERVICE_ACCOUNT = "cluster:admin/xpack/security/user_managed_service_account/delete";
    public static final String CREATE_USER_MANAGED_SERVICE_TOKEN = "cluster:admin/xpack/security/user_managed_service_account/token/create";
    public static final String DELETE_USER_MANAGED_SERVICE_TOKEN = "cluster:admin/xpack/security/user_managed_service_account/token/delete";
    /*
     * svctoken's own token lifecycle endpoints (under /_svctoken/). Named inside Elasticsearch's service-account
     * families so that Elasticsearch's privileges grant them as the issue asks: reading through
     * service_account/credential/get* (read_security, manage_service_account, manage_security), changing
     * through service_account/* (manage_service_account, manage_security), never read_security.
     */
    public static final String SVCTOKEN_GET_TOKENS = "cluster:admin/xpack/security/service_account/credential/get/svctoken";
    public static final String SVCTOKEN_CREATE_TOKEN = "cluster:admin/xpack/security/service_account/token/svctoken/create";
    public static final String SVCTOKEN_DISABLE_TOKEN = "cluster:admin/xpack/security/service_account/token/svctoken/disable";
    public static final String SVCTOKEN_ENABLE_TOKEN = "cluster:admin/xpack/security/service_account/token/svctoken/enable";
    public static final String SVCTOKEN_ROTATE_TOKEN = "cluster:admin/xpack/security/service_account/token/svctoken/rotate";
    public static final String CLEAR_SECURITY_CACHE = "cluster:admin/xpack/security/cache/clear";
    public static final String MAIN = "cluster:monitor/main";
    public static final String AUTHENTICATE = "cluster:admin/xpack/security/user/authenticate";
    public static final String PUT_USER = "cluster:admin/xpack/security/user/put";
    public static final String GET_USERS = "cluster:admin/xpack/security/user/get";
    public static final String DELETE_USER = "cluster:admin/xpack/security/user/delete";
    public static final String CHANGE_PASSWORD = "cluster:admin/xpack/security/user/change_password";
    public static final String SET_ENABLED = "cluster:admin/xpack/security/user/set_enabled";
    public static final String PUT_ROLE = "cluster:admin/xpack/security/role/put";
    public static final String GET_ROLES = "cluster:admin/xpack/security/role/get";
    public static final String DELETE_ROLE = "cluster:admin/xpack/security/role/delete";
    public static final String BULK_PUT_ROLES = "cluster:admin/xpack/security/role/bulk_put";
    public static final String BULK_DELETE_ROLES = "cluster:admin/xpack/security/role/bulk_delete";
    public static final String QUERY_ROLE = "cluster:admin/xpack/security/role/query";
    public static final String PUT_ROLE_MAPPING = "cluster:admin/xpack/security/role_mapping/put";
    public static final String GET_ROLE_MAPPINGS = "cluster:admin/xpack/security/role_mapping/get";
    public static final String DELETE_ROLE_MAPPING = "cluster:admin/xpack/security/role_mapping/delete";
    public static final String CREATE_API_KEY = "cluster:admin/xpack/security/api_key/create";
    public static final String GET_API_KEY = "cluster:admin/xpack/security/api_key/get";
    public static final String INVALIDATE_API_KEY = "cluster:admin/xpack/security/api_key/invalidate";
    public static final String GRANT_API_KEY = "cluster:admin/xpack/security/api_key/grant";
    public static final String UPDATE_API_KEY = "cluster:admin/xpack/security/api_key/update";
    public static final String BULK_UPDATE_API_KEY = "cluster:admin/xpack/security/api_key/bulk_update";
    public static final String QUERY_API_KEY = "cluster:admin/xpack/security/api_key/query";
    public static final String CREATE_TOKEN = "cluster:admin/xpack/security/token/create";
    public static final String REFRESH_TOKEN = "cluster:admin/xpack/security/token/refresh";
    public static final String INVALIDATE_TOKEN = "cluster:admin/xpack/security/token/invalidate";
    public static final String CREATE_CROSS_CLUSTER_API_KEY = "cluster:admin/xpack/security/cross_cluster/api_key/create";
    public static final String UPDATE_CROSS_CLUSTER_API_KEY = "cluster:admin/xpack/security/cross_cluster/api_key/update";
    public static final String HAS_PRIVILEGES = "cluster:admin/xpack/security/user/has_privileges";
    public static final String GET_USER_PRIVILEGES = "cluster:admin/xpack/security/user/list_privileges";
    public static final String PUT_PRIVILEGES = "cluster:admin/xpack/security/privilege/put";
    public static final String GET_PRIVILEGES = "cluster:admin/xpack/security/privilege/get";
    public static final String DELETE_PRIVILEGES = "cluster:admin/xpack/security/privilege/delete";
    public static final String CLEAR_PRIVILEGES_CACHE = "cluster:admin/xpack/security/privilege/cache/clear";

    private Actions() {
    }
}
