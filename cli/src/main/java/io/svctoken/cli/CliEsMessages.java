package io.svctoken.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Elasticsearch's exact user-visible strings of the command-line tools (usage, help, prompts, errors), byte for
 * byte as Elasticsearch's tools print them. Texts the domain or the server need are in core's
 * {@link io.svctoken.core.EsMessages} and the server's {@link io.svctoken.server.ServerEsMessages}.
 */
public final class CliEsMessages {

    private CliEsMessages() {
    }

    // --- CLI / file store
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
    public static String invalidHashingAlgorithm(String value, Collection<String> valid) {
        return "Invalid algorithm: " + value + ". Valid values for password hashing are " + new ArrayList<>(valid);
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
    public static String missingRequiredOptions(List<String> names) {
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

    /** The tools that work through a temporary file-realm superuser, when the file realm is off (exit 78). */
    public static final String FILE_REALM_MUST_BE_ENABLED = "File realm must be enabled";

    /** {@code elasticsearch-create-enrollment-token} when enrollment is switched off (exit 78). */
    public static final String ENROLLMENT_TOKEN_NEEDS_ENABLED =
            "[xpack.security.enrollment.enabled] must be set to `true` to create an enrollment token";

    // --- elasticsearch-users (UsersTool)
    public static final String USERS_TOOL_DESCRIPTION = "Manages elasticsearch file users";

    public static final String USERS_USERADD_DESCRIPTION = "Adds a file user";

    public static final String USERS_USERDEL_DESCRIPTION = "Deletes a file based user";

    public static final String USERS_PASSWD_DESCRIPTION = "Changes the password of an existing file based user";

    public static final String USERS_ROLES_DESCRIPTION = "Edit roles of an existing user";

    public static final String USERS_LIST_DESCRIPTION = "List existing file based users and their corresponding roles";

    public static final List<String> USERS_USERADD_HELP = List.of(
            "Adds a file based user to elasticsearch (via internal realm). The user will",
            "be added to the \"users\" file and its roles will be added to the",
            "\"users_roles\" file in the elasticsearch config directory.",
            "");

    public static final List<String> USERS_USERDEL_HELP = List.of(
            "Removes an existing file based user from elasticsearch. The user will be",
            "removed from the \"users\" file and its roles will be removed from the",
            "\"users_roles\" file in the elasticsearch config directory.",
            "");

    public static final List<String> USERS_PASSWD_HELP = List.of(
            "The passwd command changes passwords for file based users. The tool",
            "prompts twice for a replacement password. The second entry is compared",
            "against the first and both are required to match in order for the",
            "password to be changed.",
            "");

    public static final List<String> USERS_ROLES_HELP = List.of(
            "The roles command allows editing roles for file based users.",
            "You can also list a user's roles by omitting the -a and -r",
            "parameters.",
            "");

    public static final List<String> USERS_LIST_HELP = List.of("", "");

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
    public static String expectedSingleUsername(List<String> args) {
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

    /** The server's {@code -p <pidfile>} checks (exit 64). */
    public static String pidFileParentNotADirectory(String parent) {
        return "pid file parent [" + parent + "] exists but is not a directory";
    }

    public static String pidFileNotARegularFile(String pidFile) {
        return pidFile + " exists but is not a regular file";
    }
}
