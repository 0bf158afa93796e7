package io.svctoken.cli.users;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.cli.common.UnprivilegedUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static io.svctoken.cli.common.UnprivilegedUser.sh;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code users} and {@code users_roles} get the service-tokens CLI's permission safety: an existing
 * file keeps mode, owner and group, a new one is 0660 with the config directory's group (and owner, when
 * root writes into another user's directory), and a file the tool cannot read or write is one
 * {@code ERROR:} line plus the least-privilege hint. Runs the tool or a reader as an unprivileged user.
 */
class UsersCliPermissionsTest {

    private static final String USER = UnprivilegedUser.NAME;
    private static final String FAST_HASH = "-Expack.security.authc.password_hashing.algorithm=pbkdf2_1000";
    private static String group;

    private Path base;
    private Path conf;
    private Path users;
    private Path usersRoles;

    @BeforeAll
    static void unprivilegedUser() {
        group = UnprivilegedUser.ensure();
    }

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createTempDirectory("svctoken-users-perm");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = Files.createDirectory(base.resolve("config"));
        users = conf.resolve("users");
        usersRoles = conf.resolve("users_roles");
    }

    @AfterEach
    void tearDown() throws IOException {
        UsersCliErrorMatrixTest.assertNoTempFiles(conf);
        CliRunner.deleteTree(base);
    }

    private static String attributes(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
        return a.owner().getName() + ":" + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions());
    }

    private CliRunner cli() {
        return CliRunner.users(conf);
    }

    @Test
    void rootKeepsTheExistingFileAndCreatesTheNewOneForTheServiceUser() throws IOException {
        sh("chown", USER + ":" + group, conf.toString());
        sh("chmod", "750", conf.toString());
        Files.writeString(users, "");
        sh("chown", USER + ":" + group, users.toString());
        sh("chmod", "640", users.toString());

        CliRunner.Result r = cli().run(FAST_HASH, "useradd", "bob", "-p", "bob-password", "-r", "superuser");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(attributes(users)).isEqualTo(USER + ":" + group + " rw-r-----");
        assertThat(attributes(usersRoles)).isEqualTo(USER + ":" + group + " rw-rw----");
        assertThat(UnprivilegedUser.cat(users).stdout()).startsWith("bob:{PBKDF2}1000$");
        assertThat(UnprivilegedUser.cat(usersRoles).stdout()).isEqualTo("superuser:bob\n");

        CliRunner.Result deleted = cli().run("userdel", "bob");
        assertThat(deleted.exit()).as(deleted.toString()).isZero();
        assertThat(attributes(users)).isEqualTo(USER + ":" + group + " rw-r-----");
        assertThat(attributes(usersRoles)).isEqualTo(USER + ":" + group + " rw-rw----");
    }

    @Test
    void ownerAndGroupChangesAreReportedEvenInSilentMode() throws IOException {
        sh("chown", USER + ":" + group, conf.toString());
        Files.writeString(users, "");
        Files.writeString(usersRoles, "");
        sh("chmod", "644", users.toString(), usersRoles.toString());
        CliRunner.Result r = cli().asUser(USER).in(base).run("-s", FAST_HASH, "useradd", "bob", "-p", "bob-password", "-r", "viewer");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo(
                "WARNING: Owner of file [" + users + "] used to be [root], but now is [" + USER + "]\n"
                        + "WARNING: Group of file [" + users + "] used to be [root], but now is [" + group + "]\n"
                        + "WARNING: Owner of file [" + usersRoles + "] used to be [root], but now is [" + USER + "]\n"
                        + "WARNING: Group of file [" + usersRoles + "] used to be [root], but now is [" + group + "]\n");
        assertThat(attributes(users)).isEqualTo(USER + ":" + group + " rw-r--r--");
    }

    @Test
    void unwritableDirectoryIsExit70WithOneClearLineAndAHint() throws IOException {
        Files.writeString(users, "");  // root:root 0644 in a root:root 0755 directory: readable, not writable, by the user
        Files.writeString(usersRoles, "");
        CliRunner.Result r = cli().asUser(USER).in(base).run(FAST_HASH, "useradd", "bob", "-p", "bob-password");
        assertThat(r.exit()).as(r.toString()).isEqualTo(70);
        assertThat(r.stdout()).isEmpty();
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEmpty();
        assertThat(lines.get(1)).startsWith("ERROR: could not write file [" + users + "]: java.nio.file.AccessDeniedException: "
                + users).endsWith("tmp, with exit code 70");
        assertThat(lines.get(2)).startsWith("Hint: the directory [" + conf + "] belongs to [root:root] with permissions [rwxr-xr-x]");
        assertThat(Files.readString(users)).isEmpty();
    }

    @Test
    void unreadableUsersFileIsExit70WithOneClearLineAndAHint() throws IOException {
        sh("chown", USER + ":" + group, conf.toString());
        Files.writeString(users, "bob:{PBKDF2}1000$c2FsdA==$a2V5\n");
        Files.writeString(usersRoles, "");
        sh("chmod", "600", users.toString());
        CliRunner.Result r = cli().asUser(USER).in(base).run("list");
        assertThat(r.exit()).as(r.toString()).isEqualTo(70);
        assertThat(r.stdout()).isEmpty();
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("ERROR: could not read users file [" + users + "]: java.nio.file.AccessDeniedException: "
                + users + ", with exit code 70");
        assertThat(lines.get(2)).startsWith("Hint: [" + users + "] belongs to [root:root] with permissions [rw-------]: run this tool as root")
                .contains("do not make the file readable by everyone");
    }
}
