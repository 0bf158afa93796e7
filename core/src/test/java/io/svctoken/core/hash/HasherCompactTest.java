package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class HasherCompactTest {

    @ParameterizedTest
    @ValueSource(strings = {"ssha256", "sha1", "md5", "pbkdf2_1000", "bcrypt4", "noop"})
    void compactFormRoundTrips(String name) {
        Hasher h = Hasher.resolve(name);
        byte[] c = h.hashCompact(Secret.of("s3cret-value"));
        assertThat(h.verifyCompact(Secret.of("s3cret-value"), c)).isTrue();
        assertThat(h.verifyCompact(Secret.of("s3cret-valuf"), c)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 39, 41})
    void ssha256CompactIsFortyBytesAndRefusesOtherLengths(int length) {
        Hasher h = Hasher.resolve("ssha256");
        assertThat(h.hashCompact(Secret.of("x"))).hasSize(40);
        assertThat(h.verifyCompact(Secret.of("x"), new byte[length])).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "é-ü", "0123456789012345678901"})
    void ssha256CompactAgreesWithTheTextForm(String password) {
        Ssha256Hasher h = (Ssha256Hasher) Hasher.resolve("ssha256");
        byte[] c = h.hashCompact(Secret.of(password));
        byte[] salt = Arrays.copyOf(c, 8);
        String text = h.hashWithSalt(Secret.of(password), salt);
        byte[] digest = Base64.getDecoder().decode(text.substring("{SSHA256}".length() + 12));
        assertThat(Arrays.copyOfRange(c, 8, 40)).isEqualTo(digest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssha256", "pbkdf2_1000", "sha1"})
    void compactFormVerifiesInPlaceWithinALargerArray(String name) {
        Hasher h = Hasher.resolve(name);
        byte[] c = h.hashCompact(Secret.of("in-place"));
        byte[] framed = new byte[c.length + 3];
        System.arraycopy(c, 0, framed, 1, c.length);
        assertThat(h.verifyCompact(Secret.of("in-place"), framed, 1, c.length)).isTrue();
        assertThat(h.verifyCompact(Secret.of("in-placf"), framed, 1, c.length)).isFalse();
        assertThat(h.verifyCompact(Secret.of("in-place"), framed, 0, c.length)).isFalse();
    }
}
