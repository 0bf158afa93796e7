package io.svctoken.cli;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.cli.common.UnprivilegedUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tools in a fresh install (a fresh clone: no {@code config/} until something creates it), each as its own
 * JVM with only {@code SVCTOKEN_HOME} set, as {@code bin/elasticsearch-*} run them: the install's own config
 * directory is created on first use with the files Elasticsearch's distribution ships for the file realm
 * (empty {@code users} and {@code users_roles}); a config directory named by {@code ES_PATH_CONF} must exist;
 * and the enrollment tool tells a node that never started from one without TLS and from unreadable certificates.
 */
class FreshInstallToolsTest {

    @TempDir
    Path tmp;

    private CliRunner inFreshInstall(Path home) {
        return CliRunner.bare().env("SVCTOKEN_HOME", home.toString()).in(tmp);
    }

    @Test
    void useraddWorksBeforeTheFirstStartAndCreatesThePrivateConfigDirectory() throws Exception {
        Path home = Files.createDirectory(tmp.resolve("home"));
        CliRunner.Result r = inFreshInstall(home).tool(CliRunner.USERS_MAIN, "users")
                .run("useradd", "ops", "-p", "ops-secret", "-r", "superuser", "-Expack.security.authc.password_hashing.algorithm=pbkdf2_1000");
        assertThat(r.exit()).as(r.toString()).isZero();
        Path config = home.resolve("config");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rwxr-x---");
        assertThat(Files.readString(config.resolve("users"))).startsWith("ops:{PBKDF2}");
        assertThat(Files.readString(config.resolve("users_roles"))).isEqualTo("superuser:ops\n");
        for (String f : new String[]{"users", "users_roles"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve(f)))).as(f).isEqualTo("rw-rw----");
        }
    }

    @Test
    void serviceTokensCreateWorksBeforeTheFirstStart() throws Exception {
        Path home = Files.createDirectory(tmp.resolve("home"));
        CliRunner.Result r = inFreshInstall(home).run(CliRunner.FAST_HASH, "create", "elastic/fleet-server", "t1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("SERVICE_TOKEN elastic/fleet-server/t1 = ");
        assertThat(Files.readString(home.resolve("config/service_tokens"))).startsWith("elastic/fleet-server/t1:");
        CliRunner.Result list = inFreshInstall(home).run("list");
        assertThat(list.stdout()).isEqualTo("elastic/fleet-server/t1\n");
    }

    @Test
    void aMissingConfigDirectoryNamedByEsPathConfIsExit78NamingIt() {
        Path missing = tmp.resolve("no-such-config");
        String expected = "\nERROR: Configuration directory [" + missing + "] is missing: set ES_PATH_CONF to the server's configuration"
                + " directory, with exit code 78\n";
        CliRunner.Result create = CliRunner.forConfig(missing).run(CliRunner.FAST_HASH, "create", "elastic/kibana", "tok");
        assertThat(create.exit()).as(create.toString()).isEqualTo(78);
        assertThat(create.stderr()).isEqualTo(expected);
        CliRunner.Result useradd = CliRunner.users(missing).run("useradd", "ops", "-p", "ops-secret");
        assertThat(useradd.exit()).as(useradd.toString()).isEqualTo(78);
        assertThat(useradd.stderr()).isEqualTo(expected);
        assertThat(missing).doesNotExist();
    }

    @Test
    void createEnrollmentTokenBeforeTheFirstStartSaysTheServerMustStartOnce() throws Exception {
        Path home = Files.createDirectory(tmp.resolve("home"));
        CliRunner.Result r = inFreshInstall(home).tool("io.svctoken.cli.password.CreateEnrollmentTokenTool", "create-enrollment-token")
                .run("-s", "kibana");
        assertThat(r.exit()).as(r.toString()).isEqualTo(78);
        Path ca = home.resolve("config/certs/http_ca.crt");
        assertThat(r.stderr()).isEqualTo("\nERROR: Unable to create an enrollment token: the node has not generated its HTTPS certificates"
                + " yet ([" + ca + "] does not exist). Start the server once (bin/svctoken), then run this tool while it runs, with exit"
                + " code 78\n");
        assertThat(r.stdout()).isEmpty();
        assertThat(Files.readString(home.resolve("config/users"))).as("no temporary superuser was written").isEmpty();
    }

    @Test
    void createEnrollmentTokenWithUnreadableCertificatesNamesTheFileAndTheFix() throws Exception {
        String group = UnprivilegedUser.ensure();
        Path base = Files.createTempDirectory(Path.of("/tmp"), "svctoken-enroll-perm-");
        try {
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path config = Files.createDirectory(base.resolve("config"));
            Path certs = Files.createDirectory(config.resolve("certs"));
            Path ca = Files.writeString(certs.resolve("http_ca.crt"), "not read anyway");
            for (String f : new String[]{"users", "users_roles"}) {
                Files.createFile(config.resolve(f));
            }
            UnprivilegedUser.sh("chown", "-R", UnprivilegedUser.NAME + ":" + group, config.toString());
            UnprivilegedUser.sh("chown", "root:root", ca.toString());
            UnprivilegedUser.sh("chmod", "600", ca.toString());
            CliRunner.Result r = CliRunner.forConfig(config).asUser(UnprivilegedUser.NAME)
                    .tool("io.svctoken.cli.password.CreateEnrollmentTokenTool", "create-enrollment-token").in(base).run("-s", "kibana");
            assertThat(r.exit()).as(r.toString()).isEqualTo(74);
            assertThat(r.stderr()).startsWith("\nERROR: Unable to create an enrollment token: cannot read the HTTP CA certificate [" + ca
                    + "]: java.nio.file.AccessDeniedException: " + ca + ", with exit code 74\n")
                    .contains("Hint: [" + ca + "] belongs to [root:root] with permissions [rw-------]");
            assertThat(r.stderr()).doesNotContain("not configured with a keystore");
        } finally {
            CliRunner.deleteTree(base);
        }
    }
}
