package io.svctoken.cli.tokens;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.cli.files.FileAttributes;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * File modes, owners and groups. Root reads every file whatever its mode, so each check that matters
 * runs the reader or the tool as an unprivileged user created for the purpose
 * ({@value #USER}); the class is skipped when the tests do not run as root.
 */
class ServiceTokensCliPermissionsTest {

    static final String USER = "svctoken-test-cli";

    private static String group;
    private Path base;
    private Path conf;
    private Path tokens;

    @BeforeAll
    static void unprivilegedUser() {
        CliRunner.Result id = CliRunner.command("id", "-u");
        assumeTrue(id.stdout().trim().equals("0"), "permission tests need root (to create a test user and switch to it); running as uid "
                + id.stdout().trim());
        if (CliRunner.command("id", "-u", USER).exit() != 0) {
            CliRunner.Result add = CliRunner.command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
            assertThat(add.exit()).as(add.toString()).isZero();
        }
        group = CliRunner.command("id", "-gn", USER).stdout().trim();
        assertThat(group).isNotEmpty();
    }

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createTempDirectory("svctoken-cli-perm");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = Files.createDirectory(base.resolve("config"));
        tokens = conf.resolve("service_tokens");
    }

    @AfterEach
    void tearDown() throws IOException {
        ServiceTokensCliErrorMatrixTest.assertNoTempFiles(conf);
        CliRunner.deleteTree(base);
    }

    private static void sh(String... cmd) {
        CliRunner.Result r = CliRunner.command(cmd);
        assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r).isZero();
    }

    private static String attributes(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
        return a.owner().getName() + ":" + a.group().getName() + " " + PosixFilePermissions.toString(a.permissions());
    }

    private static CliRunner.Result userCat(Path file) {
        return CliRunner.command("runuser", "-u", USER, "--", "cat", file.toString());
    }

    private void writeExistingTokenFile() throws IOException {
        try (Secret s = Secret.of("0123456789abcdefghij")) {
            Files.writeString(tokens, "elastic/kibana/existing:" + Hasher.resolve("pbkdf2_stretch_1000").hash(s) + "\n");
        }
    }

    private CliRunner cli() {
        return CliRunner.forConfig(conf);
    }

    @Test
    void rootCreatingTheFileInAConfigDirOwnedByTheServiceUserHandsItToThatUser() throws IOException {
        sh("chown", USER + ":" + group, conf.toString());
        sh("chmod", "750", conf.toString());
        CliRunner.Result r = cli().run(CliRunner.FAST_HASH, "create", "elastic/fleet-server", "t1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(attributes(tokens)).isEqualTo(USER + ":" + group + " rw-rw----");
        CliRunner.Result read = userCat(tokens);
        assertThat(read.exit()).as(read.toString()).isZero();
        assertThat(read.stdout()).startsWith("elastic/fleet-server/t1:{PBKDF2_STRETCH}1000$");
    }

    @Test
    void rootCreatingTheFileInAPackageStyleConfigDirGivesItTheDirectoryGroup() throws IOException {
        // like /etc/elasticsearch: root:elasticsearch 2750
        sh("chown", "root:" + group, conf.toString());
        sh("chmod", "2750", conf.toString());
        CliRunner.Result r = cli().run(CliRunner.FAST_HASH, "create", "elastic/fleet-server", "t1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(attributes(tokens)).isEqualTo("root:" + group + " rw-rw----");
        assertThat(userCat(tokens).exit()).isZero();
    }

    @Test
    void rootRewritingAnExistingFileKeepsItsModeOwnerAndGroupSilently() throws IOException {
        sh("chown", USER + ":" + group, conf.toString());
        writeExistingTokenFile();
        sh("chown", USER + ":" + group, tokens.toString());
        sh("chmod", "640", tokens.toString());
        CliRunner.Result r = cli().run(CliRunner.FAST_HASH, "create", "elastic/kibana", "added");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(attributes(tokens)).isEqualTo(USER + ":" + group + " rw-r-----");
        assertThat(Files.readAllLines(tokens)).hasSize(2);
        CliRunner.Result deleted = cli().run("delete", "elastic/kibana", "existing");
        assertThat(deleted.exit()).as(deleted.toString()).isZero();
        assertThat(deleted.stderr()).isEmpty();
        assertThat(attributes(tokens)).isEqualTo(USER + ":" + group + " rw-r-----");
    }

    @Test
    void ownerAndGroupChangesAreReportedEvenInSilentMode() throws IOException {
        sh("chown", USER + ":" + group, conf.toString());
        writeExistingTokenFile();
        sh("chown", "root:root", tokens.toString());
        sh("chmod", "644", tokens.toString());
        CliRunner.Result r = cli().asUser(USER).in(base).run("-s", CliRunner.FAST_HASH, "create", "elastic/kibana", "by-user");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo(
                "WARNING: Owner of file [" + tokens + "] used to be [root], but now is [" + USER + "]\n"
                        + "WARNING: Group of file [" + tokens + "] used to be [root], but now is [" + group + "]\n");
        assertThat(attributes(tokens)).isEqualTo(USER + ":" + group + " rw-r--r--");
        assertThat(Files.readAllLines(tokens)).hasSize(2);
    }

    @Test
    void unreadableFileIsExit74WithOneClearLineAndAHint() throws IOException {
        sh("chown", USER + ":" + group, conf.toString());
        writeExistingTokenFile();
        sh("chmod", "000", tokens.toString());
        CliRunner.Result r = cli().asUser(USER).in(base).run("list");
        assertThat(r.exit()).as(r.toString()).isEqualTo(74);
        assertThat(r.stdout()).isEmpty();
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEmpty();
        assertThat(lines.get(1)).isEqualTo("ERROR: Failed to read service_tokens file [" + tokens
                + "]: java.nio.file.AccessDeniedException: " + tokens + ", with exit code 74");
        assertThat(lines.get(2)).startsWith("Hint: [" + tokens + "] belongs to [root:root] with permissions [---------]: run this tool as root")
                .contains("do not make the file readable by everyone");
        // root can still rewrite it, and leaves its attributes as they were
        CliRunner.Result asRoot = cli().run(CliRunner.FAST_HASH, "create", "elastic/kibana", "by-root");
        assertThat(asRoot.exit()).as(asRoot.toString()).isZero();
        assertThat(attributes(tokens)).isEqualTo("root:root ---------");
    }

    @Test
    void unwritableDirectoryIsExit70WithOneClearLineAndAHint() throws IOException {
        writeExistingTokenFile(); // root:root 0644 in a root:root 0755 directory: readable, not writable, by the user
        byte[] before = Files.readAllBytes(tokens);
        CliRunner.Result r = cli().asUser(USER).in(base).run(CliRunner.FAST_HASH, "delete", "elastic/kibana", "existing");
        assertThat(r.exit()).as(r.toString()).isEqualTo(70);
        assertThat(r.stdout()).isEmpty();
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("ERROR: could not write file [" + tokens + "]: java.nio.file.AccessDeniedException: "
                + tokens).endsWith("tmp, with exit code 70");
        assertThat(lines.get(2)).startsWith("Hint: the directory [" + conf + "] belongs to [root:root] with permissions [rwxr-xr-x]");
        assertThat(Files.readAllBytes(tokens)).isEqualTo(before);
    }

    @Test
    void permissionChangeWarningUsesElasticsearchWording() throws IOException {
        writeExistingTokenFile();
        sh("chmod", "660", tokens.toString());
        Optional<FileAttributes> before = FileAttributes.read(tokens);
        sh("chmod", "600", tokens.toString());
        sh("chown", USER + ":" + group, tokens.toString());
        assertThat(FileAttributes.changeWarnings(tokens, before, FileAttributes.read(tokens))).containsExactly(
                "WARNING: The file permissions of [" + tokens + "] have changed from [rw-rw----] to [rw-------]",
                "Please ensure that the user account running Elasticsearch has read access to this file!",
                "WARNING: Owner of file [" + tokens + "] used to be [root], but now is [" + USER + "]",
                "WARNING: Group of file [" + tokens + "] used to be [root], but now is [" + group + "]");
        assertThat(FileAttributes.changeWarnings(tokens, Optional.empty(), FileAttributes.read(tokens))).isEmpty();
    }
}
