package io.svctoken.cli.users;

import io.svctoken.cli.common.CliRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks written password hashes with implementations that are not svctoken's: Apache's
 * {@code htpasswd -v} for bcrypt (its file format, {@code user:hash}, is the {@code users} file's) and
 * Python's {@code hashlib} for {@code {PBKDF2}}.
 */
public final class HashCheck {

    private static final String PYTHON_PBKDF2 = """
            import base64, hashlib, hmac, sys
            stored, password = sys.argv[1], sys.argv[2]
            assert stored.startswith("{PBKDF2}"), stored
            iterations, salt, key = stored[len("{PBKDF2}"):].split("$")
            derived = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), base64.b64decode(salt), int(iterations), 32)
            ok = len(base64.b64decode(salt)) == 32 and hmac.compare_digest(derived, base64.b64decode(key))
            print("VERIFIED" if ok else "MISMATCH")
            """;

    private HashCheck() {
    }

    /** {@code htpasswd -vb <users file> <user> <password>}: whether Apache accepts the password. */
    public static boolean bcryptAccepts(Path usersFile, String user, String password) {
        assumeTrue(CliRunner.command("sh", "-c", "command -v htpasswd").exit() == 0,
                "htpasswd (apache2-utils) is needed to check bcrypt hashes independently");
        CliRunner.Result r = CliRunner.command("htpasswd", "-vb", usersFile.toString(), user, password);
        assertThat(r.exit()).as(r.toString()).isIn(0, 3);
        return r.exit() == 0;
    }

    /** Python's PBKDF2-HMAC-SHA512 over the password, as Elasticsearch's {@code {PBKDF2}} format. */
    public static boolean pbkdf2Accepts(String stored, String password) {
        CliRunner.Result r = CliRunner.command("python3", "-c", PYTHON_PBKDF2, stored, password);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.stdout().trim().equals("VERIFIED");
    }

    /** The hash stored for {@code user} in a {@code users} file. */
    public static String hashOf(Path usersFile, String user) throws IOException {
        List<String> lines = Files.readAllLines(usersFile);
        return lines.stream().filter(l -> l.startsWith(user + ":")).map(l -> l.substring(user.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + user + " in " + lines));
    }
}
