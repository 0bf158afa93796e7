package io.svctoken.cli.password;

import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.common.CliException;
import io.svctoken.cli.common.ExitCodes;
import io.svctoken.cli.common.OptionParser;
import io.svctoken.cli.common.SingleCommandTool;
import io.svctoken.cli.common.StandardOptions;
import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.common.ToolEnvironment;
import io.svctoken.cli.users.FileRealmFiles;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.user.PasswordGenerator;
import io.svctoken.core.user.Validation;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/elasticsearch-reset-password} (also {@code bin/svctoken reset-password}): a drop-in
 * replacement for Elasticsearch's tool (facts from {@code ResetPasswordTool.java} and
 * {@code BaseRunAsSuperuserCommand.java}). It resets the password of a built-in or native user on a
 * <b>running</b> node: a temporary file-realm superuser ({@link TemporarySuperuser}) is written to
 * {@code users_roles} and {@code users}, the tool waits until the node authenticates it, calls
 * {@code POST /_security/user/<user>/_password} with it, and removes the temporary user again whatever
 * happened. By default the new password is generated (20 characters) and printed; {@code -i} asks for
 * it instead; {@code -b} skips the confirmation.
 *
 * <p>Exit codes as Elasticsearch's: 64 bad options, 69 node unreachable, 65 the temporary user was not
 * accepted or any other failure on the way, 75 the password change failed, 78 a file-realm file is
 * missing. Differences: the readiness check is {@code GET /_security/_authenticate} polled for up to
 * ~10 s (Elasticsearch: {@code GET /_cluster/health}, 5 tries a second apart); {@code -f} is accepted but has
 * nothing to force (svctoken has no cluster health); with {@code -v} the cause of a failure that
 * Elasticsearch swallows is printed.
 */
public final class ResetPasswordTool extends SingleCommandTool {

    /** The name {@code bin/svctoken} dispatches on, Elasticsearch's CLI tool-provider name. */
    public static final String TOOL_NAME = "reset-password";

    static final int GENERATED_PASSWORD_LENGTH = 20;
    /** How often and how long to ask the node whether it knows the temporary user yet (it re-reads the files every 250 ms). */
    static final long RETRY_INTERVAL_MILLIS = 200;
    static final int MAX_RETRIES = 50;

    /** Accepted as in Elasticsearch; svctoken has no cluster health that could be red, so there is nothing to force. */
    @SuppressWarnings("unused")
    private final OptionParser.Spec force = parser.flag(CliEsMessages.RESET_OPTION_FORCE, "f", "force");
    private final OptionParser.Spec url = parser.withArgument(CliEsMessages.RESET_OPTION_URL, "String", "url");
    private final OptionParser.Spec interactive = parser.flag("", "i", "interactive");
    private final OptionParser.Spec auto = parser.flag("", "a", "auto");
    private final OptionParser.Spec batch = parser.flag("", "b", "batch");
    private final OptionParser.Spec username = parser.requiredWithArgument(CliEsMessages.RESET_OPTION_USERNAME, "String", "u", "username");

    public ResetPasswordTool(Terminal terminal, Map<String, String> env) {
        super(terminal, env, CliEsMessages.RESET_PASSWORD_DESCRIPTION, StandardOptions.of(false));
    }

    public static void main(String[] args) {
        System.exit(new ResetPasswordTool(Terminal.system(), System.getenv()).run(args));
    }

    @Override
    protected void execute(OptionParser.Parsed options) throws CliException {
        ToolEnvironment environment = ToolEnvironment.load(options.valuesOf(common.settings), env);
        if (options.has(interactive) && options.has(auto)) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.RESET_ONE_MODE_ONLY);
        }
        String user = options.valueOf(username);
        String urlOption = options.valueOf(url);

        if (!environment.fileRealmEnabled()) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.FILE_REALM_MUST_BE_ENABLED);
        }
        TemporarySuperuser.runAs(terminal, FileRealmFiles.of(terminal, environment), superuser -> {
            Hasher hasher = asDataError(environment::passwordHasher);
            asDataError(() -> {
                superuser.add(hasher);
                return null;
            });
            ClusterClient client = new ClusterClient(baseUrl(urlOption, environment), ClusterClient.sslContext(environment.configDir()));
            awaitAuthentication(terminal, client, superuser);
            resetPassword(client, superuser, user, options.has(interactive), options.has(batch));
        }, this::failure);
    }

    private CliException failure(Exception e) {
        if (e instanceof CliException c) {
            return c;
        }
        if (e instanceof InterruptedException) {
            return new CliException(ExitCodes.DATA_ERROR, String.valueOf(e));
        }
        // Elasticsearch turns anything else into exit 65 with the exception's message.
        terminal.verboseErrorPrintln("Cause: " + e);
        return new CliException(ExitCodes.DATA_ERROR, e.getMessage());
    }

    private interface Step<T> {
        T run() throws CliException;
    }

    /** Failures Elasticsearch raises as runtime exceptions there (unknown algorithm, unreadable file): exit 65. */
    private static <T> T asDataError(Step<T> step) throws CliException {
        try {
            return step.run();
        } catch (CliException e) {
            throw e.exitCode() == ExitCodes.CONFIG ? e : e.withExitCode(ExitCodes.DATA_ERROR);
        }
    }

    static URI baseUrl(String option, ToolEnvironment environment)
            throws CliException, MalformedURLException, URISyntaxException {
        return option != null ? ClusterClient.parseUrl(option) : environment.defaultUrl();
    }

    /**
     * Elasticsearch's {@code checkClusterHealthWithRetries}, against {@code _authenticate}: 401/403 mean
     * the node has not re-read the files yet, so ask again; no connection is exit 69, any other status 65.
     */
    static void awaitAuthentication(Terminal terminal, ClusterClient client, TemporarySuperuser superuser) throws CliException, InterruptedException {
        URI uri = client.resolve("_security/_authenticate");
        int retries = MAX_RETRIES;
        while (true) {
            ClusterClient.Response response;
            try {
                response = client.execute("GET", uri, superuser.username(), superuser.password(), null);
            } catch (IOException e) {
                terminal.verboseErrorPrintln("Cause: " + e);
                throw new CliException(ExitCodes.UNAVAILABLE, CliEsMessages.CLUSTER_HEALTH_FAILED);
            }
            int status = response.status();
            if (status == 200) {
                return;
            }
            if ((status == 401 || status == 403) && retries > 0) {
                terminal.verbosePrintln(CliEsMessages.clusterHealthRetry(status, retries));
                Thread.sleep(RETRY_INTERVAL_MILLIS);
                retries--;
                continue;
            }
            throw new CliException(ExitCodes.DATA_ERROR, CliEsMessages.clusterHealthStatus(status));
        }
    }

    private void resetPassword(ClusterClient client, TemporarySuperuser superuser, String user, boolean interactive, boolean batch)
            throws CliException {
        Secret newPassword;
        if (interactive) {
            if (!batch) {
                confirm(CliEsMessages.resetPasswordIntro(user), CliEsMessages.RESET_PROMPTED_FOR_PASSWORD);
            }
            newPassword = promptForPassword(user);
        } else {
            if (!batch) {
                confirm(CliEsMessages.resetPasswordAutoIntro(user), CliEsMessages.RESET_PASSWORD_PRINTED);
            }
            newPassword = PasswordGenerator.password(GENERATED_PASSWORD_LENGTH);
        }
        try {
            URI uri = client.resolve("_security/user/" + ClusterClient.encodeSegment(user) + "/_password");
            ClusterClient.Response response;
            try {
                response = client.execute("POST", uri, superuser.username(), superuser.password(), ClusterClient.passwordBody(newPassword));
            } catch (IOException e) {
                terminal.verboseErrorPrintln("Cause: " + e);
                throw new CliException(ExitCodes.TEMP_FAILURE, CliEsMessages.failedToResetPassword(user));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.TEMP_FAILURE, CliEsMessages.failedToResetPassword(user));
            }
            if (response.status() != 200) {
                // Elasticsearch builds this message and then replaces it by the short one; svctoken shows it with -v.
                terminal.verboseErrorPrintln(CliEsMessages.failedToResetPasswordStatus(user, response.status(), ClusterClient.errorCause(response)));
                throw new CliException(ExitCodes.TEMP_FAILURE, CliEsMessages.failedToResetPassword(user));
            }
            terminal.println(CliEsMessages.passwordReset(user));
            if (!interactive) {
                terminal.print(CliEsMessages.NEW_VALUE);
                terminal.printlnAlways(newPassword.revealAsString(SecretAccess.plaintext()));
            }
        } finally {
            newPassword.wipe();
        }
    }

    private void confirm(String intro, String detail) throws CliException {
        terminal.println(intro);
        terminal.println(detail);
        boolean shouldContinue = terminal.promptYesNo(CliEsMessages.CONFIRM_CONTINUE, false);
        terminal.println("\n");
        if (!shouldContinue) {
            throw new CliException(ExitCodes.OK, CliEsMessages.USER_CANCELLED);
        }
    }

    /** Asks until the password is valid and typed the same twice. */
    private Secret promptForPassword(String user) {
        while (true) {
            char[] first = terminal.readSecret(CliEsMessages.enterPasswordFor(user));
            Secret password = Secret.copyOf(first);
            Optional<String> error = Validation.Users.validatePassword(CharBuffer.wrap(first));
            Arrays.fill(first, '\0');
            if (error.isPresent()) {
                terminal.errorPrintln(error.get());
                terminal.errorPrintln(CliEsMessages.TRY_AGAIN);
                password.wipe();
                continue;
            }
            char[] second = terminal.readSecret(CliEsMessages.reenterPasswordFor(user));
            boolean same = password.constantTimeEquals(second);
            Arrays.fill(second, '\0');
            if (!same) {
                terminal.errorPrintln(CliEsMessages.PASSWORDS_DO_NOT_MATCH);
                terminal.errorPrintln(CliEsMessages.TRY_AGAIN);
                password.wipe();
                continue;
            }
            return password;
        }
    }
}
