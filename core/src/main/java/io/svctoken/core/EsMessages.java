package io.svctoken.core;

import com.fasterxml.jackson.core.JsonToken;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Elasticsearch's exact user-visible strings that the domain itself produces (validation and authentication
 * reasons, authorization denials, the file formats' errors). Compatibility depends on these texts byte for byte,
 * so every caller formats them through here instead of typing them again. Each module keeps its own texts in one
 * place: the server's in {@code ServerEsMessages}, the command-line tools' in {@code CliEsMessages}.
 */
public final class EsMessages {

    private EsMessages() {
    }

    // --- Account ids
    public static String accountIdFormat(String value) {
        return "a service account ID must be in the form {namespace}/{service-name}, but was [" + value + "]";
    }

    public static final String ACCOUNT_NAMESPACE_EMPTY = "the namespace of a service account ID must not be empty";

    public static final String ACCOUNT_SERVICE_EMPTY = "the service-name of a service account ID must not be empty";

    // --- User-managed service accounts (9.6): name and request validation
    public static final String UM_ELASTIC_NAMESPACE_RESERVED = "the [elastic] namespace is reserved for built-in service accounts";

    public static final String UM_NAMESPACE_MISSING = "service account namespace is missing";

    public static final String UM_SERVICE_MISSING = "service account service name is missing";

    /** @param part {@code namespace} or {@code service name} */
    public static String umNameCharacters(String part, String value) {
        return "service account " + part + " [" + value + "] must begin with a letter or digit and may contain only letters,"
                + " digits, hyphens (-) and underscores (_)";
    }

    /** The tail after {@code but [v] is} is not confirmed from Elasticsearch's source. */
    public static String umNameTooLong(String part, int max, String value) {
        return "service account " + part + " may not be more than " + max + " characters long, but [" + value + "] is ["
                + value.length() + "] characters long";
    }

    public static String umTooManyRoles(int max, int given) {
        return "a service account may not have more than " + max + " roles, but [" + given + "] were given";
    }

    public static String umDescriptionTooLong(int max, int given) {
        return "a service account description may not be more than " + max + " characters long, but [" + given + "] were given";
    }

    public static String umLeftoverTokens(String principal) {
        return "cannot create service account [" + principal + "] because it has leftover service tokens; delete the tokens first";
    }

    public static String umHasTokens(String principal) {
        return "cannot delete service account [" + principal + "] because it has service tokens; delete the tokens first,"
                + " or set force=true to delete the account and leave its tokens in place";
    }

    public static String umFullName(String principal) {
        return "User-managed service account - " + principal;
    }

    // --- Request validation
    public static String invalidTokenName(String name) {
        return "invalid service token name [" + name + "]. service account token name must have at least 1 character"
                + " and at most 256 characters that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-) or underscore (_)."
                + " It must not begin with an underscore (_).";
    }

    // --- Authentication
    public static String failedToAuthenticateServiceAccount(String principal, String tokenName) {
        return "failed to authenticate service account [" + principal + "] with token name [" + tokenName + "]";
    }

    public static final String ERROR_ATTEMPTING_TO_AUTHENTICATE = "error attempting to authenticate request";

    public static final String UNABLE_TO_AUTHENTICATE =
            "unable to authenticate with provided credentials and anonymous access is not allowed for this request";

    public static String missingCredentials(String uri) {
        return "missing authentication credentials for REST request [" + uri + "]";
    }

    public static String unableToAuthenticateUser(String username, String uri) {
        return "unable to authenticate user [" + username + "] for REST request [" + uri + "]";
    }

    /** A user name and password checked for an action, not a REST request (the OAuth2 {@code password} grant). */
    public static String unableToAuthenticateUserForAction(String username, String action) {
        return "unable to authenticate user [" + username + "] for action [" + action + "]";
    }

    // --- OAuth2 access and refresh tokens (Elasticsearch's TokenService)
    /** An access token expired or invalidated: the reason, and the challenge sent before the usual ones. */
    public static final String TOKEN_EXPIRED = "token expired";
    public static final String EXPIRED_TOKEN_CHALLENGE =
            "Bearer realm=\"security\", error=\"invalid_token\", error_description=\"The access token expired\"";
    public static final String COULD_NOT_REFRESH_TOKEN = "could not refresh the requested token";
    public static final String TOKEN_DOCUMENT_EXPIRED = "token document has expired";
    public static final String TOKEN_INVALIDATED = "token has been invalidated";
    public static final String TOKEN_WRONG_CLIENT = "tokens must be refreshed by the creating client";
    public static final String TOKEN_REFRESHED_IN_THE_PAST = "token has already been refreshed more than 30 seconds in the past";
    public static final String TOKEN_REFRESHED_IN_THE_FUTURE = "token has been refreshed more than 30 seconds in the future, clock skew too great";
    public static final String SERVICE_ACCOUNT_OAUTH2 = "OAuth2 token creation is not supported for service accounts";

    /**
     * svctoken's own 429 reason (Elasticsearch has no failed-authentication throttle); {@code what} is
     * {@code user [name]}, {@code service account token [ns/service/name]} or {@code API key [id]}.
     */
    public static String tooManyFailedAuthentications(String what, long retryAfterSeconds) {
        return "too many failed authentication attempts for " + what + " from this client address; retry after ["
                + retryAfterSeconds + "] seconds";
    }

    public static final String INVALID_BASIC_HEADER_ENCODING = "invalid basic authentication header encoding";

    public static final String INVALID_BASIC_HEADER_VALUE = "invalid basic authentication header value";

    // --- Authorization
    public static String actionUnauthorized(String action, String subject) {
        return "action [" + action + "] is unauthorized for " + subject;
    }

    public static String grantedByClusterPrivileges(List<String> privileges) {
        return ", this action is granted by the cluster privileges [" + String.join(",", privileges) + "]";
    }

    public static String grantedByIndexPrivileges(List<String> privileges) {
        return ", this action is granted by the index privileges [" + String.join(",", privileges) + "]";
    }

    /** The names part of an index denial: {@code on indices [a,b]}, {@code on restricted indices [.x]} or both. */
    public static String onIndices(Collection<String> names, Collection<String> restricted) {
        String text = "";
        if (!names.isEmpty()) {
            text = " on indices [" + String.join(",", names) + "]";
        }
        if (!restricted.isEmpty()) {
            text += (text.isEmpty() ? " on" : " and") + " restricted indices [" + String.join(",", restricted) + "]";
        }
        return text;
    }

    public static String actionNoWildcards(String action, Collection<String> expressions) {
        return "the action " + action + " does not support wildcards; the provided index expression(s) ["
                + String.join(",", expressions) + "] are not allowed";
    }

    public static String actionNoAllIndices(String action) {
        return "the action " + action + " does not support accessing all indices; the provided index expression [_all] is not allowed";
    }

    public static String noSuchIndex(String name) {
        return "no such index [" + name + "]";
    }

    /** A {@code names} entry starting with {@code /} but not ending with one ({@code Automatons}). */
    public static String invalidIndexNamePattern(String pattern) {
        return "invalid pattern [" + pattern + "]. patterns starting with '/' indicate regular expression pattern and therefore must also"
                + " end with '/'. other patterns (those that do not start with '/') will be treated as simple wildcard patterns";
    }

    public static String userSubject(String user, String roleText) {
        return "user [" + user + "] " + roleText;
    }

    public static String runAsSubject(String authenticating, String effective, String roleText) {
        return "user [" + authenticating + "] run as [" + effective + "] " + roleText;
    }

    public static String serviceAccountSubject(String principal) {
        return "service account [" + principal + "]";
    }

    public static String effectiveRoles(Collection<String> found, Collection<String> missing) {
        String text = "with effective roles [" + String.join(",", new TreeSet<>(found)) + "]";
        if (!missing.isEmpty()) {
            text += " (assigned roles [" + String.join(",", new TreeSet<>(missing)) + "] were not found)";
        }
        return text;
    }

    public static String runAsDenied(String user) {
        return ", because user [" + user + "] is unauthorized to run as [";
    }

    // --- User and role names, passwords (x-pack core security/support/Validation.java)
    public static final String USERNAME_MISSING = "username is missing";

    public static final String ROLE_NAME_MISSING = "role name is missing";

    /** {@code kind} is {@code User} or {@code Role}; {@code maxLength} is 1024 (default, file realm) or 507 (native realm). */
    public static String invalidUserOrRoleName(String kind, int maxLength) {
        return kind + " names must be at least 1 and no more than " + maxLength + " characters. They can contain alphanumeric"
                + " characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block."
                + " Leading or trailing whitespace is not allowed.";
    }

    public static String usernameIsReserved(String username) {
        return "Username [" + username + "] is reserved and may not be used.";
    }

    public static String roleIsReserved(String role) {
        return "Role [" + role + "] is reserved and may not be used.";
    }

    public static String passwordTooShort(int minLength) {
        return "passwords must be at least [" + minLength + "] characters long";
    }

    /** svctoken's text (Elasticsearch has no upper bound; bcrypt ignores the bytes after 72). */
    public static String passwordTooLongForBcrypt(int maxBytes, String algorithm) {
        return "passwords must be at most [" + maxBytes + "] bytes long in UTF-8 with the password hashing algorithm [" + algorithm
                + "], which ignores the bytes after them";
    }

    /** svctoken's text (Elasticsearch has no upper bound). */
    public static String passwordTooLong(int maxBytes) {
        return "passwords must be at most [" + maxBytes + "] bytes long in UTF-8";
    }

    public static String roleDescriptionTooLong(int maxLength) {
        return "Role description must be less than " + maxLength + " characters.";
    }

    /** How an {@code ActionRequestValidationException} / {@code ValidationException} renders its errors. */
    public static String validationFailed(List<String> errors) {
        StringBuilder sb = new StringBuilder("Validation Failed: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i + 1).append(": ").append(errors.get(i)).append(';');
        }
        return sb.toString();
    }

    // --- user and role APIs
    public static final String USER_MUST_EXIST_TO_CHANGE_PASSWORD = "user must exist in order to change password";

    public static String unsupportedPasswordHash(Collection<String> algorithms) {
        return "The provided password hash is not a hash or it could not be resolved to a supported hash algorithm. "
                + "The supported password hash algorithms are " + algorithms;
    }

    public static final String PASSWORD_MISSING_FOR_NEW_USER = "password must be specified unless you are updating an existing user";

    // --- users file (FileUserPasswdStore)
    public static String invalidUsersFileEntry(String absPath, int line) {
        return "invalid entry in users file [" + absPath + "], line [" + line + "]. skipping...";
    }

    public static String invalidUsernameInUsersFile(String username, String absPath, String reason) {
        return "invalid username [" + username + "] in users file [" + absPath + "], skipping... (" + reason + ")";
    }

    // --- users_roles file (FileUserRolesStore)
    public static String invalidUsersRolesFileEntry(String absPath, int line) {
        return "invalid entry in users_roles file [" + absPath + "], line [" + line + "]. skipping...";
    }

    public static String invalidRoleEntryInUsersRolesFile(String absPath, int line, String reason) {
        return "invalid role entry in users_roles file [" + absPath + "], line [" + line + "] - " + reason + ". skipping...";
    }

    public static String noUsersForRoleInUsersRolesFile(String role, String absPath, int line) {
        return "invalid entry for role [" + role + "] in users_roles file [" + absPath + "], line [" + line + "]. no users found. skipping...";
    }

    // --- roles.yml (FileRolesStore)
    public static String invalidRoleNameInRolesFile(String role, String absPath, String reason) {
        return "invalid role definition [" + role + "] in roles file [" + absPath + "]. invalid role name - " + reason + ". skipping role...";
    }

    /** {@code role} is the role name, or the literal {@code null} / the whole segment where Elasticsearch has no name. */
    public static String invalidRoleDefinitionInRolesFile(String role, String path) {
        return "invalid role definition [" + role + "] in roles file [" + path + "]. skipping role...";
    }

    /** A role whose body failed to parse: Elasticsearch logs the parse exception's message plus this suffix. */
    public static String skippingRole(String parseMessage) {
        return parseMessage + ". skipping role...";
    }

    public static String dlsFlsDisabledInRolesFile(String role, String absPath) {
        return "invalid role definition [" + role + "] in roles file [" + absPath + "]. document and field level security is not"
                + " enabled. set [xpack.security.dls_fls.enabled] to [true] in the configuration file. skipping role...";
    }

    public static String invalidRoleDescriptionInRolesFile(String role, String absPath, String reason) {
        return "invalid role definition [" + role + "] in roles file [" + absPath + "]. invalid description - " + reason + ". skipping role...";
    }

    /**
     * A roles.yml role naming a privilege Elasticsearch does not know (svctoken's check at load, in the
     * words of the file store's other refusals).
     */
    public static String invalidRolePrivilegesInRolesFile(String role, String absPath, String finding) {
        return "invalid role definition [" + role + "] in roles file [" + absPath + "]. " + finding + ". skipping role...";
    }

    // --- Role descriptor parsing (RoleDescriptor.parse, XContentUtils.readStringArray; REST 400 bodies)
    public static final String REQUEST_BODY_IS_REQUIRED = "request body is required";

    public static String roleParseFailed(String role) {
        return "failed to parse role [" + role + "]";
    }

    public static String roleExpectedObject(String role, String token) {
        return "failed to parse role [" + role + "]. expected an object but found [" + token + "] instead";
    }

    public static String privilegesCheckExpectedObject(String user, String token) {
        return "failed to parse privileges check [" + user + "]. expected an object but found [" + token + "] instead";
    }

    public static String privilegesCheckUnexpectedField(String user, String field) {
        return "failed to parse privileges check [" + user + "]. unexpected field [" + field + "]";
    }

    public static String privilegesCheckAllMissing(String user) {
        return "failed to parse privileges check [" + user + "]. All privilege fields [cluster,index,applications] are missing";
    }

    public static String notSupportedInHasPrivileges(String field) {
        return "Field [" + field + "] is not supported in a has_privileges request";
    }

    public static String roleUnexpectedField(String role, String field) {
        return "failed to parse role [" + role + "]. unexpected field [" + field + "]";
    }

    public static String expectedFieldOfType(String field, String type, String token) {
        return "expected field [" + field + "] to be of type " + type + ", but found [" + token + "] instead";
    }

    public static String stringArrayExpected(String field, String token) {
        return "could not parse [" + field + "] field. expected a string array but found [" + token + "] value instead";
    }

    public static String stringArrayNullValue(String field) {
        return "could not parse [" + field + "] field. expected a string array but found null value instead";
    }

    public static String stringArrayBadElement(String field, String token) {
        return "could not parse [" + field + "] field. expected a string array but one of the value in the array is [" + token + "]";
    }

    /** {@code what} is {@code indices}, {@code remote indices} or {@code application}. */
    public static String privilegesExpectedArray(String what, String role, String field, String token) {
        return "failed to parse " + what + " privileges for role [" + role + "]. expected field [" + field
                + "] value to be an array, but found [" + token + "] instead";
    }

    public static String privilegesExpectedArrayOfObjects(String what, String role, String field, String token) {
        return "failed to parse " + what + " privileges for role [" + role + "]. expected field [" + field
                + "] value to be an array of objects, but found an array element of type [" + token + "]";
    }

    public static String privilegesMissingField(String what, String role, String field) {
        return "failed to parse " + what + " privileges for role [" + role + "]. missing required [" + field + "] field";
    }

    public static String indicesPrivilegesProblem(String role, String detail) {
        return "failed to parse indices privileges for role [" + role + "]. " + detail;
    }

    public static String transientMetadataExpectedObject(String role, String token) {
        return "failed to parse transient metadata for role [" + role + "]. expected START_OBJECT but got " + token + " in \"transient_metadata\".";
    }

    public static String fieldPermissions2xFormat(String role) {
        return "[\"fields\": [...]] format has changed for field permissions in role [" + role
                + "], use [\"field_security\": {\"grant\":[...],\"except\":[...]}] instead";
    }

    public static final String INDICES_PRIVILEGES_NEED_A_PRIVILEGE = "indices privileges must define at least one privilege";

    public static final String REMOTE_INDICES_NEED_A_CLUSTER =
            "the [remote_indices] sub-field [clusters] must refer to at least one cluster alias or cluster alias pattern";

    public static final String APPLICATION_PRIVILEGES_NEED_A_NAME = "application privileges must have an application name";

    public static final String APPLICATION_PRIVILEGES_NEED_A_PRIVILEGE = "application privileges must define at least one privilege";

    public static final String APPLICATION_PRIVILEGES_NEED_A_RESOURCE = "application privileges must refer to at least one resource";

    public static final String ROLE_METADATA_RESERVED_KEYS = "role descriptor metadata keys may not start with [_]";

    /** {@code ClusterPrivilegeResolver.resolve}: a name that is neither a predefined cluster privilege nor a cluster action. */
    public static String unknownClusterPrivilege(String name, List<String> names) {
        return "unknown cluster privilege [" + name + "]. a privilege must be either one of the predefined cluster privilege names ["
                + String.join(",", names) + "] or a pattern over one of the available cluster actions";
    }

    /** {@code IndexPrivilege.resolve}: a name that is neither a predefined index privilege nor an index action. */
    public static String unknownIndexPrivilege(String name, List<String> names) {
        return "unknown index privilege [" + name + "]. a privilege must be either one of the predefined fixed indices privileges ["
                + String.join(",", names) + "] or a pattern over one of the available index actions";
    }

    /** The JDK's {@code Set.of} refusal of a repeated element, which Elasticsearch reports for an index group's privileges. */
    public static String duplicateElement(String element) {
        return "duplicate element: " + element;
    }

    /** {@code ObjectParser}'s message for a field it does not declare ({@code [line:col] } is prepended by the caller). */
    public static String objectParserUnknownField(String parserName, String field) {
        return "[" + parserName + "] unknown field [" + field + "]";
    }

    // --- a role's document-level query (DLSRoleQueryValidator, AbstractQueryBuilder)
    public static String roleQueryUnparsable(String indices, int group) {
        return "failed to parse field 'query' for indices [" + indices + "] at index privilege [" + group + "] of role descriptor";
    }

    public static String roleQueryExpectedObject(String token) {
        return "expected [START_OBJECT] but found [" + token + "] instead";
    }

    public static String roleQueryExpectedQueryName(String token) {
        return "expected [FIELD_NAME] with value a query name or 'template' but found [" + token + "] instead";
    }

    public static String unknownQuery(String name) {
        return "unknown query [" + name + "]";
    }

    public static String queryNotInARole(String name) {
        return name + " query isn't supported as part of a role query";
    }

    public static final String TERMS_LOOKUP_NOT_IN_A_ROLE = "terms query with terms lookup isn't supported as part of a role query";

    public static final String INDEXED_SHAPE_NOT_IN_A_ROLE = "geoshape query referring to indexed shapes isn't supported as part of a role query";

    /** {@code ObjectParser}: a declared field whose value failed to parse. */
    public static String objectParserFailedToParseField(String parserName, String field) {
        return "[" + parserName + "] failed to parse field [" + field + "]";
    }

    /** {@code ObjectParser}: the value read is no object. */
    public static String objectParserExpectedStartObject(String parserName, String token) {
        return "[" + parserName + "] Expected START_OBJECT but was: " + token;
    }

    public static String objectParserUnsupportedValue(String parserName, String field, String token) {
        return "[" + parserName + "] " + field + " doesn't support values of type: " + token;
    }

    // --- API keys (AbstractCreateApiKeyRequest, GetApiKeyRequest, InvalidateApiKeyRequest, ApiKeyService, TransportCreateApiKeyAction)
    /**
     * The name of Elasticsearch's parser token ({@code XContentParser.Token}) for a Jackson token, as its
     * parse errors print it: numbers are {@code VALUE_NUMBER}, booleans {@code VALUE_BOOLEAN}.
     */
    public static String xContentToken(JsonToken t) {
        if (t == null || t == JsonToken.NOT_AVAILABLE) {
            return "null";
        }
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "VALUE_NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "VALUE_BOOLEAN";
            default -> t.name();
        };
    }

    /** The authenticator's name in {@code additional_unsuccessful_credentials} ({@code API key: <reason>}). */
    public static final String API_KEY_AUTHENTICATOR = "API key";

    public static final String INVALID_API_KEY_VALUE = "invalid ApiKey value";

    public static final String API_KEY_EXPIRED = "api key is expired";

    public static String apiKeyNotFound(String id) {
        return "unable to find apikey with id " + id;
    }

    public static String apiKeyInvalidated(String id) {
        return "api key [" + id + "] has been invalidated";
    }

    public static String apiKeyInvalidCredentials(String id) {
        return "invalid credentials for API key [" + id + "]";
    }

    public static String apiKeyAuthenticationFailure(String id) {
        return "apikey authentication for id " + id + " encountered a failure";
    }

    // --- API key updates (ApiKeyService.updateApiKeys, validateForUpdate)
    public static final String API_KEY_UPDATE_WITH_API_KEY =
            "authentication via API key not supported: only the owner user can update an API key";

    public static String apiKeyNotOwned(String id) {
        return "no API key owned by requesting user found for ID [" + id + "]";
    }

    public static String cannotUpdateInvalidatedApiKey(String id) {
        return "cannot update invalidated API key [" + id + "]";
    }

    public static String cannotUpdateExpiredApiKey(String id) {
        return "cannot update expired API key [" + id + "]";
    }

    public static final String CROSS_CLUSTER_API_KEY_WITH_API_KEY =
            "authentication via API key not supported: An API key cannot be used to create a cross-cluster API key";

    /** A key of another type sent to the REST interface: a terminal refusal, not the generic 401. */
    public static String apiKeyWrongType(String id, String type) {
        return "authentication expected API key type of [rest], but API key [" + id + "] has type [" + type + "]";
    }

    public static String cannotUpdateApiKeyType(String type, String expected) {
        return "cannot update API key of type [" + type + "] while expected type is [" + expected + "]";
    }

    /** The 403 subject of an API key ({@code AuthorizationDenialMessages}); no roles are printed. */
    public static String apiKeySubject(String id, String owner) {
        return "API key id [" + id + "] of user [" + owner + "]";
    }
}
