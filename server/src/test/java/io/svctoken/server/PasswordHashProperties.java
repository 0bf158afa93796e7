package io.svctoken.server;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Any {@code password_hash} over real HTTP: either Elasticsearch's 400 naming the supported algorithms,
 * or a stored hash a login can verify — a wrong password then gets the plain "unable to authenticate"
 * 401 (not "error attempting to authenticate"), and an unchanged valid hash logs its password in.
 * Values are random text, random text behind each known prefix, and small edits of valid hashes
 * (cheap parameters, so a login costs little).
 */
class PasswordHashProperties {

    private static final String PASSWORD = "prop-pass";
    private static final List<String> VALID = List.of(
            Hasher.resolve("bcrypt4").hash(Secret.of(PASSWORD)),
            Hasher.resolve("pbkdf2_1000").hash(Secret.of(PASSWORD)),
            Hasher.resolve("pbkdf2_stretch_1000").hash(Secret.of(PASSWORD)));
    private static final List<String> PREFIXES = List.of("$2a$04$", "$2b$05$", "$2y$04$", "$2a$10$", "{PBKDF2}1000$",
            "{PBKDF2_STRETCH}1000$", "{SSHA256}", "{SHA}", "{MD5}");

    static Path home;
    static TestNode node;

    @BeforeContainer
    static void start() throws Exception {
        home = Files.createTempDirectory("svctoken-hash-props");
        // every try logs in with a wrong password on purpose: the failed-authentication budget would answer 429 after ten
        node = TestNode.start(home, Map.of("svctoken.authc.failure_throttle.enabled", "false"));
    }

    @AfterContainer
    static void stop() {
        node.close();
        try (var paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: best effort
        }
    }

    @Property(tries = 300)
    void aPasswordHashIsRefusedOrVerifiable(@ForAll("values") String value) throws Exception {
        TestNode.Response put = node.asElastic("PUT", "/_security/user/prop_user", PasswordHashValidationTest.body("password_hash", value));
        if (put.status() == 400) {
            assertThat(put.json().at("/error/type").asText()).as(value).isEqualTo("illegal_argument_exception");
            assertThat(put.json().at("/error/reason").asText()).as(value).isEqualTo(PasswordHashValidationTest.UNSUPPORTED);
            Statistics.collect("refused");
        } else {
            assertThat(put.status()).as("%s -> %s", value, put.body()).isEqualTo(200);
            assertThatCode(() -> Hasher.verifyHash(Secret.of("wrong-pass"), value)).as(value).doesNotThrowAnyException();
            TestNode.Response wrong = node.request("GET", "/_security/_authenticate", basic("prop_user", "wrong-pass"));
            assertThat(wrong.status()).as(value).isEqualTo(401);
            assertThat(wrong.json().at("/error/reason").asText()).as(value)
                    .isEqualTo("unable to authenticate user [prop_user] for REST request [/_security/_authenticate]");
            if (VALID.contains(value)) {
                assertThat(node.request("GET", "/_security/_authenticate", basic("prop_user", PASSWORD)).status()).as(value).isEqualTo(200);
            }
            Statistics.collect("stored");
        }
        Statistics.coverage(c -> {
            c.check("refused").percentage(p -> p > 30);
            c.check("stored").percentage(p -> p > 5);
        });
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(80);
        Arbitrary<String> prefixed = Combinators.combine(Arbitraries.of(PREFIXES),
                Arbitraries.strings().withChars("./+=$ABCxyz0123456789").ofMaxLength(70)).as(String::concat);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, text),
                net.jqwik.api.Tuple.of(2, prefixed),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(VALID)),
                net.jqwik.api.Tuple.of(5, edits()));
    }

    /** One small edit of a valid hash: a replaced, removed or added character, or a cut. */
    private static Arbitrary<String> edits() {
        Arbitrary<Character> chars = Arbitraries.of('.', '/', '+', '=', '$', 'A', 'B', 'a', 'z', '0', '9', '!');
        return Combinators.combine(Arbitraries.of(VALID), Arbitraries.integers().between(0, 1000), chars, Arbitraries.integers().between(0, 3))
                .as((hash, at, c, kind) -> {
                    int i = at % hash.length();
                    return switch (kind) {
                        case 0 -> hash.substring(0, i) + c + hash.substring(i + 1);
                        case 1 -> hash.substring(0, i) + hash.substring(i + 1);
                        case 2 -> hash.substring(0, i) + c + hash.substring(i);
                        default -> hash.substring(0, i);
                    };
                });
    }
}
