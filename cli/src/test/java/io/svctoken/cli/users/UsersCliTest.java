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
 * useradd / passwd / roles / userdel / list end to end as processes: output, prompts, file contents,
 * and the written hashes checked by independent implementations ({@link HashCheck}).
 */
class UsersCliTest {

    private static final String FAST_HASH = "-Expack.security.authc.password_hashing.algorithm=pbkdf2_1000";

    private Path conf;
    private Path users;
    private Path usersRoles;

    @BeforeEach
    void setUp() throws IOException {
        conf = Files.createTempDirectory("svctoken-users");
        users = Files.createFile(conf.resolve("users"));
        usersRoles = Files.createFile(conf.resolve("users_roles"));
    }

    @AfterEach
    void tearDown() throws IOException {
        UsersCliErrorMatrixTest.assertNoTempFiles(conf);
        CliRunner.deleteTree(conf);
    }

    private CliRunner cli() {
        return CliRunner.users(conf);
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private static void quiet(CliRunner.Result r) {
        ok(r);
        assertThat(r.stdout()).as(r.toString()).isEmpty();
        assertThat(r.stderr()).as(r.toString()).isEmpty();
    }

    @Test
    void useraddWithPasswordAndRolesWritesBothFilesWithAnIndependentlyVerifiableBcryptHash() throws IOException {
        quiet(cli().run("useradd", "bob", "-p", "s3cret-pass", "-r", "viewer,superuser"));
        assertThat(Files.readString(users)).matches("bob:\\$2a\\$10\\$[./A-Za-z0-9]{53}\n");
        assertThat(Files.readString(usersRoles)).isEqualTo("superuser:bob\nviewer:bob\n");
        assertThat(HashCheck.bcryptAccepts(users, "bob", "s3cret-pass")).isTrue();
        assertThat(HashCheck.bcryptAccepts(users, "bob", "s3cret-pas")).isFalse();
    }

    @Test
    void useraddPromptsTwiceOnStderrAndReadsTheAnswersFromStdin() throws IOException {
        CliRunner.Result r = ok(cli().stdin("typed-pass\ntyped-pass\n").run("useradd", "alice"));
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("Enter new password: Retype new password: ");
        assertThat(HashCheck.bcryptAccepts(users, "alice", "typed-pass")).isTrue();
        assertThat(Files.readString(usersRoles)).as("no roles, users_roles untouched").isEmpty();
    }

    @Test
    void passwordHashingSettingFromTheCommandLineBeforeTheCommandOrFromTheSettingsFile() throws IOException {
        quiet(cli().run(FAST_HASH, "useradd", "carol", "-p", "carol-pass"));
        String carol = HashCheck.hashOf(users, "carol");
        assertThat(carol).startsWith("{PBKDF2}1000$");
        assertThat(HashCheck.pbkdf2Accepts(carol, "carol-pass")).isTrue();
        assertThat(HashCheck.pbkdf2Accepts(carol, "carol-pasS")).isFalse();

        Files.writeString(conf.resolve("elasticsearch.yml"), "xpack.security.authc.password_hashing.algorithm: pbkdf2\n");
        quiet(cli().run("useradd", "dave", "-p", "dave-pass"));
        String dave = HashCheck.hashOf(users, "dave");
        assertThat(dave).startsWith("{PBKDF2}10000$");
        assertThat(HashCheck.pbkdf2Accepts(dave, "dave-pass")).isTrue();
    }

    @Test
    void passwdReplacesOnlyTheHash() throws IOException {
        quiet(cli().run(FAST_HASH, "useradd", "bob", "-p", "old-password", "-r", "viewer"));
        quiet(cli().run(FAST_HASH, "useradd", "alice", "-p", "alice-pass"));
        String alice = HashCheck.hashOf(users, "alice");
        byte[] roles = Files.readAllBytes(usersRoles);

        CliRunner.Result r = ok(cli().stdin("new-password\nnew-password\n").run(FAST_HASH, "passwd", "bob"));
        assertThat(r.stderr()).isEqualTo("Enter new password: Retype new password: ");
        String bob = HashCheck.hashOf(users, "bob");
        assertThat(HashCheck.pbkdf2Accepts(bob, "new-password")).isTrue();
        assertThat(HashCheck.pbkdf2Accepts(bob, "old-password")).isFalse();
        assertThat(HashCheck.hashOf(users, "alice")).isEqualTo(alice);
        assertThat(Files.readAllBytes(usersRoles)).isEqualTo(roles);
        assertThat(Files.readAllLines(users)).extracting(l -> l.substring(0, l.indexOf(':'))).containsExactly("alice", "bob");
    }

    @Test
    void rolesAddsRemovesWarnsAboutUnknownRolesAndListsWithoutOptions() throws IOException {
        Files.writeString(conf.resolve("roles.yml"), "# file roles\nops:\n  cluster: [monitor]\n");
        quiet(cli().run(FAST_HASH, "useradd", "bob", "-p", "bob-password", "-r", "viewer"));

        CliRunner.Result added = ok(cli().run("roles", "bob", "-a", "ops,custom", "-r", "viewer"));
        assertThat(added.stdout()).isEmpty();
        assertThat(added.stderr()).startsWith("Warning: The following roles [custom] are not in the [" + conf.resolve("roles.yml")
                + "] file. Make sure the names are correct. If the names are correct and the roles were created using the API please"
                + " disregard this message. Nonetheless the user will still be associated with all specified roles\nKnown roles: [")
                .endsWith("]\n").hasLineCount(2);
        String known = added.stderr().lines().toList().get(1);
        assertThat(known.substring("Known roles: [".length(), known.length() - 1).split(", "))
                .contains("ops", "superuser", "viewer", "kibana_system").doesNotContain("custom");
        assertThat(Files.readString(usersRoles)).isEqualTo("custom:bob\nops:bob\n");

        CliRunner.Result listed = ok(cli().run("roles", "bob"));
        assertThat(listed.stdout()).isEqualTo("bob            : custom*,ops\n\n [*]   Role is not in the [" + conf.resolve("roles.yml")
                + "] file. If the role has been created using the API, please disregard this message.\n");
        assertThat(listed.stderr()).isEmpty();

        quiet(cli().run("-s", "roles", "bob", "-r", "custom,ops", "-a", "unknown2"));
        assertThat(Files.readString(usersRoles)).as("-s hides the warning, not the change").isEqualTo("unknown2:bob\n");
        quiet(cli().run("roles", "bob", "-r", "unknown2", "-s"));
        assertThat(Files.readString(usersRoles)).isEmpty();
        assertThat(ok(cli().run("list", "bob")).stdout()).isEqualTo("bob            : -\n");
    }

    @Test
    void userdelRemovesTheUserFromBothFiles() throws IOException {
        quiet(cli().run(FAST_HASH, "useradd", "bob", "-p", "bob-password", "-r", "superuser,viewer"));
        quiet(cli().run(FAST_HASH, "useradd", "alice", "-p", "alice-pass", "-r", "superuser"));
        quiet(cli().run("userdel", "bob"));
        assertThat(Files.readAllLines(users)).singleElement().asString().startsWith("alice:{PBKDF2}1000$");
        assertThat(Files.readString(usersRoles)).isEqualTo("superuser:alice\n");
        quiet(cli().viaSvctoken().run("userdel", "alice"));
        assertThat(Files.readString(users)).isEmpty();
        assertThat(Files.readString(usersRoles)).isEmpty();
    }

    @Test
    void listFormatsLikeElasticsearch() throws IOException {
        assertThat(ok(cli().run("list")).stdout()).isEqualTo("No users found\n");
        Files.writeString(conf.resolve("roles.yml"), "ops:\n  cluster: [monitor]\n");
        Files.writeString(users, String.join("\n",
                "alice:{PBKDF2}1000$c2FsdA==$a2V5",
                "bob:{PBKDF2}1000$c2FsdA==$a2V5",
                "a-rather-long-user-name:{PBKDF2}1000$c2FsdA==$a2V5",
                "nobody:{PBKDF2}1000$c2FsdA==$a2V5", ""));
        Files.writeString(usersRoles, String.join("\n", "superuser:alice,bob", "ops:bob", "made_up:bob,a-rather-long-user-name",
                "viewer:ghost", ""));
        String legend = " [*]   Role is not in the [" + conf.resolve("roles.yml")
                + "] file. If the role has been created using the API, please disregard this message.\n";
        CliRunner.Result all = ok(cli().run("list"));
        assertThat(all.stdout()).isEqualTo("""
                a-rather-long-user-name: made_up*
                alice          : superuser
                bob            : superuser,ops,made_up*
                ghost          : viewer
                nobody         : -

                """ + legend);
        assertThat(all.stderr()).isEmpty();
        assertThat(ok(cli().run("list", "alice")).stdout()).isEqualTo("alice          : superuser\n");
        assertThat(ok(cli().run("list", "nobody")).stdout()).isEqualTo("nobody         : -\n");
        assertThat(ok(cli().viaSvctoken().run("list", "bob")).stdout()).isEqualTo("bob            : superuser,ops,made_up*\n\n" + legend);
        assertThat(ok(cli().run("-s", "list")).stdout()).as("-s hides the listing, as in Elasticsearch").isEmpty();
    }

    @Test
    void rewritingDropsCommentsAndBadLinesAndVerboseNamesThem() throws IOException {
        Files.writeString(users, "# managed by hand\nbad line\n elastic:x\nbob:{PBKDF2}1000$c2FsdA==$a2V5\n");
        Files.writeString(usersRoles, "# roles\nviewer:bob\nnobody\n");
        CliRunner.Result r = ok(cli().run("useradd", "-v", "carol", "-p", "carol-pass", FAST_HASH, "-r", "viewer"));
        assertThat(r.stderr()).isEqualTo(
                "WARNING: invalid entry in users file [" + users + "], line [2]. skipping...\n"
                        + "WARNING: invalid username [elastic] in users file [" + users + "], skipping... (Username [elastic] is reserved and"
                        + " may not be used.)\n"
                        + "WARNING: invalid entry in users_roles file [" + usersRoles + "], line [3]. skipping...\n");
        assertThat(Files.readAllLines(users)).extracting(l -> l.substring(0, l.indexOf(':'))).containsExactly("bob", "carol");
        assertThat(Files.readString(usersRoles)).isEqualTo("viewer:bob,carol\n");
    }

    @Test
    void helpOnStdout() {
        CliRunner.Result root = ok(cli().run("-h"));
        assertThat(root.stdout()).isEqualTo("Manages elasticsearch file users\n\n" + UsersCliErrorMatrixTest.COMMANDS
                + UsersCliErrorMatrixTest.HELP.substring(UsersCliErrorMatrixTest.HELP.indexOf("Non-option")));
        CliRunner.Result useradd = ok(cli().run("useradd", "--help"));
        assertThat(useradd.stdout()).isEqualTo("""
                Adds a file user

                Adds a file based user to elasticsearch (via internal realm). The user will
                be added to the "users" file and its roles will be added to the
                "users_roles" file in the elasticsearch config directory.

                Non-option arguments:
                username

                Option                   Description
                ------                   -----------
                -E <KeyValuePair>        Configure a setting
                -h, --help               Show help
                -p, --password <String>  The user password
                -r, --roles <String>     Comma-separated list of the roles of the user
                                           (default: )
                -s, --silent             Show minimal output
                -v, --verbose            Show verbose output
                """);
        assertThat(useradd.stderr()).isEmpty();
    }
}
