package io.svctoken.core;

/**
 * The one place that holds Elasticsearch's exact user-visible strings (error reasons, messages)
 * for the service-account domain. Compatibility depends on these texts byte for byte, so every
 * caller formats them through here instead of typing them again.
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

    // --- Request validation
    public static final String NAMESPACE_REQUIRED = "service account namespace is required";
    public static final String SERVICE_REQUIRED = "service account service-name is required";

    public static String invalidTokenName(String name) {
        return "invalid service token name [" + name + "]. service account token name must have at least 1 character"
                + " and at most 256 characters that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-) or underscore (_)."
                + " It must not begin with an underscore (_).";
    }

    public static String accountDoesNotExist(String principal) {
        return "service account [" + principal + "] does not exist";
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

    // --- Generic REST layer
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

    // --- Authorization
    public static String actionUnauthorized(String action, String subject) {
        return "action [" + action + "] is unauthorized for " + subject;
    }

    public static String grantedByClusterPrivileges(java.util.List<String> privileges) {
        return ", this action is granted by the cluster privileges [" + String.join(",", privileges) + "]";
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

    public static String effectiveRoles(java.util.Collection<String> found, java.util.Collection<String> missing) {
        String text = "with effective roles [" + String.join(",", new java.util.TreeSet<>(found)) + "]";
        if (!missing.isEmpty()) {
            text += " (assigned roles [" + String.join(",", new java.util.TreeSet<>(missing)) + "] were not found)";
        }
        return text;
    }

    public static String runAsDenied(String user) {
        return ", because user [" + user + "] is unauthorized to run as [";
    }

    public static final String ONLY_ONE_PASSWORD_FORM = "only one of [password, passwordHash] can be provided";

    public static String unexpectedChangePasswordField(String field) {
        return "failed to parse change password request. unexpected field [" + field + "]";
    }

    // --- Duplicate create
    public static String documentAlreadyExists(String documentId) {
        return "[" + documentId + "]: version conflict, document already exists (current version [1])";
    }

    // --- Delete
    public static String clearCacheFailed(String qualifiedName) {
        return "clearing the cache for service token [" + qualifiedName + "] failed. please clear the cache manually";
    }

    // --- CLI / file store
    public static String failedToLoadServiceTokens(String path) {
        return "Failed to load service_tokens file [" + path + "]";
    }

    /** {@code known} in Elasticsearch's order (see {@code BuiltinServiceAccounts#cliOrder()}), joined with "," and no spaces. */
    public static String unknownPrincipal(String principal, Iterable<String> known) {
        return "Unknown service account principal: [" + principal + "]. Must be one of [" + String.join(",", known) + "]";
    }

    public static String tokenAlreadyExists(String qualifiedName) {
        return "Service token [" + qualifiedName + "] already exists";
    }

    public static String tokenDoesNotExist(String qualifiedName) {
        return "Service token [" + qualifiedName + "] does not exist";
    }

    // --- elasticsearch-service-tokens
    public static final String SERVICE_TOKENS_TOOL_DESCRIPTION = "Manages elasticsearch service account file-tokens";
    public static final String SERVICE_TOKENS_CREATE_DESCRIPTION = "Create a file token for specified service account and token name";
    public static final String SERVICE_TOKENS_DELETE_DESCRIPTION = "Remove a file token for specified service account and token name";
    public static final String SERVICE_TOKENS_LIST_DESCRIPTION = "List file tokens for the specified service account";
    public static final String MISSING_PRINCIPAL_AND_TOKEN_NAME = "Missing service-account-principal and token-name arguments";
    public static final String MISSING_TOKEN_NAME = "Missing token-name argument";

    /** {@code args} comma-joined without spaces, as Elasticsearch's {@code collectionToCommaDelimitedString}. */
    public static String expectedTwoArguments(Iterable<String> args) {
        return "Expected two arguments, service-account-principal and token-name, found extra: [" + String.join(",", args) + "]";
    }

    public static String expectedAtMostOneArgument(Iterable<String> args) {
        return "Expected at most one argument, service-account-principal, found extra: [" + String.join(",", args) + "]";
    }

    /** The validator of {@code xpack.security.authc.service_token_hashing.algorithm}; {@code valid} in Elasticsearch's enum order. */
    public static String invalidHashingAlgorithm(String value, java.util.Collection<String> valid) {
        return "Invalid algorithm: " + value + ". Valid values for password hashing are " + new java.util.ArrayList<>(valid);
    }

    /** The shared file writer's failure (wrapped in an {@code UncheckedIOException} by Elasticsearch). */
    public static String couldNotWriteFile(String absolutePath) {
        return "could not write file [" + absolutePath + "]";
    }

    // --- Common CLI framework
    public static final String MISSING_REQUIRED_COMMAND = "Missing required command";
    public static final String ES_PATH_CONF_NOT_SET = "the system property [es.path.conf] must be set";
    public static final String HELP_COMMANDS_HEADER = "Commands";
    public static final String HELP_COMMANDS_UNDERLINE = "--------";

    public static String unknownCommand(String name) {
        return "Unknown command [" + name + "]";
    }

    /** A command-line {@code -E key=} without a value. */
    public static String settingMustNotBeEmpty(String key) {
        return "setting [" + key + "] must not be empty";
    }

    public static String settingSetTwice(String key) {
        return "setting [" + key + "] set twice via command line -E";
    }

    /** Help texts of the options every Elasticsearch command has. */
    public static final String OPTION_SETTING_DESCRIPTION = "Configure a setting";
    public static final String OPTION_HELP_DESCRIPTION = "Show help";
    public static final String OPTION_SILENT_DESCRIPTION = "Show minimal output";
    public static final String OPTION_VERBOSE_DESCRIPTION = "Show verbose output";

    /** jopt-simple's message for an option the command does not know ({@code name} without dashes). */
    public static String notARecognizedOption(String name) {
        return name + " is not a recognized option";
    }

    /** jopt-simple's message for {@code -v} together with {@code -s}. */
    public static final String VERBOSE_UNAVAILABLE_WITH_SILENT = "Option(s) [v/verbose] are unavailable given other options on the command line";

    /** jopt-simple's message for an option given without its required argument. */
    public static String optionRequiresArgument(String name) {
        return "Option " + name + " requires an argument";
    }

    /** jopt-simple's message for a single-valued option given twice ({@code name} as {@code p/password}). */
    public static String multipleArgumentsForOption(String name) {
        return "Found multiple arguments for option " + name + ", but you asked for only one";
    }

    /** jopt-simple's message for required options that are absent ({@code names} as {@code u/username}). */
    public static String missingRequiredOptions(java.util.List<String> names) {
        return "Missing required option(s) [" + String.join(", ", names) + "]";
    }

    /** jopt-simple's message for an option given together with one that excludes it ({@code name} as {@code v/verbose}). */
    public static String optionsUnavailable(String name) {
        return "Option(s) [" + name + "] are unavailable given other options on the command line";
    }

    /** Appended to a {@code UserException}'s message by the newest Elasticsearch {@code Command}. */
    public static String withExitCode(String message, int exitCode) {
        return message + ", with exit code " + exitCode;
    }

    // --- File attribute checker, printed after rewriting a security file
    public static String filePermissionsChanged(String path, String before, String after) {
        return "WARNING: The file permissions of [" + path + "] have changed from [" + before + "] to [" + after + "]";
    }

    public static final String FILE_PERMISSIONS_HINT = "Please ensure that the user account running Elasticsearch has read access to this file!";

    public static String fileOwnerChanged(String path, String before, String after) {
        return "WARNING: Owner of file [" + path + "] used to be [" + before + "], but now is [" + after + "]";
    }

    public static String fileGroupChanged(String path, String before, String after) {
        return "WARNING: Group of file [" + path + "] used to be [" + before + "], but now is [" + after + "]";
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
    public static String validationFailed(java.util.List<String> errors) {
        StringBuilder sb = new StringBuilder("Validation Failed: ");
        for (int i = 0; i < errors.size(); i++) {
            sb.append(i + 1).append(": ").append(errors.get(i)).append(';');
        }
        return sb.toString();
    }

    // --- elasticsearch-create-enrollment-token
    public static final String ENROLLMENT_TOOL_DESCRIPTION = "Creates enrollment tokens for elasticsearch nodes and kibana instances";
    public static final String ENROLLMENT_INVALID_SCOPE_DETAIL = "The scope of this enrollment token, can only be one of [node, kibana]";
    public static final String ENROLLMENT_INVALID_SCOPE = "Invalid scope";
    public static final String ENROLLMENT_NO_KEYSTORE =
            "Unable to create an enrollment token. Elasticsearch node HTTP layer SSL configuration is not configured with a keystore";
    public static final String ENROLLMENT_NODE_SCOPE_UNSUPPORTED = "svctoken does not create node enrollment tokens: it has no"
            + " cluster for Elasticsearch nodes to join. Use -s kibana";

    public static String enrollmentTokenFailed(String scope) {
        return "Unable to create enrollment token for scope [" + scope + "]";
    }

    public static final String ENROLLMENT_API_KEY_NAME_PREFIX = "enrollment_token_API_key_";
    public static final String ENROLL_KIBANA_ACTION = "cluster:admin/xpack/security/enroll/kibana";
    /** The enrollment APIs' answer (403 {@code security_exception}) when enrollment is switched off. */
    public static final String ENROLLMENT_NOT_ENABLED =
            "Enrollment mode is not enabled. Set [xpack.security.enrollment.enabled] to true, in order to use this API.";
    /** The tools that work through a temporary file-realm superuser, when the file realm is off (exit 78). */
    public static final String FILE_REALM_MUST_BE_ENABLED = "File realm must be enabled";
    /** {@code elasticsearch-create-enrollment-token} when enrollment is switched off (exit 78). */
    public static final String ENROLLMENT_TOKEN_NEEDS_ENABLED =
            "[xpack.security.enrollment.enabled] must be set to `true` to create an enrollment token";

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
    public static final String USER_MUST_EXIST_TO_CHANGE_PASSWORD = "user must exist in order to change password";

    public static String unsupportedPasswordHash(java.util.Collection<String> algorithms) {
        return "The provided password hash is not a hash or it could not be resolved to a supported hash algorithm. "
                + "The supported password hash algorithms are " + algorithms;
    }

    /** A request body that is not JSON (Elasticsearch's x_content_parse_exception reason). */
    public static final String FAILED_TO_PARSE_REQUEST_BODY = "Failed to parse request body";

    /** A {@code parsing_exception} for a token after a body's root value ({@code SearchSourceBuilder}'s trailing-token check). */
    public static String tokenAfterMainObject(String token) {
        return "Unexpected token [" + token + "] found after the main object.";
    }

    public static final String PASSWORD_MISSING_FOR_NEW_USER = "password must be specified unless you are updating an existing user";
    public static final String USER_METADATA_RESERVED_KEYS = "metadata keys may not start with [_]";
    public static final String ROLES_ARE_MISSING = "roles are missing";
    public static final String OWN_ENABLED_STATUS = "users may not update the enabled status of their own account";

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
    public static String unknownClusterPrivilege(String name, java.util.List<String> names) {
        return "unknown cluster privilege [" + name + "]. a privilege must be either one of the predefined cluster privilege names ["
                + String.join(",", names) + "] or a pattern over one of the available cluster actions";
    }

    /** {@code IndexPrivilege.resolve}: a name that is neither a predefined index privilege nor an index action. */
    public static String unknownIndexPrivilege(String name, java.util.List<String> names) {
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

    public static String objectParserUnsupportedValue(String parserName, String field, String token) {
        return "[" + parserName + "] " + field + " doesn't support values of type: " + token;
    }

    // --- elasticsearch-users (UsersTool)
    public static final String USERS_TOOL_DESCRIPTION = "Manages elasticsearch file users";
    public static final String USERS_USERADD_DESCRIPTION = "Adds a file user";
    public static final String USERS_USERDEL_DESCRIPTION = "Deletes a file based user";
    public static final String USERS_PASSWD_DESCRIPTION = "Changes the password of an existing file based user";
    public static final String USERS_ROLES_DESCRIPTION = "Edit roles of an existing user";
    public static final String USERS_LIST_DESCRIPTION = "List existing file based users and their corresponding roles";
    public static final java.util.List<String> USERS_USERADD_HELP = java.util.List.of(
            "Adds a file based user to elasticsearch (via internal realm). The user will",
            "be added to the \"users\" file and its roles will be added to the",
            "\"users_roles\" file in the elasticsearch config directory.",
            "");
    public static final java.util.List<String> USERS_USERDEL_HELP = java.util.List.of(
            "Removes an existing file based user from elasticsearch. The user will be",
            "removed from the \"users\" file and its roles will be removed from the",
            "\"users_roles\" file in the elasticsearch config directory.",
            "");
    public static final java.util.List<String> USERS_PASSWD_HELP = java.util.List.of(
            "The passwd command changes passwords for file based users. The tool",
            "prompts twice for a replacement password. The second entry is compared",
            "against the first and both are required to match in order for the",
            "password to be changed.",
            "");
    public static final java.util.List<String> USERS_ROLES_HELP = java.util.List.of(
            "The roles command allows editing roles for file based users.",
            "You can also list a user's roles by omitting the -a and -r",
            "parameters.",
            "");
    public static final java.util.List<String> USERS_LIST_HELP = java.util.List.of("", "");
    public static final String USERS_OPTION_PASSWORD = "The user password";
    public static final String USERS_OPTION_ROLES = "Comma-separated list of the roles of the user";
    public static final String USERS_OPTION_ADD_ROLES = "Adds supplied roles to the specified user";
    public static final String USERS_OPTION_REMOVE_ROLES = "Remove supplied roles from the specified user";
    public static final String MISSING_USERNAME = "Missing username argument";
    public static final String ENTER_NEW_PASSWORD = "Enter new password: ";
    public static final String RETYPE_NEW_PASSWORD = "Retype new password: ";
    public static final String PASSWORD_MISMATCH = "Password mismatch";
    public static final String ERROR_STORING_PASSWORD = "Error storing the password for the new user";
    public static final String NO_USERS_FOUND = "No users found";

    /** {@code args} as Java's {@code List.toString}: {@code [a, b]}. */
    public static String expectedSingleUsername(java.util.List<String> args) {
        return "Expected a single username argument, found extra: " + args;
    }

    public static String invalidUsername(String username, String reason) {
        return "Invalid username [" + username + "]... " + reason;
    }

    public static String invalidPassword(String reason) {
        return "Invalid password..." + reason;
    }

    public static String invalidRole(String role, String reason) {
        return "Invalid role [" + role + "]... " + reason;
    }

    public static String fipsRequiresPbkdf2(String setting) {
        return "Only PBKDF2 is allowed for password hashing in a FIPS 140 JVM. Please set the appropriate value for [ " + setting
                + " ] setting.";
    }

    /** {@code unknownRoles} comma-joined without spaces; {@code rolesFile} absolute. */
    public static String unknownRolesWarning(String unknownRoles, String rolesFile) {
        return "Warning: The following roles [" + unknownRoles + "] are not in the [" + rolesFile + "] file. Make sure the names are"
                + " correct. If the names are correct and the roles were created using the API please disregard this message."
                + " Nonetheless the user will still be associated with all specified roles";
    }

    /** {@code knownRoles} as Java's {@code Set.toString}. */
    public static String knownRoles(String knownRoles) {
        return "Known roles: " + knownRoles;
    }

    public static String configurationFileMissing(String path) {
        return "Configuration file [" + path + "] is missing";
    }

    public static String userAlreadyExists(String username) {
        return "User [" + username + "] already exists";
    }

    public static String userDoesNotExist(String username) {
        return "User [" + username + "] doesn't exist";
    }

    /** The legend after a {@code list} that marked roles with {@code *}; {@code rolesFile} absolute. */
    public static String unknownRoleLegend(String rolesFile) {
        return " [*]   Role is not in the [" + rolesFile + "] file. If the role has been created using the API, please disregard this message.";
    }

    /** {@code FileUserPasswdStore}'s read failure ({@code kind} {@code users}; svctoken says {@code users_roles} for that file). */
    public static String couldNotReadFile(String kind, String absolutePath) {
        return "could not read " + kind + " file [" + absolutePath + "]";
    }

    // --- elasticsearch-reset-password (ResetPasswordTool, BaseRunAsSuperuserCommand)
    public static final String RESET_PASSWORD_DESCRIPTION = "Resets the password of users in the native realm and built-in users.";
    public static final String RESET_OPTION_USERNAME = "The username of the user whose password will be reset";
    public static final String RESET_OPTION_FORCE =
            "Use this option to force execution of the command against a cluster that is currently unhealthy.";
    public static final String RESET_OPTION_URL = "the URL where the elasticsearch node listens for connections.";
    public static final String RESET_ONE_MODE_ONLY = "You can only run the tool in one of [auto] or [interactive] modes";
    public static final String RESET_PROMPTED_FOR_PASSWORD = "You will be prompted to enter the password.";
    public static final String RESET_PASSWORD_PRINTED = "The password will be printed in the console.";
    public static final String CONFIRM_CONTINUE = "Please confirm that you would like to continue";
    public static final String USER_CANCELLED = "User cancelled operation";
    public static final String PASSWORDS_DO_NOT_MATCH = "Passwords do not match.";
    public static final String TRY_AGAIN = "Try again.";
    public static final String NEW_VALUE = "New value: ";
    public static final String CLUSTER_HEALTH_FAILED = "Failed to determine the health of the cluster. ";
    /** svctoken's text (Elasticsearch names {@code -u}, which is the user name option of this tool). */
    public static final String NO_DEFAULT_URL =
            "unable to determine default URL from settings, please use the --url option to explicitly provide the url";

    public static String resetPasswordIntro(String username) {
        return "This tool will reset the password of the [" + username + "] user.";
    }

    public static String resetPasswordAutoIntro(String username) {
        return "This tool will reset the password of the [" + username + "] user to an autogenerated value.";
    }

    public static String enterPasswordFor(String username) {
        return "Enter password for [" + username + "]: ";
    }

    public static String reenterPasswordFor(String username) {
        return "Re-enter password for [" + username + "]: ";
    }

    public static String passwordReset(String username) {
        return "Password for the [" + username + "] user successfully reset.";
    }

    public static String failedToResetPassword(String username) {
        return "Failed to reset password for the [" + username + "] user";
    }

    /** The detailed failure Elasticsearch builds (and then replaces by {@link #failedToResetPassword}); {@code cause} may be null. */
    public static String failedToResetPasswordStatus(String username, int status, String cause) {
        String m = "Failed to reset password for the [" + username + "] user. Unexpected http status [" + status + "].";
        return cause == null ? m : m + " Cause was " + cause;
    }

    public static String clusterHealthStatus(int status) {
        return "Failed to determine the health of the cluster. Unexpected http status [" + status + "]";
    }

    public static String clusterHealthRetry(int status, int retries) {
        return "Unexpected http status [" + status + "] while attempting to determine cluster health. Will retry at most " + retries
                + " more times.";
    }

    public static String fileRealmFileMissing(String path) {
        return "File realm configuration file [" + path + "] is missing";
    }

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

    /** {@code ConstructingObjectParser}: required constructor arguments that never arrived. */
    public static String requiredFields(java.util.List<String> fields) {
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

    /**
     * The name of Elasticsearch's parser token ({@code XContentParser.Token}) for a Jackson token, as its
     * parse errors print it: numbers are {@code VALUE_NUMBER}, booleans {@code VALUE_BOOLEAN}.
     */
    public static String xContentToken(com.fasterxml.jackson.core.JsonToken t) {
        if (t == null || t == com.fasterxml.jackson.core.JsonToken.NOT_AVAILABLE) {
            return "null";
        }
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "VALUE_NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "VALUE_BOOLEAN";
            default -> t.name();
        };
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

    /** The 403 subject of an API key ({@code AuthorizationDenialMessages}); no roles are printed. */
    public static String apiKeySubject(String id, String owner) {
        return "API key id [" + id + "] of user [" + owner + "]";
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
}
