package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Elasticsearch's hashing algorithm identifiers, and the dispatch from a stored hash to its hasher. */
class HasherResolveTest {

    /** 53 bcrypt-Base64 characters: 22 salt + 31 hash. */
    private static final String BCRYPT_BODY = "abcdefghijklmnopqrstuv" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
    private static final String PBKDF2_BODY = "$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$V2WpONdio96GraziTdhpBe/AECuuA6OXDakMh8ZOHMs=";

    // ---------------------------------------------------------------- resolve(name)

    /** identifier, canonical name, family, parameter (cost / iterations). */
    static Stream<Arguments> identifiers() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("bcrypt", "bcrypt", "bcrypt", 10));
        for (int cost = 4; cost <= 14; cost++) {
            out.add(Arguments.of("bcrypt" + cost, cost == 10 ? "bcrypt" : "bcrypt" + cost, "bcrypt", cost));
        }
        out.add(Arguments.of("pbkdf2", "pbkdf2", "pbkdf2", 10000));
        for (int n : new int[] {1000, 10000, 50000, 100000, 500000, 1000000}) {
            out.add(Arguments.of("pbkdf2_" + n, n == 10000 ? "pbkdf2" : "pbkdf2_" + n, "pbkdf2", n));
        }
        out.add(Arguments.of("pbkdf2_stretch", "pbkdf2_stretch", "pbkdf2_stretch", 10000));
        for (int n : new int[] {1000, 10000, 50000, 100000, 500000, 1000000}) {
            out.add(Arguments.of("pbkdf2_stretch_" + n, "pbkdf2_stretch_" + n, "pbkdf2_stretch", n));
        }
        out.add(Arguments.of("sha1", "sha1", "sha1", 0));
        out.add(Arguments.of("md5", "md5", "md5", 0));
        out.add(Arguments.of("ssha256", "ssha256", "ssha256", 0));
        out.add(Arguments.of("noop", "noop", "noop", 0));
        out.add(Arguments.of("clear_text", "noop", "noop", 0));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiers")
    void everyIdentifierResolvesCaseInsensitively(String id, String canonical, String family, int parameter) {
        for (String spelling : List.of(id, id.toUpperCase(Locale.ROOT), mixedCase(id))) {
            Hasher h = Hasher.resolve(spelling);
            assertThat(h.name()).isEqualTo(canonical);
            assertThat(h).isSameAs(Hasher.resolve(id));
            switch (family) {
                case "bcrypt" -> assertThat(h).isInstanceOfSatisfying(BcryptHasher.class, b -> assertThat(b.cost()).isEqualTo(parameter));
                case "pbkdf2", "pbkdf2_stretch" -> assertThat(h).isInstanceOfSatisfying(Pbkdf2Hasher.class, p -> {
                    assertThat(p.iterations()).isEqualTo(parameter);
                    assertThat(p.isStretch()).isEqualTo(family.equals("pbkdf2_stretch"));
                });
                case "sha1" -> assertThat(h).isSameAs(Hasher.SHA1);
                case "md5" -> assertThat(h).isSameAs(Hasher.MD5);
                case "ssha256" -> assertThat(h).isSameAs(Hasher.SSHA256);
                case "noop" -> assertThat(h).isSameAs(Hasher.NOOP);
                default -> throw new AssertionError(family);
            }
        }
    }

    private static String mixedCase(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            b.append(i % 2 == 0 ? Character.toUpperCase(s.charAt(i)) : s.charAt(i));
        }
        return b.toString();
    }

    @Test
    void defaultsAreShared() {
        assertThat(Hasher.resolve("bcrypt10")).isSameAs(Hasher.BCRYPT);
        assertThat(Hasher.resolve("pbkdf2_10000")).isSameAs(Hasher.PBKDF2);
        assertThat(Hasher.resolve("pbkdf2_stretch")).isSameAs(Hasher.PBKDF2_STRETCH);
        assertThat(Hasher.resolve("clear_text")).isSameAs(Hasher.NOOP);
        // like Elasticsearch, pbkdf2_stretch_10000 is a separate (equivalent) hasher
        assertThat(Hasher.resolve("pbkdf2_stretch_10000")).isNotSameAs(Hasher.PBKDF2_STRETCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bcrypt3", "bcrypt15", "bcrypt31", "BCRYPT3", "bcrypt04", "pbkdf2_2000", "pbkdf2_0",
        "pbkdf2_stretch_2000", "pbkdf2_stretch_", "pbkdf2-stretch", "sha256", "SHA256", "sha", "ssha", "argon2", "scrypt",
        "", " ", " bcrypt", "bcrypt ", "plaintext", "clear-text", "none"})
    void unknownNamesGiveTheExactMessage(String name) {
        assertThatThrownBy(() -> Hasher.resolve(name))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [" + name + "]");
    }

    @Test
    void nullNameIsUnknown() {
        assertThatThrownBy(() -> Hasher.resolve(null))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [null]");
    }

    @Test
    void everyCanonicalNameResolvesBackToItsHasher() {
        for (String id : Hasher.cacheHashingNames()) {
            Hasher h = Hasher.resolve(id);
            assertThat(Hasher.resolve(h.name())).isSameAs(h);
            assertThat(h.name()).isEqualTo(h.name().toLowerCase(Locale.ROOT));
            assertThat(h.toString()).contains(h.name());
        }
    }

    // ---------------------------------------------------------------- name sets

    @Test
    void passwordHashingNamesAreAllBcryptAndPbkdf2Identifiers() {
        List<String> expected = new ArrayList<>();
        expected.add("bcrypt");
        for (int cost = 4; cost <= 14; cost++) {
            expected.add("bcrypt" + cost);
        }
        expected.add("pbkdf2");
        for (int n : new int[] {1000, 10000, 50000, 100000, 500000, 1000000}) {
            expected.add("pbkdf2_" + n);
        }
        expected.add("pbkdf2_stretch");
        for (int n : new int[] {1000, 10000, 50000, 100000, 500000, 1000000}) {
            expected.add("pbkdf2_stretch_" + n);
        }
        assertThat(Hasher.passwordHashingNames()).containsExactlyElementsOf(expected);
        assertThat(Hasher.secureTokenHashingNames()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(expected.stream(), Stream.of("ssha256")).toList());
        assertThat(Hasher.cacheHashingNames()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(expected.stream(), Stream.of("sha1", "md5", "ssha256", "noop", "clear_text")).toList());
        assertThat(Hasher.cacheHashingNames()).doesNotContain("sha256");
        assertThat(Hasher.passwordHashingNames().toString()).startsWith("[bcrypt, bcrypt4, bcrypt5,");
    }

    @Test
    void nameSetsAreUnmodifiable() {
        assertThatThrownBy(() -> Hasher.passwordHashingNames().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Hasher.secureTokenHashingNames().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Hasher.cacheHashingNames().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void everyNameInTheSetsResolves() {
        Hasher.cacheHashingNames().forEach(Hasher::resolve);
    }

    @Test
    void settingMessageHelpers() {
        assertThat(HashMessages.invalidAlgorithm("sha1", List.of("bcrypt", "pbkdf2")))
                .isEqualTo("Invalid algorithm: sha1. Valid values for password hashing are [bcrypt, pbkdf2]");
        assertThat(HashMessages.pbkdf2SupportRequired("xpack.security.authc.service_token_hashing.algorithm"))
                .isEqualTo("Support for PBKDF2WithHMACSHA512 must be available in order to use any of the PBKDF2 algorithms "
                        + "for the [xpack.security.authc.service_token_hashing.algorithm] setting.");
    }

    // ---------------------------------------------------------------- resolveFromHash(hash)

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "$2a$04$, bcrypt4", "$2b$05$, bcrypt5", "$2y$06$, bcrypt6", "$2a$07$, bcrypt7", "$2a$08$, bcrypt8",
        "$2a$09$, bcrypt9", "$2a$10$, bcrypt", "$2b$10$, bcrypt", "$2y$10$, bcrypt", "$2a$11$, bcrypt11",
        "$2a$12$, bcrypt12", "$2y$13$, bcrypt13", "$2b$14$, bcrypt14"})
    void bcryptDispatchByCost(String prefix, String expected) {
        assertThat(Hasher.resolveFromHash(prefix + BCRYPT_BODY).name()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "01", "03", "15", "16", "20", "30", "31", "99"})
    void bcryptCostsOutsideFourToFourteenAreUnknown(String cost) {
        String hash = "$2a$" + cost + "$" + BCRYPT_BODY;
        assertThatThrownBy(() -> Hasher.resolveFromHash(hash))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [bcrypt" + Integer.parseInt(cost) + "]");
        assertThatThrownBy(() -> Hasher.verifyHash(Secret.of("password"), hash))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [bcrypt" + Integer.parseInt(cost) + "]");
    }

    @Test
    void bcryptCostIsReadFromTheCanonicalLayout() {
        // Elasticsearch parses characters [4, length - 54): a 61-character value has a three-digit "cost"
        assertThatThrownBy(() -> Hasher.resolveFromHash("$2a$100$" + BCRYPT_BODY))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [bcrypt100]");
        // ... a 59-character one a one-digit cost
        assertThatThrownBy(() -> Hasher.resolveFromHash("$2a$0$" + BCRYPT_BODY))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [bcrypt0]");
        assertThat(Hasher.resolveFromHash("$2a$5$" + BCRYPT_BODY).name()).isEqualTo("bcrypt5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2a$", "$2b$", "$2y$10$", "$2a$10$short", "$2a$xx$" + BCRYPT_BODY, "$2a$1x$" + BCRYPT_BODY,
        "$2a$10$" + BCRYPT_BODY + "X", "$2a$10$" + BCRYPT_BODY + "\n", "$2a$$$" + BCRYPT_BODY})
    void bcryptWithoutReadableCostIsAnIllegalArgument(String hash) {
        assertThatThrownBy(() -> Hasher.resolveFromHash(hash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The cost could not be determined");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2x$10$", "$2$10$", "$2c$10$", "$3a$10$", "$2A$10$", "2a$10$$", "$2a-10$", "$2a"})
    void otherDollarPrefixesArePlaintext(String prefix) {
        assertThat(Hasher.resolveFromHash(prefix + BCRYPT_BODY)).isSameAs(Hasher.NOOP);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "{PBKDF2}1000, pbkdf2_1000", "{PBKDF2}10000, pbkdf2", "{PBKDF2}50000, pbkdf2_50000",
        "{PBKDF2}100000, pbkdf2_100000", "{PBKDF2}500000, pbkdf2_500000", "{PBKDF2}1000000, pbkdf2_1000000",
        "{PBKDF2}010000, pbkdf2", "{PBKDF2}+1000, pbkdf2_1000",
        "{PBKDF2_STRETCH}1000, pbkdf2_stretch_1000", "{PBKDF2_STRETCH}10000, pbkdf2_stretch",
        "{PBKDF2_STRETCH}50000, pbkdf2_stretch_50000", "{PBKDF2_STRETCH}100000, pbkdf2_stretch_100000",
        "{PBKDF2_STRETCH}500000, pbkdf2_stretch_500000", "{PBKDF2_STRETCH}1000000, pbkdf2_stretch_1000000"})
    void pbkdf2DispatchByIterations(String prefix, String expected) {
        assertThat(Hasher.resolveFromHash(prefix + PBKDF2_BODY).name()).isEqualTo(expected);
        assertThat(Hasher.resolveFromHash(prefix + "$").name()).isEqualTo(expected); // only the count matters here
    }

    @Test
    void defaultIterationCountsDispatchToTheDefaultInstances() {
        assertThat(Hasher.resolveFromHash("{PBKDF2}10000" + PBKDF2_BODY)).isSameAs(Hasher.PBKDF2);
        assertThat(Hasher.resolveFromHash("{PBKDF2_STRETCH}10000" + PBKDF2_BODY)).isSameAs(Hasher.PBKDF2_STRETCH);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 999, 1001, 2000, 20000, 200000, 10000000, -1000})
    void unsupportedIterationCountsAreUnknown(int n) {
        assertThatThrownBy(() -> Hasher.resolveFromHash("{PBKDF2}" + n + PBKDF2_BODY))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [pbkdf2_" + n + "]");
        assertThatThrownBy(() -> Hasher.resolveFromHash("{PBKDF2_STRETCH}" + n + PBKDF2_BODY))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown hash function [pbkdf2_stretch_" + n + "]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10000", "abc$", "$", " 10000$", "10000 $", "1e4$", "99999999999$", "0x2710$", "10_000$"})
    void unreadableIterationsGiveTheExactMessage(String rest) {
        for (String prefix : List.of("{PBKDF2}", "{PBKDF2_STRETCH}")) {
            assertThatThrownBy(() -> Hasher.resolveFromHash(prefix + rest))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The number of iterations could not be determined from the provided PBKDF2 hash.");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks=|sha1", "{SHA}|sha1", "{SHA}anything at all|sha1",
        "{MD5}SEdPl1Ai+WC8Kvvkm+WB6A==|md5", "{MD5}|md5",
        "{SSHA256}AQIDBAUGBwg=9hARz15kfPIEunjsfJzesauM+8NEcBJ8T4Mh2qjY058=|ssha256", "{SSHA256}|ssha256",
        "plaintext|noop", "{sha}87o4G2uu9Sa/cP8iCx2kkGmJIks=|noop", "{pbkdf2}10000$a$b|noop",
        "{PBKDF2|noop", "{PBKDF2_STRETCH|noop", "{SHA256}abc|noop", "{SSHA}abc|noop", "{BCRYPT}x|noop",
        "' {SHA}x'|noop", "$2a|noop", "$|noop", "{}|noop"})
    void prefixDispatch(String hash, String expected) {
        assertThat(Hasher.resolveFromHash(hash).name()).isEqualTo(expected);
    }

    @Test
    void emptyValueIsPlaintext() {
        assertThat(Hasher.resolveFromHash("")).isSameAs(Hasher.NOOP);
    }

    @Test
    void nullHashIsAnIllegalArgument() {
        assertThatThrownBy(() -> Hasher.resolveFromHash(null))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(HashMessages.HASH_NULL);
    }

    @Test
    void stretchPrefixWinsOverPlainPbkdf2() {
        // "{PBKDF2_STRETCH}" does not start with "{PBKDF2}", but check the order anyway
        assertThat(Hasher.resolveFromHash("{PBKDF2_STRETCH}1000$x$y")).isInstanceOfSatisfying(Pbkdf2Hasher.class,
                p -> assertThat(p.isStretch()).isTrue());
        assertThat(Hasher.resolveFromHash("{PBKDF2}1000$x$y")).isInstanceOfSatisfying(Pbkdf2Hasher.class,
                p -> assertThat(p.isStretch()).isFalse());
    }
}
