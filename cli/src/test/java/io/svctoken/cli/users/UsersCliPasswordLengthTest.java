package io.svctoken.cli.users;

import io.svctoken.cli.common.CliRunner;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code elasticsearch-users}: the server's upper bounds of a password (72 UTF-8 bytes with bcrypt, 1024 with any algorithm). */
class UsersCliPasswordLengthTest {

    private static final String BCRYPT_72 = "Invalid password...passwords must be at most [72] bytes long in UTF-8 with the password"
            + " hashing algorithm [bcrypt], which ignores the bytes after them";

    private Path conf;
    private Path users;

    @BeforeEach
    void setUp() throws IOException {
        conf = Files.createTempDirectory("svctoken-users");
        users = Files.createFile(conf.resolve("users"));
        Files.createFile(conf.resolve("users_roles"));
    }

    @AfterEach
    void tearDown() {
        CliRunner.deleteTree(conf);
    }

    private CliRunner cli() {
        return CliRunner.users(conf);
    }

    @Test
    void useraddAndPasswdRefuseMoreThan72BytesWithBcrypt() throws IOException {
        CliRunner.Result add = cli().run("useradd", "bob", "-p", "a".repeat(73));
        assertThat(add.exit()).as(add.toString()).isEqualTo(65);
        assertThat(add.stderr()).as(add.toString()).contains(BCRYPT_72);
        CliRunner.Result euro = cli().run("useradd", "bob", "-p", "\u20ac".repeat(25));
        assertThat(euro.exit()).as(euro.toString()).isEqualTo(65);
        assertThat(Files.readString(users)).isEmpty();

        CliRunner.Result ok = cli().run("useradd", "bob", "-p", "a".repeat(72));
        assertThat(ok.exit()).as(ok.toString()).isZero();
        CliRunner.Result passwd = cli().stdin("b".repeat(73) + "\n" + "b".repeat(73) + "\n").run("passwd", "bob");
        assertThat(passwd.exit()).as(passwd.toString()).isEqualTo(65);
        assertThat(passwd.stderr()).contains(BCRYPT_72);
        assertThat(Hasher.verifyHash(Secret.of("a".repeat(72)), HashCheck.hashOf(users, "bob"))).as("unchanged").isTrue();
    }

    @Test
    void anyAlgorithmAllowsAtMost1024Bytes() throws IOException {
        String fast = "-Expack.security.authc.password_hashing.algorithm=pbkdf2_1000";
        assertThat(cli().run(fast, "useradd", "bob", "-p", "a".repeat(1024)).exit()).isZero();
        CliRunner.Result over = cli().run(fast, "passwd", "bob", "-p", "a".repeat(1025));
        assertThat(over.exit()).as(over.toString()).isEqualTo(65);
        assertThat(over.stderr()).contains("Invalid password...passwords must be at most [1024] bytes long in UTF-8");
    }
}
