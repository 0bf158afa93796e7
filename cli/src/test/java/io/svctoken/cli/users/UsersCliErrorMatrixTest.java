package io.svctoken.cli.users;

import io.svctoken.cli.common.CliRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every documented failure of {@code elasticsearch-users} (Elasticsearch's
 * {@code UsersTool}), each as its own process: exit code, exact stderr, nothing on stdout, files untouched.
 */
class UsersCliErrorMatrixTest {

    /** The multi-command's help, printed to stderr before a usage error. */
    static final String HELP = """
            Manages elasticsearch file users

            Non-option arguments:
            command

            Option             Description
            ------             -----------
            -E <KeyValuePair>  Configure a setting
            -h, --help         Show help
            -s, --silent       Show minimal output
            -v, --verbose      Show verbose output
            """;

    static final String COMMANDS = """
            Commands
            --------
            useradd - Adds a file user
            userdel - Deletes a file based user
            passwd - Changes the password of an existing file based user
            roles - Edit roles of an existing user
            list - List existing file based users and their corresponding roles

            """;

    static final String USER_NAME_RULE = "User names must be at least 1 and no more than 1024 characters. They can contain alphanumeric"
            + " characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block."
            + " Leading or trailing whitespace is not allowed.";

    private static final String EXISTING_USERS = "bob:{PBKDF2}1000$c2FsdHNhbHRzYWx0c2FsdHNhbHRzYWx0c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=\n";
    private static final String EXISTING_ROLES = "superuser:bob\n";

    private Path conf;
    private Path users;
    private Path usersRoles;

    @BeforeEach
    void setUp() throws IOException {
        conf = Files.createTempDirectory("svctoken-users-matrix");
        users = conf.resolve("users");
        usersRoles = conf.resolve("users_roles");
        Files.writeString(users, EXISTING_USERS);
        Files.writeString(usersRoles, EXISTING_ROLES);
    }

    @AfterEach
    void tearDown() throws IOException {
        assertNoTempFiles(conf);
        CliRunner.deleteTree(conf);
    }

    static void assertNoTempFiles(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("users") && n.endsWith("tmp"));
            }
        }
    }

    private CliRunner cli() {
        return CliRunner.users(conf);
    }

    private void assertFailure(CliRunner.Result r, int exit, String stderr) throws IOException {
        assertThat(r.stderr()).as(r.toString()).isEqualTo(stderr);
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.stdout()).as(r.toString()).isEmpty();
        assertUntouched();
    }

    private void assertUntouched() throws IOException {
        if (Files.exists(users)) {
            assertThat(Files.readString(users)).isEqualTo(EXISTING_USERS);
        }
        if (Files.exists(usersRoles)) {
            assertThat(Files.readString(usersRoles)).isEqualTo(EXISTING_ROLES);
        }
    }

    private static String usage(String message) {
        return HELP + "\nERROR: " + message + ", with exit code 64\n";
    }

    private static String optionError(String message) {
        return HELP + "ERROR: " + message + "\n";
    }

    private static String error(String message, int exit) {
        return "\nERROR: " + message + ", with exit code " + exit + "\n";
    }

    @Test
    void noCommandAndUnknownCommand() throws IOException {
        assertFailure(cli().run(), 64, usage("Missing required command") + "\n" + COMMANDS);
        assertFailure(cli().run("adduser", "bob"), 64, usage("Unknown command [adduser]"));
    }

    @Test
    void usernameArguments() throws IOException {
        assertFailure(cli().run("useradd", "-p", "secret1"), 64, usage("Missing username argument"));
        assertFailure(cli().viaSvctoken().run("userdel", "a", "b"), 64, usage("Expected a single username argument, found extra: [a, b]"));
    }

    @Test
    void invalidAndReservedUserNames() throws IOException {
        assertFailure(cli().run("useradd", " lead", "-p", "secret1"), 65, error("Invalid username [ lead]... " + USER_NAME_RULE, 65));
        assertFailure(cli().run("passwd", "elastic", "-p", "secret1"), 65,
                error("Invalid username [elastic]... Username [elastic] is reserved and may not be used.", 65));
        assertFailure(cli().run("userdel", "_anonymous"), 65,
                error("Invalid username [_anonymous]... Username [_anonymous] is reserved and may not be used.", 65));
    }

    @Test
    void passwordTooShortOnTheCommandLineOrAtThePrompt() throws IOException {
        assertFailure(cli().run("useradd", "carol", "-p", "12345"), 65,
                error("Invalid password...passwords must be at least [6] characters long", 65));
        CliRunner.Result prompted = cli().stdin("12345\n").run("useradd", "carol");
        assertFailure(prompted, 65, "Enter new password: " + error("Invalid password...passwords must be at least [6] characters long", 65));
    }

    @Test
    void passwordMismatch() throws IOException {
        assertFailure(cli().stdin("secret1\nsecret2\n").run("passwd", "bob"), 65,
                "Enter new password: Retype new password: " + error("Password mismatch", 65));
    }

    @Test
    void noInputForThePromptIsElasticsearchsIllegalStateException() throws IOException {
        assertFailure(cli().run("useradd", "carol"), 70, "Enter new password: " + error("java.lang.IllegalStateException: unable to read from"
                + " standard input; is standard input open and a tty attached?", 70));
    }

    @Test
    void invalidRoleName() throws IOException {
        assertFailure(cli().run("useradd", "carol", "-p", "secret1", "-r", "a,,b"), 65,
                error("Invalid role []... " + USER_NAME_RULE.replace("User names", "Role names"), 65));
        assertFailure(cli().run("roles", "bob", "-a", "viewer", "-r", " x"), 65,
                error("Invalid role [ x]... " + USER_NAME_RULE.replace("User names", "Role names"), 65));
    }

    @Test
    void missingUsersFile() throws IOException {
        Files.delete(users);
        String missing = error("Configuration file [" + users + "] is missing", 78);
        assertFailure(cli().run("useradd", "carol", "-p", "secret1"), 78, missing);
        assertFailure(cli().run("userdel", "bob"), 78, missing);
        assertFailure(cli().run("passwd", "bob", "-p", "secret1"), 78, missing);
        assertFailure(cli().run("roles", "bob", "-a", "viewer"), 78, missing);
        assertFailure(cli().run("list"), 78, missing);
        assertThat(users).doesNotExist();
    }

    @Test
    void listWithoutUsersRolesNamesThatFileFirst() throws IOException {
        Files.delete(usersRoles);
        assertFailure(cli().run("list"), 78, error("Configuration file [" + usersRoles + "] is missing", 78));
        assertFailure(cli().run("roles", "bob"), 78, error("Configuration file [" + usersRoles + "] is missing", 78));
    }

    @Test
    void userAlreadyExists() throws IOException {
        assertFailure(cli().run("useradd", "bob", "-p", "secret1"), 70, error("User [bob] already exists", 70));
    }

    @Test
    void userDoesNotExist() throws IOException {
        String missing = error("User [carol] doesn't exist", 67);
        assertFailure(cli().run("userdel", "carol"), 67, missing);
        assertFailure(cli().run("passwd", "carol", "-p", "secret1"), 67, missing);
        assertFailure(cli().run("roles", "carol", "-a", "viewer"), 67, missing);
        assertFailure(cli().run("roles", "carol"), 67, missing);
        assertFailure(cli().run("list", "carol"), 67, missing);
    }

    @Test
    void hashingSettings() throws IOException {
        assertFailure(cli().run("useradd", "carol", "-p", "secret1", "-E", "xpack.security.fips_mode.enabled=true",
                        "-E", "xpack.security.authc.password_hashing.algorithm=bcrypt"), 78,
                error("Only PBKDF2 is allowed for password hashing in a FIPS 140 JVM. Please set the appropriate value for"
                        + " [ xpack.security.authc.password_hashing.algorithm ] setting.", 78));
        CliRunner.Result unknown = cli().run("useradd", "carol", "-p", "secret1", "-E", "xpack.security.authc.password_hashing.algorithm=md5");
        assertThat(unknown.stderr()).startsWith("\nERROR: Invalid algorithm: md5. Valid values for password hashing are [bcrypt, bcrypt4,")
                .endsWith("pbkdf2_stretch_1000000], with exit code 70\n");
        assertThat(unknown.exit()).isEqualTo(70);
        assertUntouched();
    }

    @Test
    void optionErrorsAreJoptSimplesWithoutTheExitCodeSuffix() throws IOException {
        assertFailure(cli().run("useradd", "carol", "-x"), 64, optionError("x is not a recognized option"));
        assertFailure(cli().run("useradd", "carol", "--pasword=secret1"), 64, optionError("pasword is not a recognized option"));
        assertFailure(cli().run("useradd", "carol", "-p"), 64, optionError("Option p/password requires an argument"));
        assertFailure(cli().run("-s", "-v", "list"), 64, optionError("Option(s) [v/verbose] are unavailable given other options on the command line"));
        assertFailure(cli().run("passwd", "bob", "-p", "secret1", "--password", "secret2"), 64,
                optionError("Found multiple arguments for option p/password, but you asked for only one"));
        assertFailure(cli().run("list", "bob", "carol"), 64,
                optionError("Found multiple arguments for option [arguments], but you asked for only one"));
        // -p belongs to useradd/passwd only
        assertFailure(cli().run("userdel", "bob", "-p", "x"), 64, optionError("p is not a recognized option"));
    }

    @Test
    void settingsErrors() throws IOException {
        assertFailure(cli().run("-E", "http.port=", "list"), 64, usage("setting [http.port] must not be empty"));
        assertFailure(cli().run("-E", "a=1", "list", "-E", "a=2"), 64, usage("setting [a] set twice via command line -E"));
        CliRunner.Result noConfig = CliRunner.bare().tool(CliRunner.USERS_MAIN, "users").run("list");
        assertThat(noConfig.stderr()).isEqualTo(error("the system property [es.path.conf] must be set", 78));
        assertThat(noConfig.exit()).isEqualTo(78);
    }
}
