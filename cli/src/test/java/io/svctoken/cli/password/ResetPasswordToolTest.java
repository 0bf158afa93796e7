package io.svctoken.cli.password;

import com.sun.net.httpserver.HttpServer;
import io.svctoken.cli.common.CliRunner;
import io.svctoken.cli.common.UnprivilegedUser;
import io.svctoken.cli.users.HashCheck;
import io.svctoken.server.Node;
import io.svctoken.server.settings.NodeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code elasticsearch-reset-password} as a process against a real node started in this JVM (and, for
 * the answers a healthy node never gives, a fake one): the printed password works and the old one no
 * longer does, prompts and messages are Elasticsearch's, and the temporary superuser never stays in
 * {@code users} or {@code users_roles}, whatever happened.
 */
class ResetPasswordToolTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern RESET = Pattern.compile(
            "Password for the \\[(\\S+)] user successfully reset\\.\nNew value: ([A-Za-z0-9*\\-_=+]{20})\n");
    private static final String HELP = """
            Resets the password of users in the native realm and built-in users.

            Option (* = required)      Description
            ---------------------      -----------
            -E <KeyValuePair>          Configure a setting
            -a, --auto
            -b, --batch
            -f, --force                Use this option to force execution of the command
                                         against a cluster that is currently unhealthy.
            -h, --help                 Show help
            -i, --interactive
            -s, --silent               Show minimal output
            * -u, --username <String>  The username of the user whose password will be reset
            --url <String>             the URL where the elasticsearch node listens for
                                         connections.
            -v, --verbose              Show verbose output
            """;

    private static Path home;
    private static Path conf;
    private static Node node;
    private static String url;
    /** The elastic password as the last test left it. */
    private static String elasticPassword = "initial-pass";

    private Path users;
    private Path usersRoles;

    @BeforeAll
    static void startNode() throws Exception {
        home = Files.createTempDirectory("svctoken-reset");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = Files.createDirectories(home.resolve("config"));
        node = Node.start(new NodeSettings(home, conf, Map.of("http.port", "0", "node.name", "reset-node", "xpack.security.http.ssl.enabled", "false",
                        "xpack.security.authc.password_hashing.algorithm", "pbkdf2_1000")), Map.of("ELASTIC_PASSWORD", elasticPassword),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        url = "http://127.0.0.1:" + node.address().getPort();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        CliRunner.deleteTree(home);
    }

    @BeforeEach
    void emptyRealmFiles() throws IOException {
        users = conf.resolve("users");
        usersRoles = conf.resolve("users_roles");
        Files.writeString(users, "");
        Files.writeString(usersRoles, "");
    }

    @AfterEach
    void noTemporaryFiles() throws IOException {
        try (var files = Files.list(conf)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith("tmp"));
        }
    }

    private static CliRunner cli() {
        return CliRunner.resetPassword(conf);
    }

    private static int authenticate(String user, String password) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/_security/_authenticate")).header("Authorization", basic(user, password))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Both files hold exactly what they held before: the temporary superuser is gone again. */
    private void assertRealmFilesClean(String users, String usersRoles) throws IOException {
        assertThat(Files.readString(this.users)).isEqualTo(users).doesNotContain(TemporarySuperuser.USERNAME_PREFIX);
        assertThat(Files.readString(this.usersRoles)).isEqualTo(usersRoles).doesNotContain(TemporarySuperuser.USERNAME_PREFIX);
    }

    private static String newPassword(CliRunner.Result r, String user) {
        assertThat(r.exit()).as(r.toString()).isZero();
        Matcher m = RESET.matcher(r.stdout());
        assertThat(m.matches()).as(r.toString()).isTrue();
        assertThat(m.group(1)).isEqualTo(user);
        return m.group(2);
    }

    private static void assertFailure(CliRunner.Result r, int exit, String stderr) {
        assertThat(r.stderr()).as(r.toString()).isEqualTo(stderr);
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
    }

    private static String error(String message, int exit) {
        return "\nERROR: " + message + ", with exit code " + exit + "\n";
    }

    @Test
    void batchResetPrintsAWorkingPasswordAndRemovesTheTemporaryUser() throws Exception {
        String existingUser = "ops:{PBKDF2}1000$c2FsdHNhbHRzYWx0c2FsdA==$a2V5\n";
        Files.writeString(users, existingUser);
        Files.writeString(usersRoles, "viewer:ops\n");
        boolean root = CliRunner.command("id", "-u").stdout().trim().equals("0");
        String group = null;
        if (root) {
            // the realm files belong to the service user: rewriting them as root keeps mode, owner and group
            group = UnprivilegedUser.ensure();
            UnprivilegedUser.sh("chown", UnprivilegedUser.NAME + ":" + group, users.toString(), usersRoles.toString());
            UnprivilegedUser.sh("chmod", "640", users.toString(), usersRoles.toString());
        }
        CliRunner.Result r = cli().run("-b", "-u", "elastic", "--url", url);
        String password = newPassword(r, "elastic");
        assertThat(r.stderr()).isEmpty();
        assertThat(authenticate("elastic", password)).isEqualTo(200);
        assertThat(authenticate("elastic", elasticPassword)).isEqualTo(401);
        elasticPassword = password;
        assertRealmFilesClean(existingUser, "viewer:ops\n");
        if (root) {
            for (Path p : List.of(users, usersRoles)) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
                assertThat(a.owner().getName() + ":" + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions()))
                        .isEqualTo(UnprivilegedUser.NAME + ":" + group + " rw-r-----");
            }
        }
    }

    @Test
    void silentPrintsOnlyThePasswordAndTheUrlDefaultsToTheSettings() throws Exception {
        Path settings = conf.resolve("svctoken.yml");
        Files.writeString(settings, "http:\n  host: 127.0.0.1\n  port: " + node.address().getPort() + "\n");
        try {
            CliRunner.Result r = cli().viaSvctoken().run("--silent", "--batch", "--username", "elastic");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.stderr()).isEmpty();
            assertThat(r.stdout()).matches("[A-Za-z0-9*\\-_=+]{20}\n");
            String password = r.stdout().trim();
            assertThat(authenticate("elastic", password)).isEqualTo(200);
            elasticPassword = password;
        } finally {
            Files.delete(settings);
        }
        assertRealmFilesClean("", "");
    }

    @Test
    void withoutBatchTheToolAsksForConfirmation() throws Exception {
        CliRunner.Result yes = cli().stdin("y\n").run("-u", "elastic", "--url", url);
        assertThat(yes.exit()).as(yes.toString()).isZero();
        assertThat(yes.stderr()).isEqualTo("Please confirm that you would like to continue [y/N]");
        String intro = "This tool will reset the password of the [elastic] user to an autogenerated value.\n"
                + "The password will be printed in the console.\n\n\n";
        assertThat(yes.stdout()).startsWith(intro);
        CliRunner.Result printed = new CliRunner.Result(0, yes.stdout().substring(intro.length()), "");
        String password = newPassword(printed, "elastic");
        assertThat(authenticate("elastic", password)).isEqualTo(200);
        elasticPassword = password;

        CliRunner.Result no = cli().stdin("maybe\nN\n").run("-u", "elastic", "--url", url);
        assertFailure(no, 0, "Please confirm that you would like to continue [y/N]Did not understand answer 'maybe'\n"
                + "Please confirm that you would like to continue [y/N]" + error("User cancelled operation", 0));
        assertThat(no.stdout()).isEqualTo(intro);
        assertThat(authenticate("elastic", elasticPassword)).isEqualTo(200);
        assertRealmFilesClean("", "");
    }

    @Test
    void interactiveAsksUntilTheTwoAnswersAreValidAndEqual() throws Exception {
        CliRunner.Result r = cli().stdin("short\nfirst-pass\nother-pass\nchosen-pass\nchosen-pass\n")
                .run("-i", "-b", "-u", "elastic", "--url", url);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("Password for the [elastic] user successfully reset.\n");
        assertThat(r.stderr()).isEqualTo("Enter password for [elastic]: passwords must be at least [6] characters long\nTry again.\n"
                + "Enter password for [elastic]: Re-enter password for [elastic]: Passwords do not match.\nTry again.\n"
                + "Enter password for [elastic]: Re-enter password for [elastic]: ");
        assertThat(authenticate("elastic", "chosen-pass")).isEqualTo(200);
        elasticPassword = "chosen-pass";
        assertRealmFilesClean("", "");

        CliRunner.Result eof = cli().stdin("only-once\n").run("-i", "-b", "-u", "elastic", "--url", url);
        assertFailure(eof, 65, "Enter password for [elastic]: Re-enter password for [elastic]: "
                + error("unable to read from standard input; is standard input open and a tty attached?", 65));
        assertRealmFilesClean("", "");
    }

    @Test
    void aNativeUserToo() throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/_security/user/jdoe"))
                .header("Authorization", basic("elastic", elasticPassword)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"jdoe-initial\",\"roles\":[\"viewer\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String password = newPassword(cli().run("-b", "-u", "jdoe", "--url", url), "jdoe");
        assertThat(authenticate("jdoe", password)).isEqualTo(200);
        assertThat(authenticate("jdoe", "jdoe-initial")).isEqualTo(401);
    }

    @Test
    void aRefusedChangeIsExit75AndVerboseShowsWhy() throws Exception {
        assertFailure(cli().run("-b", "-u", "nobody", "--url", url), 75, error("Failed to reset password for the [nobody] user", 75));
        CliRunner.Result verbose = cli().run("-b", "-v", "-u", "nobody", "--url", url);
        assertFailure(verbose, 75, "Failed to reset password for the [nobody] user. Unexpected http status [400]. Cause was Validation"
                + " Failed: 1: user must exist in order to change password;\n" + error("Failed to reset password for the [nobody] user", 75));
        assertRealmFilesClean("", "");
    }

    @Test
    void anUnreachableNodeIsExit69AndTheTemporaryUserIsRemoved() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRunner.Result r = cli().run("-b", "-u", "elastic", "--url", "http://127.0.0.1:" + closed);
        assertFailure(r, 69, error("Failed to determine the health of the cluster. ", 69));
        assertThat(r.stdout()).isEmpty();
        assertRealmFilesClean("", "");

        assertFailure(cli().run("-b", "-u", "elastic", "--url", "foo"), 65, error("no protocol: foo", 65));
        assertRealmFilesClean("", "");
        assertThat(authenticate("elastic", elasticPassword)).isEqualTo(200);
    }

    @Test
    void aNodeThatDoesNotAcceptTheTemporaryUserIsExit65() throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            byte[] body = "{\"error\":{\"type\":\"boom\"},\"status\":500}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            CliRunner.Result r = cli().run("-b", "-u", "elastic", "--url", "http://127.0.0.1:" + fake.getAddress().getPort());
            assertFailure(r, 65, error("Failed to determine the health of the cluster. Unexpected http status [500]", 65));
        } finally {
            fake.stop(0);
        }
        assertRealmFilesClean("", "");
    }

    /**
     * The cleanup cannot read {@code users} (the fake node turned it into a directory while the tool waited): that
     * failure is what the tool reports, with the line to remove by hand, and {@code users_roles} is still cleaned.
     */
    @Test
    void aFileTheCleanupCannotRewriteNamesTheTemporarySuperuserLeftInIt() throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            Files.delete(users);
            Files.createDirectory(users);
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        fake.start();
        CliRunner.Result r;
        try {
            r = cli().run("-b", "-u", "elastic", "--url", "http://127.0.0.1:" + fake.getAddress().getPort());
        } finally {
            fake.stop(0);
            Files.deleteIfExists(users);
            Files.writeString(users, "");
        }
        assertThat(r.exit()).as(r.toString()).isEqualTo(70);
        assertThat(r.stderr()).as(r.toString()).startsWith("\nERROR: could not read users file [" + users + "]")
                .containsPattern("\nHint: the temporary superuser \\[enrollment_autogenerated_[A-Za-z0-9]{8}] may still be in \\["
                        + Pattern.quote(users.toString()) + "]: remove its line by hand.\n$")
                .doesNotContain("Failed to determine the health");
        assertThat(Files.readString(usersRoles)).isEmpty();
    }

    @Test
    void missingRealmFilesAreExit78AfterCleaningUpWhatWasWritten() throws Exception {
        Files.delete(users);
        Files.delete(usersRoles);
        assertFailure(cli().run("-b", "-u", "elastic", "--url", url), 78,
                error("File realm configuration file [" + users + "] is missing , File realm configuration file [" + usersRoles
                        + "] is missing", 78));
        Files.writeString(usersRoles, "viewer:ops\n");
        assertFailure(cli().run("-b", "-u", "elastic", "--url", url), 78, error("File realm configuration file [" + users + "] is missing", 78));
        assertThat(users).doesNotExist();
        assertThat(Files.readString(usersRoles)).isEqualTo("viewer:ops\n");
    }

    @Test
    void optionErrorsComeFirstAndTouchNothing() throws Exception {
        assertFailure(cli().run("--url", url), 64, HELP + "ERROR: Missing required option(s) [u/username]\n");
        assertFailure(cli().run("-i", "-a", "-u", "elastic", "--url", url), 64,
                HELP + error("You can only run the tool in one of [auto] or [interactive] modes", 64));
        assertFailure(cli().run("-u"), 64, HELP + "ERROR: Option u/username requires an argument\n");
        CliRunner.Result help = cli().run("-h");
        assertThat(help.exit()).isZero();
        assertThat(help.stdout()).isEqualTo(HELP);
        assertRealmFilesClean("", "");
    }

    /**
     * A node that never answers: while the tool waits, the temporary superuser is in both files, its
     * password (seen by the node in the Basic header) is 14 characters of Elasticsearch's alphabet and
     * verifies against the bcrypt hash with Apache's htpasswd; SIGTERM (as Ctrl-C) still removes it.
     */
    @Test
    void theTemporarySuperuserWhileItExistsAndItsRemovalWhenTheToolIsInterrupted() throws Exception {
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CountDownLatch asked = new CountDownLatch(1);
        String[] authorization = new String[1];
        String[] requested = new String[1];
        silent.createContext("/", exchange -> {
            authorization[0] = exchange.getRequestHeaders().getFirst("Authorization");
            requested[0] = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            asked.countDown(); // and never answer
        });
        silent.start();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CliRunner.RESET_PASSWORD_MAIN,
                "-b", "-u", "elastic", "--url", "http://127.0.0.1:" + silent.getAddress().getPort()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ES_PATH_CONF", conf.toString());
        Process p = pb.start();
        try {
            assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(requested[0]).isEqualTo("GET /_security/_authenticate?pretty");
            String[] credentials = new String(Base64.getDecoder().decode(authorization[0].substring("Basic ".length())),
                    StandardCharsets.UTF_8).split(":", 2);
            assertThat(credentials[0]).matches("enrollment_autogenerated_[A-Za-z0-9]{8}");
            assertThat(credentials[1]).matches("[A-Za-z0-9*\\-_=+]{14}");
            assertThat(Files.readString(usersRoles)).isEqualTo("superuser:" + credentials[0] + "\n");
            assertThat(Files.readString(users)).matches(credentials[0] + ":\\$2a\\$10\\$[./A-Za-z0-9]{53}\n");
            assertThat(HashCheck.bcryptAccepts(users, credentials[0], credentials[1])).isTrue();
            p.destroy(); // SIGTERM, as Ctrl-C would
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
        } finally {
            p.destroyForcibly();
            silent.stop(0);
        }
        assertRealmFilesClean("", "");
    }
}
