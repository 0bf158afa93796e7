package io.svctoken.core.hash;

import io.svctoken.core.hash.HashVectors.Vector;
import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the independent vectors of {@code hash-vectors.txt} (Python hashlib, htpasswd):
 * dispatch to the expected hasher, successful verification, rejection of a wrong password, and exact
 * reproduction of the salted PBKDF2/SSHA256 strings with {@code hashWithSalt}.
 */
class HasherVectorsTest {

    private static final List<Vector> VECTORS = HashVectors.load();

    /** Above this, a vector is only verified once (no wrong-password run, no re-hash) to keep the run short. */
    private static final int EXPENSIVE_ITERATIONS = 10000;

    static List<Vector> vectors() {
        return VECTORS;
    }

    static List<Vector> cheapVectors() {
        return VECTORS.stream().filter(v -> v.pbkdf2Iterations() <= EXPENSIVE_ITERATIONS).toList();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void dispatchesToTheExpectedHasher(Vector v) {
        assertThat(Hasher.resolveFromHash(v.hash()).name()).isEqualTo(v.expectedName());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void verifiesTheRightPassword(Vector v) {
        assertThat(Hasher.verifyHash(Secret.of(v.password()), v.hash())).isTrue();
    }

    @ParameterizedTest
    @MethodSource("cheapVectors")
    void rejectsAWrongPassword(Vector v) {
        // prepend rather than append: bcrypt ignores everything after 72 bytes
        assertThat(Hasher.verifyHash(Secret.of("x" + v.password()), v.hash())).isFalse();
        boolean beyondBcryptLimit = v.hash().startsWith("$2") && v.password().getBytes(StandardCharsets.UTF_8).length > 72;
        if (!v.password().isEmpty() && !beyondBcryptLimit) {
            String chopped = v.password().substring(0, v.password().offsetByCodePoints(v.password().length(), -1));
            assertThat(Hasher.verifyHash(Secret.of(chopped), v.hash())).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("cheapVectors")
    void resolvedByNameVerifiesToo(Vector v) {
        assertThat(Hasher.resolve(v.expectedName()).verify(Secret.of(v.password()), v.hash())).isTrue();
    }

    @ParameterizedTest
    @MethodSource("cheapVectors")
    void canonicalPbkdf2AndSsha256VectorsAreReproducedExactly(Vector v) {
        Hasher hasher = Hasher.resolve(v.expectedName());
        if (hasher instanceof Pbkdf2Hasher p) {
            String[] parts = v.hash().split("\\$");
            if (parts[2].length() != 44) {
                return; // foreign key length: hashWithSalt always emits 256-bit keys
            }
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            assertThat(p.hashWithSalt(Secret.of(v.password()), salt)).isEqualTo(v.hash());
        } else if (hasher instanceof Ssha256Hasher s) {
            byte[] salt = Base64.getDecoder().decode(v.hash().substring("{SSHA256}".length(), "{SSHA256}".length() + 12));
            assertThat(s.hashWithSalt(Secret.of(v.password()), salt)).isEqualTo(v.hash());
        } else if (hasher instanceof DigestHasher || hasher instanceof NoopHasher) {
            assertThat(hasher.hash(Secret.of(v.password()))).isEqualTo(v.hash());
        }
    }

    @Test
    void theFileCoversEveryFamily() {
        Map<String, Long> byName = VECTORS.stream().collect(Collectors.groupingBy(Vector::expectedName, Collectors.counting()));
        assertThat(byName).containsKeys(
                "pbkdf2", "pbkdf2_1000", "pbkdf2_50000", "pbkdf2_100000", "pbkdf2_500000", "pbkdf2_1000000",
                "pbkdf2_stretch", "pbkdf2_stretch_1000", "pbkdf2_stretch_50000", "pbkdf2_stretch_100000",
                "pbkdf2_stretch_500000", "pbkdf2_stretch_1000000",
                "ssha256", "sha1", "md5", "bcrypt4", "bcrypt5", "bcrypt");
        assertThat(byName.get("pbkdf2_1000")).isGreaterThanOrEqualTo(10);
        assertThat(byName.get("pbkdf2")).isGreaterThanOrEqualTo(3);
        assertThat(byName.get("bcrypt4")).isGreaterThanOrEqualTo(10);
        List<String> bcrypt = VECTORS.stream().map(Vector::hash).filter(h -> h.startsWith("$2")).toList();
        assertThat(bcrypt).anyMatch(h -> h.startsWith("$2y$")).anyMatch(h -> h.startsWith("$2b$")).anyMatch(h -> h.startsWith("$2a$"));
        assertThat(bcrypt).anyMatch(h -> h.startsWith("$2y$10$")).anyMatch(h -> h.startsWith("$2y$05$"));
        assertThat(VECTORS).anyMatch(v -> v.password().chars().anyMatch(c -> c > 0x7f));
        assertThat(VECTORS).anyMatch(v -> v.password().codePoints().anyMatch(Character::isSupplementaryCodePoint));
        assertThat(VECTORS).anyMatch(v -> v.password().isEmpty());
    }

    /** Elasticsearch's documented hashes, reproduced byte for byte from the fixed salts. */
    @Test
    void specVectorsAreReproducedFromTheirSalts() {
        Secret password = Secret.of("qwerty123456");
        byte[] salt32 = new byte[32];
        IntStream.range(0, 32).forEach(i -> salt32[i] = (byte) (i + 1));
        byte[] salt8 = new byte[8];
        IntStream.range(0, 8).forEach(i -> salt8[i] = (byte) (i + 1));

        assertThat(Hasher.PBKDF2.hashWithSalt(password, salt32)).isEqualTo(
                "{PBKDF2}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$V2WpONdio96GraziTdhpBe/AECuuA6OXDakMh8ZOHMs=");
        assertThat(Hasher.PBKDF2_STRETCH.hashWithSalt(password, salt32)).isEqualTo(
                "{PBKDF2_STRETCH}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$HuU/CkY2+8FrdaRLob/WEFzYa8g94v/6+w6srhx+D1A=");
        assertThat(Hasher.SSHA256.hashWithSalt(password, salt8)).isEqualTo(
                "{SSHA256}AQIDBAUGBwg=9hARz15kfPIEunjsfJzesauM+8NEcBJ8T4Mh2qjY058=");
        assertThat(Hasher.SHA1.hash(password)).isEqualTo("{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks=");
        assertThat(Hasher.MD5.hash(password)).isEqualTo("{MD5}SEdPl1Ai+WC8Kvvkm+WB6A==");
    }

    @Test
    void specVectorsAreInTheFile() {
        Map<String, Vector> byHash = VECTORS.stream().collect(Collectors.toMap(Vector::hash, Function.identity(), (a, b) -> a));
        assertThat(byHash).containsKeys(
                "{PBKDF2}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$V2WpONdio96GraziTdhpBe/AECuuA6OXDakMh8ZOHMs=",
                "{PBKDF2_STRETCH}10000$AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=$HuU/CkY2+8FrdaRLob/WEFzYa8g94v/6+w6srhx+D1A=",
                "{SSHA256}AQIDBAUGBwg=9hARz15kfPIEunjsfJzesauM+8NEcBJ8T4Mh2qjY058=",
                "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks=",
                "{MD5}SEdPl1Ai+WC8Kvvkm+WB6A==");
    }
}
