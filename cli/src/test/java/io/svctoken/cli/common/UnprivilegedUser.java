package io.svctoken.cli.common;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The unprivileged system user the permission tests switch to (root reads every file whatever its
 * mode, so only another user shows what a mode means). Created on first use; tests that need it are
 * skipped when they do not run as root.
 */
public final class UnprivilegedUser {

    public static final String NAME = "svctoken-test-cli";

    private UnprivilegedUser() {
    }

    /** Skips the calling test unless it runs as root; creates {@link #NAME} when missing; answers its primary group. */
    public static String ensure() {
        CliRunner.Result id = CliRunner.command("id", "-u");
        assumeTrue(id.stdout().trim().equals("0"), "permission tests need root (to create a test user and switch to it); running as uid "
                + id.stdout().trim());
        if (CliRunner.command("id", "-u", NAME).exit() != 0) {
            CliRunner.Result add = CliRunner.command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME);
            assertThat(add.exit()).as(add.toString()).isIn(0, 9); // 9: created meanwhile by a parallel test
        }
        String group = CliRunner.command("id", "-gn", NAME).stdout().trim();
        assertThat(group).isNotEmpty();
        return group;
    }

    /** {@code cat file} as the user. */
    public static CliRunner.Result cat(Path file) {
        return CliRunner.command("runuser", "-u", NAME, "--", "cat", file.toString());
    }

    /** Runs a command as root and fails the test when it fails. */
    public static void sh(String... cmd) {
        CliRunner.Result r = CliRunner.command(cmd);
        assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r).isZero();
    }
}
