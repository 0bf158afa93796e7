package io.svctoken.core.secret;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classes of the main code (every module) that read a secret's characters, by name. A new reader makes
 * this test fail: add it to {@link #READERS} in the same change, so that the review sees it.
 *
 * <p>The capability is taken where it is used and never handed on: outside {@code core/secret} a main source
 * may mention {@code SecretAccess} only in its import and as {@code SecretAccess.plaintext()}, so that
 * searching for that call finds every read.
 */
class SecretReadersTest {

    private static final String CALL = "SecretAccess.plaintext()";

    /** Fully qualified names, with why each one reads. */
    private static final Set<String> READERS = Set.of(
            // hashing and encoding compute with the plaintext
            "io.svctoken.core.hash.BcryptHasher",
            "io.svctoken.core.hash.HashSupport",
            "io.svctoken.core.hash.NoopHasher",
            "io.svctoken.core.hash.Pbkdf2Hasher",
            "io.svctoken.core.token.TokenCodec",
            // OAuth2 access and refresh tokens are decoded to their random bytes, which are hashed
            "io.svctoken.core.oauth2.OAuth2TokenCodec",
            "io.svctoken.core.enroll.EnrollmentToken",
            // a newly created value is shown once: token and API-key creation, the first-start banner
            "io.svctoken.server.Node",
            "io.svctoken.server.FirstStartBanner",
            "io.svctoken.server.rest.ApiKeyEndpoints",
            "io.svctoken.server.rest.OAuth2TokenEndpoints",
            "io.svctoken.server.rest.ServiceAccountEndpoints",
            "io.svctoken.server.rest.TokenLifecycleEndpoints",
            "io.svctoken.server.rest.EnrollmentEndpoints",
            // a console session's id, shown once in its Set-Cookie (stored hashed); an API key given to the console's sign-in,
            // checked as its header is
            "io.svctoken.server.console.ConsoleSessions",
            "io.svctoken.cli.tokens.FileTokenCommands",
            "io.svctoken.cli.password.CreateEnrollmentTokenTool",
            "io.svctoken.cli.password.ResetPasswordTool",
            // the length/character rules of a new password, before it is hashed
            "io.svctoken.cli.users.FileUserCommands",
            // the HTTPS key store and key passwords, handed to the JDK's key stores
            "io.svctoken.server.tls.HttpTls",
            // sent on to a server: request bodies and headers, the database password
            "io.svctoken.cli.password.ClusterClient",
            "io.svctoken.cli.kibana.KibanaSetupCommand",
            "io.svctoken.store.postgresql.ListenSignal",
            "io.svctoken.store.postgresql.PostgresqlStore",
            // the gateway's own credentials for the upstream, sent as its Authorization header
            "io.svctoken.server.gateway.Upstreams",
            "io.svctoken.server.gateway.Exchange",
            // the identity header's HMAC key
            "io.svctoken.server.gateway.IdentityHeader",
            // the benchmarks build bearer strings to send
            "io.svctoken.bench.BenchDb",
            "io.svctoken.bench.CoreBenchmarks");

    @Test
    void theReadersAreTheListedOnes() {
        assertThat(readers()).containsExactlyInAnyOrderElementsOf(READERS);
    }

    @Test
    void theCapabilityIsNeverHeldOrPassedOn() {
        for (Path source : mainSources()) {
            if (inSecretPackage(source)) {
                continue;
            }
            for (String line : read(source).lines().toList()) {
                String t = line.strip();
                if (t.equals("import io.svctoken.core.secret.SecretAccess;")) {
                    continue;
                }
                String rest = t.replace("io.svctoken.core.secret." + CALL, "").replace(CALL, "");
                assertThat(rest).as(source + ": SecretAccess only as " + CALL + ": " + t).doesNotContain("SecretAccess");
            }
        }
    }

    private static Set<String> readers() {
        Set<String> out = new TreeSet<>();
        for (Path source : mainSources()) {
            if (!inSecretPackage(source) && read(source).contains(CALL)) {
                String p = source.toString().replace('\\', '/');
                String cls = p.substring(p.indexOf("/src/main/java/") + "/src/main/java/".length(), p.length() - ".java".length());
                out.add(cls.replace('/', '.'));
            }
        }
        return out;
    }

    private static boolean inSecretPackage(Path source) {
        return source.toString().replace('\\', '/').contains("/src/main/java/io/svctoken/core/secret/");
    }

    private static List<Path> mainSources() {
        try (Stream<Path> modules = Files.list(root())) {
            List<Path> out = modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(SecretReadersTest::javaFiles).toList();
            assertThat(out).as("main sources of every module").hasSizeGreaterThan(100);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project root: the test runs in core's directory. */
    private static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("core/src/main/java")).isDirectory();
        return root;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
