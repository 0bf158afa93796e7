package io.svctoken.server;

import java.util.List;

/**
 * Elasticsearch's exact user-visible strings that only the server (and the tools that run it) use: error
 * reasons and messages of the REST layer, the realms, TLS and the node's start. Compatibility depends on these
 * texts byte for byte. Texts the domain itself needs are in core's {@link io.svctoken.core.EsMessages}.
 */
public final class ServerEsMessages {

    private ServerEsMessages() {
    }

    // --- Request validation
    public static final String NAMESPACE_REQUIRED = "service account namespace is required";

    public static final String SERVICE_REQUIRED = "service account service-name is required";

    public static String accountDoesNotExist(String principal) {
        return "service account [" + principal + "] does not exist";
    }

    // --- User-managed service accounts (9.6): GET's type filter, PUT's body parser (its name is not confirmed)
    public static String invalidServiceAccountType(String value) {
        return "invalid type value [" + value + "]; must be one of [built_in, user_managed]";
    }

    public static final String SERVICE_ACCOUNT_TYPE_EMPTY = "type must name at least one of [built_in, user_managed]";

    public static final String PUT_SERVICE_ACCOUNT_PARSER = "put_user_managed_service_account_request";

    // --- svctoken's own token lifecycle endpoints (/_svctoken/service/...): svctoken's texts, not Elasticsearch's
    public static final String SVCTOKEN_TOKEN_PARSER = "svctoken_service_token";
    public static final String SVCTOKEN_ROTATE_PARSER = "svctoken_service_token_rotation";
    public static final String SVCTOKEN_EXPIRATION_EXCLUSIVE = "only one of [expiration] and [expires_at] may be given";
    public static final String SVCTOKEN_EXPIRATION_IN_THE_PAST = "the expiration of a service token must be in the future";

    public static String serviceTokenNotFound(String qualifiedName) {
        return "service account token [" + qualifiedName + "] not found";
    }

    public static String svctokenMetadataTooLarge(int max, int size) {
        return "the metadata of a service token must not exceed [" + max + "] bytes, was [" + size + "]";
    }

    public static String svctokenBadExpiresAt(String text) {
        return "[expires_at] must be epoch milliseconds or an ISO-8601 instant such as [2027-01-01T00:00:00Z], was [" + text + "]";
    }

    public static String svctokenBeyondMaxLifetime(long maxMillis) {
        return "the expiration of a service token must be within [svctoken.service_token.max_lifetime] (" + maxMillis + "ms) from now";
    }

    // --- svctoken's own management console (/_svctoken/console/...): svctoken's texts, not Elasticsearch's
    public static final String CONSOLE_SESSION_PARSER = "svctoken_console_session";
    public static final String CONSOLE_SESSION_EXPIRED = "console session expired or missing";
    public static final String CONSOLE_CSRF_INVALID = "missing or invalid CSRF token";
    public static final String CONSOLE_SIGN_IN_EITHER = "sign in with [username] and [password], or with [api_key], not both";

    // --- has_privileges and the caller's privileges
    public static final String MUST_SPECIFY_A_PRIVILEGE = "must specify at least one privilege";

    public static final String HAS_PRIVILEGES_OWN_ACCOUNT_ONLY = "users may only check the privileges of their own account";

    public static final String API_KEY_PRIVILEGES_NOT_LISTED = "Cannot retrieve privileges for API keys with assigned role descriptors. "
            + "Please use the Get API key information API https://ela.st/es-api-get-api-key";

    // --- Application privileges (PutPrivilegesRequestBuilder, PutPrivilegesRequest.validate)
    public static final String AT_LEAST_ONE_APPLICATION_PRIVILEGE = "At least one application privilege must be provided";

    public static final String APPLICATION_PRIVILEGE_NEEDS_AN_ACTION = "Application privileges must have at least one action";

    /** Elasticsearch names the application here also when the privilege's value is the wrong one. */
    public static String privilegeValueNotObject(String application, String token) {
        return "expected the value for " + application + " to be an object, but found " + token + " instead";
    }

    public static String privilegeApplicationMismatch(String inSource, String provided) {
        return "privilege application [" + inSource + "] in source does not match the provided application [" + provided + "]";
    }

    public static String privilegeNameMismatch(String inSource, String provided) {
        return "privilege name [" + inSource + "] in source does not match the provided name [" + provided + "]";
    }

    public static String actionNeedsSeparator(String action) {
        return "action [" + action + "] must contain one of [ '/' , '*' , ':' ]";
    }

    public static String privilegeMetadataReserved(String application, String name) {
        return "metadata keys may not start with [_] (in privilege " + application + " " + name + ")";
    }

    // --- Role mappings (ExpressionRoleMapping, TemplateRoleName, ExpressionParser, PutRoleMappingRequest.validate)
    public static String roleMappingMissingField(String name, String field) {
        return "failed to parse role-mapping [" + name + "]. missing field [" + field + "]";
    }

    public static String roleTemplateInvalidFormat(String format) {
        return "Invalid format [" + format + "] expected one of [json,string]";
    }

    public static final String ROLE_MAPPING_ROLES_MISSING = "role-mapping roles or role-templates are missing";

    public static final String ROLE_MAPPING_ROLES_AND_TEMPLATES = "role-mapping cannot have both roles and role-templates";

    public static String rulesExpectedObjectNamed(String objectName, String token) {
        return "failed to parse rules expression. expected [" + objectName + "] to be an object but found [" + token + "] instead";
    }

    public static String rulesExpectedObject(String token) {
        return "failed to parse rules expression. expected an object but found [" + token + "] instead";
    }

    public static String rulesMultipleFields(String objectName) {
        return "failed to parse rules expression. object [" + objectName + "] contains multiple fields";
    }

    public static String rulesNoFields(String objectName) {
        return "failed to parse rules expression. object [" + objectName + "] does not contain any fields";
    }

    public static String rulesFieldNotAllowed(String field, String objectName) {
        return "failed to parse rules expression. field [" + field + "] is not allowed within [" + objectName + "]";
    }

    public static String rulesFieldNotRecognised(String field, String objectName) {
        return "failed to parse rules expression. field [" + field + "] is not recognised in object [" + objectName + "]";
    }

    public static String rulesRequiresArray(String field) {
        return "failed to parse rules expression. field [" + field + "] requires an array";
    }

    public static String rulesExpectedFieldValue(String token) {
        return "failed to parse rules expression. expected a field value but found [" + token + "] instead";
    }

    // --- Role query (QueryRoleRequest, FieldNameTranslators, AbstractQueryBuilder)
    public static String notAnInteger(String value) {
        return "For input string: \"" + value + "\"";
    }

    public static String queryParameterNegative(String parameter, int value) {
        return "[" + parameter + "] parameter cannot be negative but was [" + value + "]";
    }

    public static String queryFieldNotAllowed(String field) {
        return "Field [" + field + "] is not allowed for querying or aggregation";
    }

    public static String queryFieldPatternNotAllowed(String field) {
        return "Field name pattern [" + field + "] is not allowed for querying or aggregation";
    }

    public static String queryTypeNotSupported(String type) {
        return "Query type [" + type + "] is not currently supported in this context";
    }

    public static final String QUERY_TERMS_LOOKUP_NOT_SUPPORTED = "terms query with terms lookup is not currently supported in this context";

    public static String malformedQuery(String name) {
        return "[" + name + "] malformed query, expected [END_OBJECT] but found [FIELD_NAME]";
    }

    public static String sortNotSupported(String field) {
        return "sorting is not supported for field [" + field + "]";
    }

    public static final String MALFORMED_SORT_OBJECT = "malformed sort object";

    // --- Generic REST layer
    public static final String REQUEST_BODY_MUST_BE_AN_OBJECT = "request body must be a JSON object";

    public static String noHandlerFound(String uri, String method) {
        return "no handler found for uri [" + uri + "] and method [" + method + "]";
    }

    public static String incorrectHttpMethod(String uri, String method, String allowed) {
        return "Incorrect HTTP method for uri [" + uri + "] and method [" + method + "], allowed: [" + allowed + "]";
    }

    /** A body sent to an endpoint that reads none ({@code BaseRestHandler}); the path is decoded. */
    public static String bodyNotSupported(String method, String path) {
        return "request [" + method + " " + path + "] does not support having a body";
    }

    /** The head of the unrecognized-parameter message; the names and suggestions follow. */
    public static String unrecognizedParameters(String path, int count) {
        return "request [" + path + "] contains unrecognized parameter" + (count > 1 ? "s" : "") + ": ";
    }

    // Elasticsearch's URL component decoder (a query name or value, a path parameter); s is the component
    public static String unterminatedEscape(String s) {
        return "unterminated escape sequence at end of string: " + s;
    }

    public static String partialEscape(String s) {
        return "partial escape sequence at end of string: " + s;
    }

    public static String invalidEscape(String s, int index) {
        return "invalid escape sequence `" + s.substring(index, index + 3) + "' at index " + index + " of: " + s;
    }

    /** A header Elasticsearch copies as one value (Authorization, run-as, …) sent with different values. */
    public static String multipleValuesForSingleValuedHeader(String name) {
        return "multiple values for single-valued header [" + name + "].";
    }

    public static String unknownRefreshValue(String value) {
        return "Unknown value for refresh: [" + value + "].";
    }

    public static String unknownSetting(String key) {
        return "unknown setting [" + key + "] please check that any required plugins are installed,"
                + " or check the breaking changes documentation for removed settings";
    }

    /** Elasticsearch's {@code AuditLevel.parse} refusal of an unknown audit event name. */
    public static String invalidAuditEventName(String name) {
        return "invalid event name specified [" + name + "]";
    }

    /** svctoken's own: the 503 of {@code svctoken.audit.on_write_failure: refuse} while the audit log cannot be written. */
    public static final String AUDIT_LOG_UNAVAILABLE = "the audit log cannot be written; requests are refused until it can"
            + " ([svctoken.audit.on_write_failure] is [refuse])";

    /** A {@code logger.*} setting's level that is not one of Log4j's, as Elasticsearch reports it ({@code name} upper-cased). */
    public static String unknownLevelConstant(String name) {
        return "Unknown level constant [" + name + "].";
    }

    // --- Authorization
    public static final String ONLY_ONE_PASSWORD_FORM = "only one of [password, passwordHash] can be provided";

    public static String unexpectedChangePasswordField(String field) {
        return "failed to parse change password request. unexpected field [" + field + "]";
    }

    // --- Duplicate create
    public static String documentAlreadyExists(String documentId) {
        return "[" + documentId + "]: version conflict, document already exists (current version [1])";
    }

    // --- CLI / file store
    public static String failedToLoadServiceTokens(String path) {
        return "Failed to load service_tokens file [" + path + "]";
    }

    // --- elasticsearch-create-enrollment-token
    public static final String ENROLLMENT_API_KEY_NAME_PREFIX = "enrollment_token_API_key_";

    public static final String ENROLL_KIBANA_ACTION = "cluster:admin/xpack/security/enroll/kibana";

    /** The enrollment APIs' answer (403 {@code security_exception}) when enrollment is switched off. */
    public static final String ENROLLMENT_NOT_ENABLED =
            "Enrollment mode is not enabled. Set [xpack.security.enrollment.enabled] to true, in order to use this API.";

    // --- Kibana enrollment
    public static final String ENROLL_KIBANA_TOKEN_FAILED = "Failed to create token for the [elastic/kibana] service account";

    public static final String ENROLL_NO_KEYSTORE =
            "Unable to enroll kibana instance. Elasticsearch node HTTP layer SSL configuration is not configured with a keystore";

    public static final String ENROLL_TOKEN_NAME_PREFIX = "enroll-process-token-";

    // --- user and role APIs
    public static String userReservedOnlyPassword(String username) {
        return "user [" + username + "] is reserved and only the password can be changed";
    }

    public static String userReservedCannotBeDeleted(String username) {
        return "user [" + username + "] is reserved and cannot be deleted";
    }

    public static String roleReservedCannotBeDeleted(String role) {
        return "role [" + role + "] is reserved and cannot be deleted";
    }

    /** Put-user body parsing (Elasticsearch's {@code PutUserRequestBuilder}). */
    public static final String PASSWORD_HASH_ALREADY_SET = "password_hash has already been set";

    public static String usernameInSourceMismatch(String username) {
        return "[username] in source does not match the username provided [" + username + "]";
    }

    public static String unexpectedUserField(String field) {
        return "failed to parse add user request. unexpected field [" + field + "]";
    }

    /** Change-password validation: neither {@code password} nor {@code password_hash}. */
    public static final String PASSWORD_IS_MISSING = "password is missing";

    /** A request body that is not JSON (Elasticsearch's x_content_parse_exception reason). */
    public static final String FAILED_TO_PARSE_REQUEST_BODY = "Failed to parse request body";

    /** A {@code parsing_exception} for a token after a body's root value ({@code SearchSourceBuilder}'s trailing-token check). */
    public static String tokenAfterMainObject(String token) {
        return "Unexpected token [" + token + "] found after the main object.";
    }

    public static final String USER_METADATA_RESERVED_KEYS = "metadata keys may not start with [_]";

    public static final String ROLES_ARE_MISSING = "roles are missing";

    public static final String OWN_ENABLED_STATUS = "users may not update the enabled status of their own account";

    // --- API keys (AbstractCreateApiKeyRequest, GetApiKeyRequest, InvalidateApiKeyRequest, ApiKeyService, TransportCreateApiKeyAction)
    public static final String API_KEY_NAME_REQUIRED = "api key name is required";

    public static final String API_KEY_NAME_TOO_LONG = "api key name may not be more than 256 characters long";

    public static final String API_KEY_NAME_WHITESPACE = "api key name may not begin or end with whitespace";

    public static final String API_KEY_NAME_UNDERSCORE = "api key name may not begin with an underscore";

    public static final String API_KEY_METADATA_RESERVED_KEYS = "API key metadata keys may not start with [_]";

    public static final String DERIVED_API_KEY_NEEDS_EMPTY_DESCRIPTOR =
            "creating derived api keys requires an explicit role descriptor that is empty (has no privileges)";

    /** The create request's parser names ({@code ObjectParser} names in its messages). */
    public static final String API_KEY_REQUEST_PARSER = "api_key_request";

    public static final String INVALIDATE_API_KEY_PARSER = "invalidate_api_key";

    // --- OAuth2 tokens (POST|DELETE /_security/oauth2/token)
    public static final String TOKEN_REQUEST_PARSER = "token_request";
    public static final String INVALIDATE_TOKEN_PARSER = "invalidate_token";
    public static final String GRANT_TYPE_VALUES = "grant_type only supports the values: [password, _kerberos, refresh_token, client_credentials]";

    /** The 9.x line's list: the user-managed service account exchange appended. */
    public static final String GRANT_TYPE_VALUES_9 = "grant_type only supports the values: [password, _kerberos, refresh_token, client_credentials,"
            + " _user_managed_service_account]";

    public static final String SERVICE_ACCOUNT_TOKEN_NOT_VALID_FOR_EXCHANGE = "service_account_token is not a valid service account token";

    public static final String SERVICE_ACCOUNT_TOKEN_NOT_USER_MANAGED_FOR_EXCHANGE = "service_account_token must belong to a user-managed service account";

    public static String fieldMissing(String field) {
        return field + " is missing";
    }

    public static String fieldNotSupportedWithGrant(String field, String grantType) {
        return field + " is not supported with the " + grantType + " grant_type";
    }

    public static final String INVALIDATE_TOKEN_ONE_OF = "only one of [token, refresh_token] may be sent per request";
    public static final String INVALIDATE_TOKEN_STRING_NOT_ALLOWED = "token string must not be provided when realm name or username is specified";
    public static final String INVALIDATE_TOKEN_STRING_REQUIRED = "token string must be provided when not specifying a realm name or a username";
    public static final String SECURITY_TOKENS_NOT_ENABLED = "security tokens are not enabled";
    /** A Kerberos ticket names nobody until a Kerberos realm reads it (svctoken has none). */
    public static final String KERBEROS_PRINCIPAL = "<Kerberos Token>";
    /** svctoken's own: Elasticsearch makes a token that stands for the API key; svctoken does not (yet). */
    public static final String API_KEY_CLIENT_CREDENTIALS =
            "svctoken does not create OAuth2 tokens for API keys: authenticate as a user to use the client_credentials grant";

    /** The update requests' parser names (UpdateApiKeyRequestTranslator, BulkUpdateApiKeyRequestTranslator). */
    public static final String UPDATE_API_KEY_PARSER = "update_api_key_request_payload";

    public static final String BULK_UPDATE_API_KEY_PARSER = "bulk_update_api_key_request_payload";

    public static final String BULK_UPDATE_API_KEY_EMPTY_IDS = "Field [ids] cannot be empty";

    /** The query API key request (RestQueryApiKeyAction, QueryApiKeyRequest, ApiKeyFieldNameTranslators). */
    public static final String QUERY_API_KEY_PARSER = "query_api_key_request_payload";

    public static final String API_KEY_QUERY_TERMS_LOOKUP = "terms query with terms lookup is not supported for API Key query";

    public static final String API_KEY_QUERY_RANGE_RELATION = "range query with relation is not supported for API Key query";

    public static final String API_KEY_QUERY_MALFORMED_SORT = "mal-formatted sort object";

    public static String apiKeyQueryTypeNotSupported(String type) {
        return "Query type [" + type + "] is not supported for API Key query";
    }

    public static String apiKeyQueryFieldNotAllowed(String field) {
        return "Field [" + field + "] is not allowed for API Key query or aggregation";
    }

    public static String apiKeyQueryFieldPatternNotAllowed(String field) {
        return "Field name pattern [" + field + "] is not allowed for API Key query or aggregation";
    }

    public static String apiKeyQueryUnsupportedAgg(String name, String type) {
        return "Unsupported API Keys agg [" + name + "] of type [" + type + "]";
    }

    public static String negativeParameter(String name, long value) {
        return "[" + name + "] parameter cannot be negative but was [" + value + "]";
    }

    public static String unknownQuery(String name) {
        return "unknown query [" + name + "]";
    }

    public static String searchAfterSortSize(int values, int sorts) {
        return "search_after has " + values + " value(s) but sort has " + sorts + ".";
    }

    public static String dateFieldParse(String value) {
        return "failed to parse date field [" + value + "] with format [epoch_millis]";
    }

    /** The grant API key request (RestGrantApiKeyAction, Grant.validate). */
    public static final String GRANT_API_KEY_PARSER = "grant_api_key_request";

    public static final String GRANT_API_KEY_AUTHENTICATION_FAILED = "Failed to authenticate api key grant";

    public static final String GRANT_TYPE_REQUIRED = "[grant_type] is required";

    public static final String GRANT_CLIENT_AUTHENTICATION_NOT_SUPPORTED = "[client_authentication] not supported with the supplied access_token type";

    /** The grant type of a user-managed service account's token (9.x line; 8.19 knows no such grant). */
    public static final String USER_MANAGED_SERVICE_ACCOUNT_GRANT = "_user_managed_service_account";

    public static final String SERVICE_ACCOUNT_TOKEN_NOT_VALID = "[service_account_token] is not a valid service account token";

    public static final String SERVICE_ACCOUNT_TOKEN_NOT_USER_MANAGED = "[service_account_token] must belong to a user-managed service account";

    /** The principal Elasticsearch names for a bearer token (its {@code BearerToken.principal()}). */
    public static final String BEARER_TOKEN_PRINCIPAL = "_bearer_token";

    public static String grantTypeNotSupported(String type) {
        return "grant_type [" + type + "] is not supported";
    }

    public static String grantFieldRequired(String field, String type) {
        return "[" + field + "] is required for grant_type [" + type + "]";
    }

    public static String grantFieldNotSupported(String field, String type) {
        return "[" + field + "] is not supported for grant_type [" + type + "]";
    }

    /** Cross-cluster API keys (RestCreateCrossClusterApiKeyAction, CrossClusterApiKeyRoleDescriptorBuilder). */
    public static final String CROSS_CLUSTER_API_KEY_PARSER = "cross_cluster_api_key_request";

    public static final String UPDATE_CROSS_CLUSTER_API_KEY_PARSER = "update_cross_cluster_api_key_request_payload";

    public static final String CROSS_CLUSTER_ACCESS_EMPTY = "must specify non-empty access for either [search] or [replication]";

    public static final String CROSS_CLUSTER_UPDATE_NOTHING = "must update either [access] or [metadata] for cross-cluster API keys";

    public static final String CROSS_CLUSTER_REPLICATION_DLS_FLS = "replication does not support document or field level security";

    public static String crossClusterAccessUnknownField(String field) {
        return "[cross_cluster_api_key_request_access] unknown field [" + field + "]";
    }

    public static String crossClusterAccessWrongType(String field, com.fasterxml.jackson.databind.JsonNode value) {
        return "[cross_cluster_api_key_request_access] " + field + " doesn't support values of type: "
                + (value.isNull() ? "VALUE_NULL" : value.isObject() ? "START_OBJECT" : value.isTextual() ? "VALUE_STRING" : "VALUE_NUMBER");
    }

    public static String crossClusterIndicesParse(String detail) {
        return "failed to parse indices privileges for role [cross_cluster]. " + detail;
    }

    public static String booleanValueParse(String value) {
        return "Can't parse boolean value [" + value + "], expected [true] or [false]";
    }

    /** {@code ConstructingObjectParser}: required constructor arguments that never arrived. */
    public static String requiredFields(List<String> fields) {
        return "Required [" + String.join(", ", fields) + "]";
    }

    /** {@code ConstructingObjectParser}: building the request object failed (its cause says why). */
    public static String failedToBuild(String parserName) {
        return "Failed to build [" + parserName + "] after last required field arrived";
    }

    /** {@code ObjectParser}: a declared field whose value failed to parse. */
    public static String objectParserFailedToParseField(String parserName, String field) {
        return "[" + parserName + "] failed to parse field [" + field + "]";
    }

    /** The same for a setting, as the settings layer words it. */
    public static String notABooleanSetting(String value, String key) {
        return notABoolean(value) + " for setting [" + key + "]";
    }

    /** Elasticsearch's settings parse failure; callers append the why (" must be between …", ": …"). */
    public static String failedToParseSetting(String value, String key) {
        return "Failed to parse value [" + value + "] for setting [" + key + "]";
    }

    /** {@code Booleans.parseBoolean} for a request parameter. */
    public static String notABoolean(String value) {
        return "Failed to parse value [" + value + "] as only [true] or [false] are allowed.";
    }

    public static final String GET_API_KEY_ID_OR_NAME_WITH_USER =
            "username or realm name must not be specified when the api key id or api key name is specified";

    public static final String GET_API_KEY_OWNED_WITH_USER = "neither username nor realm-name may be specified when retrieving owned API keys";

    public static final String GET_API_KEY_ID_AND_NAME = "only one of [api key id, api key name] can be specified";

    public static final String INVALIDATE_API_KEY_NOTHING_SPECIFIED =
            "One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false";

    public static final String INVALIDATE_API_KEY_IDS_OR_NAME_WITH_USER =
            "username or realm name must not be specified when the api key id(s) or api key name are specified";

    public static final String INVALIDATE_API_KEY_OWNED_WITH_USER =
            "neither username nor realm-name may be specified when invalidating owned API keys";

    public static final String INVALIDATE_API_KEY_IDS_AND_NAME = "only one of [api key id(s), api key name] can be specified";

    public static final String INVALIDATE_API_KEY_EMPTY_IDS = "Field [ids] cannot be an empty array";

    /** {@code positions} as {@code Arrays.toString}, e.g. {@code [0, 2]}. */
    public static String invalidateApiKeyBlankIds(int count, String positions) {
        return "Field [ids] must not contain blank id, but got blank " + (count == 1 ? "id" : "ids") + " at index "
                + (count == 1 ? "position" : "positions") + ": " + positions;
    }

    // --- Node start (NodeEnvironment)
    /** {@code tried} is the data paths as Java prints a list, e.g. {@code [/var/lib/svctoken]}. */
    public static String failedToObtainNodeLocks(String tried) {
        return "failed to obtain node locks, tried " + tried + ";"
                + " maybe these locations are not writable or multiple nodes were started on the same data path?";
    }

    // --- Nodes responses: a node that did not answer (FailedNodeException, NodeNotConnectedException,
    // ReceiveTimeoutTransportException; the address is the node's HTTP address here)
    public static final String FAILED_NODE_TYPE = "failed_node_exception";

    public static final String NODE_NOT_CONNECTED_TYPE = "node_not_connected_exception";

    public static final String RECEIVE_TIMEOUT_TYPE = "receive_timeout_transport_exception";

    public static final String CLEAR_SECURITY_CACHE_ACTION = "cluster:admin/xpack/security/cache/clear";

    public static final String GET_SERVICE_ACCOUNT_NODES_CREDENTIALS_ACTION = "cluster:monitor/xpack/security/service_account/credential/get[n]";

    public static String failedNode(String nodeId) {
        return "Failed node [" + nodeId + "]";
    }

    public static String nodeNotConnected(String nodeName, String address) {
        return "[" + nodeName + "][" + address + "] Node not connected";
    }

    public static String receiveTimeout(String nodeName, String address, String action, long requestId, long timeoutMillis) {
        return "[" + nodeName + "][" + address + "][" + action + "] request_id [" + requestId + "] timed out after [" + timeoutMillis + "ms]";
    }

    // --- svctoken's own (no Elasticsearch text): PostgreSQL text columns cannot hold U+0000, so no store takes it
    public static String nulCharacterNotAllowed(String field) {
        return "[" + field + "] must not contain the character U+0000";
    }

    // --- Gateway: multi-item bodies (_bulk's BulkRequestParser, _msearch's MultiSearchRequest, _mget's MultiGetRequest)
    public static final String BULK_NOT_TERMINATED = "The bulk request must be terminated by a newline [\\n]";

    /** Not a typo: this one ends with a real line feed inside the brackets, where bulk's has a backslash and an n. */
    public static final String MSEARCH_NOT_TERMINATED = "The msearch request must be terminated by a newline [\n]";

    public static String bulkMalformedExpected(int line, String expected, String found) {
        return "Malformed action/metadata line [" + line + "], expected " + expected + " but found [" + found + "]";
    }

    /** Since 8.5 an unknown action refuses the whole request. */
    public static String bulkUnknownAction(int line, String action) {
        return "Malformed action/metadata line [" + line + "], expected field [create], [delete], [index] or [update] but found ["
                + action + "]";
    }

    public static String bulkUnknownParameter(int line, String field) {
        return "Action/metadata line [" + line + "] contains an unknown parameter [" + field + "]";
    }

    public static String bulkExpectedSimpleValue(int line, String field, String found) {
        return "Malformed action/metadata line [" + line + "], expected a simple value for field [" + field + "] but found [" + found + "]";
    }

    /** Elasticsearch 9's text; 8.x ignores what follows the action object with a deprecation warning. */
    public static String bulkDataAfterClosingBrace(int line) {
        return "Malformed action/metadata line [" + line + "], unexpected data after the closing brace";
    }

    public static final String INDEX_MISSING = "index is missing";

    public static final String NO_REQUESTS_ADDED = "no requests added";

    /** An empty body where the API reads {@code source} as well ({@code _msearch}, {@code _mget}). */
    public static final String BODY_OR_SOURCE_REQUIRED = "request body or source parameter is required";

    public static final String ID_MISSING = "id is missing";

    public static String msearchUnsupportedKey(String key) {
        return "key [" + key + "] is not supported in the metadata section";
    }

    public static final String MSEARCH_TOKEN_AFTER_OBJECT = "Unexpected token after end of object";

    public static String mgetUnknownKey(String key, String token) {
        return "unknown key [" + key + "] for a " + token + ", expected [docs] or [ids]";
    }

    public static final String MGET_NO_DOCUMENTS = "no documents to get";

    public static final String MGET_IDS_ONLY = "ids array element should only contain ids";

    public static final String MGET_DOCS_OBJECTS_ONLY = "docs array element should include an object";

    public static String mgetUnexpectedToken(String token) {
        return "unexpected token [" + token + "], expected [FIELD_NAME] or [START_ARRAY]";
    }

    /** svctoken's own: a target or document field that is neither a name nor a list of names. */
    public static String notANameValue(String field) {
        return "[" + field + "] must be a name or a list of names";
    }

    public static String mgetIndexMissing(int doc) {
        return "index is missing for doc " + doc;
    }

    public static String mgetIdMissing(int doc) {
        return "id is missing for doc " + doc;
    }

    /** svctoken's own: the gateway reads each action or header line whole, so it bounds their length. */
    public static String lineTooLong(int line, int limit) {
        return "action/metadata line [" + line + "] is longer than the gateway's limit of [" + limit + "] bytes";
    }

    /** svctoken's own: the gateway reads an _mget body whole, so it bounds its length. */
    public static String mgetBodyTooLarge(int limit) {
        return "the _mget body is larger than the gateway's limit of [" + limit + "] bytes";
    }

    /** svctoken's own: the gateway reads an _aliases or _reindex body whole to decide it, so it bounds its length. */
    public static String decidedBodyTooLarge(String api, int limit) {
        return "the " + api + " body is larger than the gateway's limit of [" + limit + "] bytes";
    }

    // IndicesAliasesRequest and ReindexRequest validation, read by the gateway before it forwards them
    public static final String ALIAS_ACTIONS_REQUIRED = "Must specify at least one alias action";
    public static final String ALIAS_ACTION_INDEX_REQUIRED = "One of [index] or [indices] is required";
    public static final String REINDEX_SOURCE_REQUIRED = "use _all if you really want to copy from all existing indexes";
    public static final String REINDEX_DEST_REQUIRED = "index must be specified";

    /** svctoken's own: the gateway reads these bodies item by item and inflates only gzip and deflate. */
    public static String gatewayCannotReadEncodedItems(String path, String encoding) {
        return "the gateway reads the items of [" + path + "] one by one and cannot read a [" + encoding + "] body: send it uncompressed,"
                + " gzip or deflate";
    }

    /** svctoken's own: a gzip or deflate body the gateway inflates to read its items is corrupt or cut short (400). */
    public static String bodyCannotBeDecoded(String encoding, String why) {
        return "the [" + encoding + "] request body cannot be decoded: " + why;
    }

    /** svctoken's own: the gateway's upstream went away before its answer began (502). */
    public static String upstreamClosedBeforeAnswering(String upstream, String cause) {
        return "the upstream [" + upstream + "] closed the connection before answering" + (cause == null ? "" : ": " + cause);
    }

    /** svctoken's own: the gateway's upstream was silent for the response timeout (504). */
    public static String upstreamDidNotAnswer(String upstream, long timeoutMillis) {
        return "the upstream [" + upstream + "] did not answer within [" + timeoutMillis + "ms]";
    }

    /** Elasticsearch's text for a {@code wait_for_status} (or {@code health}) that is not green, yellow or red. */
    public static String unknownClusterHealthStatus(String status) {
        return "unknown cluster health status [" + status + "]";
    }

    /** svctoken's own: forward authentication checks cluster actions only. */
    public static String forwardAuthNotAClusterAction(String action) {
        return "[action] names cluster actions only (cluster:...), got [" + action + "]";
    }
}
