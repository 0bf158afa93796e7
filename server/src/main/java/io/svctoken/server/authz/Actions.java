package io.svctoken.server.authz;

/** Elasticsearch action names of the endpoints svctoken serves. */
public final class Actions {

    public static final String GET_SERVICE_ACCOUNT = "cluster:admin/xpack/security/service_account/get";
    public static final String GET_SERVICE_ACCOUNT_CREDENTIALS = "cluster:admin/xpack/security/service_account/credential/get";
    public static final String CREATE_SERVICE_TOKEN = "cluster:admin/xpack/security/service_account/token/create";
    public static final String DELETE_SERVICE_TOKEN = "cluster:admin/xpack/security/service_account/token/delete";
    public static final String CLEAR_SECURITY_CACHE = "cluster:admin/xpack/security/cache/clear";
    public static final String MAIN = "cluster:monitor/main";

    private Actions() {
    }
}
