package io.svctoken.server;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A user or token the CLI just changed works on the first try", every time, with the 250 ms poller
 * running: the poller may re-read the file while the failing attempt still checks the old hash, and
 * the re-check after the failure must still see that the attempt used old content (it saw "no change"
 * about half the time after {@code elasticsearch-users passwd}).
 */
class FileReloadRaceTest {

    private static final int ROUNDS = 40;

    @TempDir
    Path home;
    TestNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Atomic replace, as the CLI writes. */
    private static void write(Path file, List<String> lines) throws Exception {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), "tmp");
        Files.write(tmp, lines);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aPasswordJustChangedInTheUsersFileLogsInOnTheFirstTryEveryTime() throws Exception {
        Path conf = Files.createDirectories(home.resolve("config"));
        Path users = conf.resolve("users");
        // bcrypt cost 10 as elasticsearch-users writes: checking the old hash takes long enough for the poller to run meanwhile
        Files.write(users, List.of("ops:" + Hasher.BCRYPT.hash(Secret.of("ops-pass-start"))));
        node = TestNode.start(home, Map.of());
        assertThat(node.request("GET", "/_security/_authenticate", basic("ops", "ops-pass-start")).status()).isEqualTo(200);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String password = "ops-pass-" + i;
            String line = "ops:" + Hasher.BCRYPT.hash(Secret.of(password)); // hashed before the write, as the CLI does
            write(users, List.of(line));
            Response r = node.request("GET", "/_security/_authenticate", basic("ops", password));
            if (r.status() != 200) {
                failures.add("round " + i + ": " + r.status());
            }
        }
        assertThat(failures).as("logins with the new password right after passwd that failed").isEmpty();
    }

    @Test
    void aTokenJustRewrittenInTheServiceTokensFileWorksOnTheFirstTryEveryTime() throws Exception {
        Path conf = Files.createDirectories(home.resolve("config"));
        Path tokens = conf.resolve("service_tokens");
        // the CLI's default hash (PBKDF2_STRETCH, 10 000 iterations): the old hash is checked while the poller runs
        Files.write(tokens, List.of("elastic/fleet-server/t1:" + Hasher.PBKDF2_STRETCH.hash(Secret.of("secret-start"))));
        node = TestNode.start(home, Map.of());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String secret = "token-secret-" + i;
            String line = "elastic/fleet-server/t1:" + Hasher.PBKDF2_STRETCH.hash(Secret.of(secret));
            write(tokens, List.of(line));
            String auth = bearer(new ServiceAccountToken(TokenId.of("elastic/fleet-server", "t1"), Secret.of(secret)).asBearer().revealAsString(SecretAccess.plaintext()));
            Response r = node.request("GET", "/_security/_authenticate", auth);
            if (r.status() != 200) {
                failures.add("round " + i + ": " + r.status());
            }
        }
        assertThat(failures).as("uses of the rewritten token right after the write that failed").isEmpty();
    }
}
