package io.svctoken.cli.tokens;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the CLI error matrix plus the other argument and option
 * checks of Elasticsearch's tool, each as its own process: exit code, exact stderr, nothing on stdout, file untouched.
 * Unreadable files and unwritable directories for an unprivileged user are covered by
 * {@link ServiceTokensCliPermissionsTest}; here the same rows are reached as root.
 */
class ServiceTokensCliErrorMatrixTest {

    /** Elasticsearch prints the tool's help (description + option table) to stderr before a usage error. */
    static final String HELP = """
            Manages elasticsearch service account file-tokens

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
            create - Create a file token for specified service account and token name
            delete - Remove a file token for specified service account and token name
            list - List file tokens for the specified service account

            """;

    static final String ES_8_19_PRINCIPALS =
            "elastic/fleet-server,elastic/fleet-server-remote,elastic/auto-ops,elastic/kibana,elastic/enterprise-search-server";
    static final String ES_9_PRINCIPALS = "elastic/fleet-server,elastic/fleet-server-remote,elastic/auto-ops,elastic/kibana";

    private Path conf;
    private Path tokens;

    @BeforeEach
    void setUp() throws IOException {
        conf = Files.createTempDirectory("svctoken-cli-matrix");
        tokens = conf.resolve("service_tokens");
    }

    @AfterEach
    void tearDown() throws IOException {
        assertNoTempFiles(conf);
        CliRunner.deleteTree(conf);
    }

    static void assertNoTempFiles(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("service_tokens") && n.endsWith("tmp"));
            }
        }
    }

    private CliRunner cli() {
        return CliRunner.forConfig(conf);
    }

    private static void assertFailure(CliRunner.Result r, int exit, String stderr) {
        assertThat(r.stderr()).as(r.toString()).isEqualTo(stderr);
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.stdout()).as(r.toString()).isEmpty();
    }

    private static String usage(String message) {
        return HELP + "\nERROR: " + message + ", with exit code 64\n";
    }

    private static String error(String message, int exit) {
        return "\nERROR: " + message + ", with exit code " + exit + "\n";
    }

    @Test
    void noSubCommand() {
        assertFailure(cli().run(), 64, usage("Missing required command") + "\n" + COMMANDS);
    }

    @Test
    void unknownSubCommand() {
        assertFailure(cli().run("foo", "bar"), 64, usage("Unknown command [foo]"));
    }

    /** An empty argument is an ordinary value, as with jopt-simple (picocli alone fails on it internally). */
    @Test
    void emptyArgumentsAreOrdinaryValues() {
        assertFailure(cli().run(""), 64, usage("Unknown command []"));
        assertFailure(cli().run("create", "", "t1"), 67,
                error("Unknown service account principal: []. Must be one of [" + ES_8_19_PRINCIPALS + "]", 67));
        assertThat(tokens).doesNotExist();
    }

    @Test
    void createWithoutArguments() {
        assertFailure(cli().run("create"), 64, usage("Missing service-account-principal and token-name arguments"));
        assertThat(tokens).doesNotExist();
    }

    @Test
    void deleteWithOneArgumentThroughSvctoken() {
        assertFailure(cli().viaSvctoken().run("delete", "elastic/fleet-server"), 64, usage("Missing token-name argument"));
    }

    @Test
    void createWithThreeArguments() {
        assertFailure(cli().run("create", "elastic/fleet-server", "a", "b"), 64,
                usage("Expected two arguments, service-account-principal and token-name, found extra: [elastic/fleet-server,a,b]"));
    }

    @Test
    void unknownPrincipalListsTheAccountsInElasticsearch819Order() {
        assertFailure(cli().run("create", "elastic/foo", "tok"), 67,
                error("Unknown service account principal: [elastic/foo]. Must be one of [" + ES_8_19_PRINCIPALS + "]", 67));
    }

    /** File tokens are for built-in accounts only: a user-managed account's principal (9.x line) is refused like any unknown one. */
    @Test
    void aUserManagedAccountsPrincipalIsRefusedOnBothLines() {
        assertFailure(cli().run("create", "-Esvctoken.compatibility.version=9.x", "apps/svc_1", "tok"), 67,
                error("Unknown service account principal: [apps/svc_1]. Must be one of [" + ES_9_PRINCIPALS + "]", 67));
        assertFailure(cli().run("list", "-Esvctoken.compatibility.version=9.x", "apps/svc_1"), 67,
                error("Unknown service account principal: [apps/svc_1]. Must be one of [" + ES_9_PRINCIPALS + "]", 67));
        assertFailure(cli().run("create", "apps/svc_1", "tok"), 67,
                error("Unknown service account principal: [apps/svc_1]. Must be one of [" + ES_8_19_PRINCIPALS + "]", 67));
        assertThat(tokens).doesNotExist();
    }

    @Test
    void unknownPrincipalWithThe9xAccountSet() {
        assertFailure(cli().run("delete", "-Esvctoken.compatibility.version=9.x", "elastic/enterprise-search-server", "tok"), 67,
                error("Unknown service account principal: [elastic/enterprise-search-server]. Must be one of [" + ES_9_PRINCIPALS + "]", 67));
    }

    @Test
    void listWithUnknownPrincipal() {
        assertFailure(cli().run("list", "fleet-server"), 67,
                error("Unknown service account principal: [fleet-server]. Must be one of [" + ES_8_19_PRINCIPALS + "]", 67));
    }

    @Test
    void listWithTwoArguments() {
        assertFailure(cli().run("list", "elastic/kibana", "x"), 64,
                usage("Expected at most one argument, service-account-principal, found extra: [elastic/kibana,x]"));
    }

    @Test
    void invalidTokenName() {
        assertFailure(cli().run("create", "elastic/fleet-server", "_starts-with-underscore"), 70, error("invalid service token name"
                + " [_starts-with-underscore]. service account token name must have at least 1 character and at most 256 characters"
                + " that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-) or underscore (_). It must not begin with an underscore (_).", 70));
        assertThat(tokens).doesNotExist();
    }

    @Test
    void duplicateOnCreateLeavesTheFileAlone() throws IOException {
        byte[] before;
        try (Secret s = Secret.of("some-secret-value")) {
            before = ("elastic/fleet-server/dup:" + Hasher.resolve("pbkdf2_stretch_1000").hash(s) + "\n").getBytes(StandardCharsets.UTF_8);
        }
        Files.write(tokens, before);
        assertFailure(cli().run(CliRunner.FAST_HASH, "create", "elastic/fleet-server", "dup"), 70,
                error("Service token [elastic/fleet-server/dup] already exists", 70));
        assertThat(Files.readAllBytes(tokens)).isEqualTo(before);
    }

    @Test
    void missingOnDeleteDoesNotCreateTheFile() {
        assertFailure(cli().run("delete", "elastic/kibana", "nope"), 70, error("Service token [elastic/kibana/nope] does not exist", 70));
        assertThat(tokens).doesNotExist();
    }

    @Test
    void fileThatCannotBeReadIsAnIoError() throws IOException {
        // root reads any file, so a directory in the file's place stands in for an unreadable one here
        Files.createDirectory(tokens);
        CliRunner.Result r = cli().run("list");
        assertFailure(r, 74, error("Failed to read service_tokens file [" + tokens + "]: java.io.IOException: Is a directory", 74));
    }

    @Test
    void lineWithoutColon() throws IOException {
        Files.writeString(tokens, "# comment\nelastic/fleet-server/no-colon\n");
        assertFailure(cli().run("list"), 70, error("Missing ':' character at line #2 of service_tokens file [" + tokens + "]", 70));
    }

    @Test
    void missingConfigDirectoryIsAConfigurationError() {
        Path missing = conf.resolve("no-such-dir");
        CliRunner.Result r = CliRunner.forConfig(missing).run(CliRunner.FAST_HASH, "create", "elastic/kibana", "tok");
        assertFailure(r, 78, error("Configuration directory [" + missing + "] is missing: set ES_PATH_CONF to the server's configuration"
                + " directory", 78));
        assertThat(missing).doesNotExist();
    }

    @Test
    void noConfigDirectory() {
        assertFailure(CliRunner.bare().run("list"), 78, error("the system property [es.path.conf] must be set", 78));
    }

    @Test
    void invalidHashingAlgorithm() {
        assertFailure(cli().run("create", "-Expack.security.authc.service_token_hashing.algorithm=sha1", "elastic/kibana", "tok"), 70,
                error("Invalid algorithm: sha1. Valid values for password hashing are [bcrypt, bcrypt4, bcrypt5, bcrypt6, bcrypt7,"
                        + " bcrypt8, bcrypt9, bcrypt10, bcrypt11, bcrypt12, bcrypt13, bcrypt14, pbkdf2, pbkdf2_1000, pbkdf2_10000,"
                        + " pbkdf2_50000, pbkdf2_100000, pbkdf2_500000, pbkdf2_1000000, pbkdf2_stretch, pbkdf2_stretch_1000,"
                        + " pbkdf2_stretch_10000, pbkdf2_stretch_50000, pbkdf2_stretch_100000, pbkdf2_stretch_500000,"
                        + " pbkdf2_stretch_1000000]", 70));
        assertThat(tokens).doesNotExist();
    }

    @Test
    void emptySettingValue() {
        assertFailure(cli().run("create", "-E", "xpack.security.authc.service_token_hashing.algorithm=", "elastic/kibana", "t"), 64,
                usage("setting [xpack.security.authc.service_token_hashing.algorithm] must not be empty"));
    }

    @Test
    void settingGivenTwiceBeforeAndAfterTheCommandName() {
        assertFailure(cli().run("-Ea.b=1", "list", "-Ea.b=2"), 64, usage("setting [a.b] set twice via command line -E"));
    }

    @Test
    void unknownOptionIsAJoptSimpleStyleError() {
        assertFailure(cli().run("create", "--bogus", "elastic/kibana", "t"), 64, HELP + "ERROR: bogus is not a recognized option\n");
    }

    @Test
    void silentAndVerboseTogether() {
        assertFailure(cli().run("list", "-s", "-v"), 64,
                HELP + "ERROR: Option(s) [v/verbose] are unavailable given other options on the command line\n");
    }

    @Test
    void silentModeDropsTheEmptyLineButNotTheError() {
        assertFailure(cli().run("create", "-s", "elastic/foo", "tok"), 67,
                "ERROR: Unknown service account principal: [elastic/foo]. Must be one of [" + ES_8_19_PRINCIPALS + "], with exit code 67\n");
    }

    @Test
    void settingOptionWithoutItsArgument() {
        assertFailure(cli().run("list", "-E"), 64, HELP + "ERROR: Option E requires an argument\n");
    }

    @Test
    void invalidCompatibilityVersionIsAConfigurationError() {
        CliRunner.Result r = cli().run("list", "-Esvctoken.compatibility.version=7.17");
        assertThat(r.exit()).as(r.toString()).isEqualTo(78);
        assertThat(r.stderr()).startsWith("\nERROR: invalid value for [svctoken.compatibility.version]").endsWith(", with exit code 78\n");
    }
}
