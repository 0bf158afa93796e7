package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Corrupt stored values: either {@code false} or an {@link IllegalArgumentException} with a message from
 * {@link HashMessages} — never another exception, never the password (or the hash) in a message.
 */
class HasherMalformedTest {

    private static final String PASSWORD = "Sup3r-S3cret-Pa55word";
    private static final String B64_SALT_32 = b64(32, 1);
    private static final String B64_KEY_32 = b64(32, 2);
    private static final String BCRYPT_SALT = "abcdefghijklmnopqrstuv";
    private static final String BCRYPT_HASH = "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234";

    private static String b64(int bytes, int fill) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) fill);
        return Base64.getEncoder().encodeToString(b);
    }

    private static Hasher h(String id) {
        return Hasher.resolve(id);
    }

    // ------------------------------------------------------------------ false

    /** hasher, value: not in this hasher's format, or simply not matching → false. */
    static Stream<Arguments> falseCases() {
        List<Arguments> out = new ArrayList<>();
        for (String id : List.of("pbkdf2_1000", "pbkdf2_stretch_1000")) {
            String p = id.contains("stretch") ? "{PBKDF2_STRETCH}" : "{PBKDF2}";
            out.add(Arguments.of(id, p + "1000"));
            out.add(Arguments.of(id, p + "1000$"));
            out.add(Arguments.of(id, p + "1000$" + B64_SALT_32));
            out.add(Arguments.of(id, p + "1000$" + B64_SALT_32 + "$" + B64_KEY_32)); // wrong key
            out.add(Arguments.of(id, p + "1000$" + B64_SALT_32 + "$" + "*".repeat(44))); // key not Base64: never equal
            out.add(Arguments.of(id, p + "1000$" + B64_SALT_32 + "$" + B64_KEY_32 + "$extra"));
            out.add(Arguments.of(id, p + "1000$" + B64_SALT_32 + "$" + b64(20, 3))); // 20-byte key → 128-bit compare → false
            out.add(Arguments.of(id, p + "10000$" + B64_SALT_32 + "$" + B64_KEY_32)); // other iteration count
            out.add(Arguments.of(id, p + "abc$" + B64_SALT_32 + "$" + B64_KEY_32));
            out.add(Arguments.of(id, p + "$" + B64_SALT_32 + "$" + B64_KEY_32));
            out.add(Arguments.of(id, ""));
            out.add(Arguments.of(id, PASSWORD));
        }
        out.add(Arguments.of("pbkdf2_1000", "{PBKDF2_STRETCH}1000$" + B64_SALT_32 + "$" + B64_KEY_32));
        out.add(Arguments.of("pbkdf2_stretch_1000", "{PBKDF2}1000$" + B64_SALT_32 + "$" + B64_KEY_32));
        out.add(Arguments.of("ssha256", "{SSHA256}AQIDBAUGBwg="));
        out.add(Arguments.of("ssha256", "{SSHA256}AQIDBAUGBwg=garbage"));
        out.add(Arguments.of("ssha256", "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks="));
        out.add(Arguments.of("ssha256", ""));
        out.add(Arguments.of("sha1", "{SHA}"));
        out.add(Arguments.of("sha1", "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks"));
        out.add(Arguments.of("sha1", "{MD5}SEdPl1Ai+WC8Kvvkm+WB6A=="));
        out.add(Arguments.of("md5", "{MD5}"));
        out.add(Arguments.of("md5", "{SHA}87o4G2uu9Sa/cP8iCx2kkGmJIks="));
        out.add(Arguments.of("noop", ""));
        out.add(Arguments.of("noop", PASSWORD + " "));
        out.add(Arguments.of("noop", PASSWORD.substring(1)));
        for (String id : List.of("bcrypt4", "bcrypt")) {
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT + BCRYPT_HASH)); // well-formed, wrong password
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT + BCRYPT_HASH.substring(1))); // 59 chars
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT + BCRYPT_HASH + "A")); // 61 chars
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT + BCRYPT_HASH + "\n"));
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT));
            out.add(Arguments.of(id, "$2a$"));
            out.add(Arguments.of(id, "$2x$04$" + BCRYPT_SALT + BCRYPT_HASH));
            out.add(Arguments.of(id, "$2$04$" + BCRYPT_SALT + BCRYPT_HASH + "A"));
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT + "$" + BCRYPT_HASH.substring(1))); // '$' in the hash part
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT + "_" + BCRYPT_HASH.substring(1)));
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT + "é" + BCRYPT_HASH.substring(1)));
            out.add(Arguments.of(id, "{PBKDF2}1000$" + B64_SALT_32 + "$" + B64_KEY_32));
            out.add(Arguments.of(id, ""));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("falseCases")
    void returnsFalse(String id, String hash) {
        assertThat(h(id).verify(Secret.of(PASSWORD), hash)).isFalse();
    }

    // ------------------------------------------------------------------ IllegalArgumentException

    /** hasher, value, exact message. */
    static Stream<Arguments> illegalCases() {
        List<Arguments> out = new ArrayList<>();
        for (String id : List.of("pbkdf2_1000", "pbkdf2_stretch_1000")) {
            String p = (id.contains("stretch") ? "{PBKDF2_STRETCH}" : "{PBKDF2}") + "1000$";
            out.add(Arguments.of(id, p + b64(7, 1) + "$" + B64_KEY_32, HashMessages.PBKDF2_SALT_TOO_SHORT));
            out.add(Arguments.of(id, p + b64(4, 1) + "$" + B64_KEY_32, HashMessages.PBKDF2_SALT_TOO_SHORT));
            out.add(Arguments.of(id, p + "$" + B64_KEY_32, HashMessages.PBKDF2_SALT_TOO_SHORT));
            out.add(Arguments.of(id, p + "AAAAAAAAAA$" + B64_KEY_32, HashMessages.PBKDF2_SALT_TOO_SHORT)); // 10 unpadded chars = 7 bytes
            out.add(Arguments.of(id, p + B64_SALT_32 + "$", HashMessages.PBKDF2_KEY_LENGTH_INVALID));
            out.add(Arguments.of(id, p + B64_SALT_32 + "$" + "A".repeat(21), HashMessages.PBKDF2_KEY_LENGTH_INVALID));
            out.add(Arguments.of(id, p + "$", HashMessages.PBKDF2_KEY_LENGTH_INVALID)); // key checked before salt
            out.add(Arguments.of(id, p + "!!!!!!!!!!!!$" + B64_KEY_32, HashMessages.PBKDF2_SALT_NOT_BASE64));
            out.add(Arguments.of(id, p + B64_SALT_32.substring(1) + "$" + B64_KEY_32, HashMessages.PBKDF2_SALT_NOT_BASE64));
            out.add(Arguments.of(id, p + "é".repeat(12) + "$" + B64_KEY_32, HashMessages.PBKDF2_SALT_NOT_BASE64));
            out.add(Arguments.of(id, p + B64_SALT_32 + "$" + "A".repeat(1400), HashMessages.PBKDF2_KEY_TOO_LONG));
        }
        out.add(Arguments.of("ssha256", "{SSHA256}", HashMessages.SSHA256_TOO_SHORT));
        out.add(Arguments.of("ssha256", "{SSHA256}AQIDBAUGBwg", HashMessages.SSHA256_TOO_SHORT));
        out.add(Arguments.of("ssha256", "{SSHA256}!!!!!!!!!!!!9hARz15kfPIEunjsfJzesauM+8NEcBJ8T4Mh2qjY058=",
                HashMessages.SSHA256_SALT_NOT_BASE64));
        out.add(Arguments.of("ssha256", "{SSHA256}AQID=AUGBwg=9hARz15kfPIEunjsfJzesauM+8NEcBJ8T4Mh2qjY058=",
                HashMessages.SSHA256_SALT_NOT_BASE64));
        for (String id : List.of("bcrypt4", "bcrypt")) {
            out.add(Arguments.of(id, "$2a$1x$" + BCRYPT_SALT + BCRYPT_HASH, HashMessages.BCRYPT_MALFORMED));
            out.add(Arguments.of(id, "$2a$+4$" + BCRYPT_SALT + BCRYPT_HASH, HashMessages.BCRYPT_MALFORMED));
            out.add(Arguments.of(id, "$2a$04_" + BCRYPT_SALT + BCRYPT_HASH, HashMessages.BCRYPT_MALFORMED));
            out.add(Arguments.of(id, "$2a$04$" + "_" + BCRYPT_SALT.substring(1) + BCRYPT_HASH, HashMessages.BCRYPT_MALFORMED));
            out.add(Arguments.of(id, "$2a$04$" + "$" + BCRYPT_SALT.substring(1) + BCRYPT_HASH, HashMessages.BCRYPT_MALFORMED));
            out.add(Arguments.of(id, "$2a$04$" + BCRYPT_SALT.substring(1) + "é" + BCRYPT_HASH, HashMessages.BCRYPT_MALFORMED));
            out.add(Arguments.of(id, "$2a$03$" + BCRYPT_SALT + BCRYPT_HASH, HashMessages.BCRYPT_COST_OUT_OF_RANGE));
            out.add(Arguments.of(id, "$2a$00$" + BCRYPT_SALT + BCRYPT_HASH, HashMessages.BCRYPT_COST_OUT_OF_RANGE));
            out.add(Arguments.of(id, "$2a$31$" + BCRYPT_SALT + BCRYPT_HASH, HashMessages.BCRYPT_COST_OUT_OF_RANGE));
            out.add(Arguments.of(id, "$2y$99$" + BCRYPT_SALT + BCRYPT_HASH, HashMessages.BCRYPT_COST_OUT_OF_RANGE));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("illegalCases")
    void throwsIllegalArgumentWithAClearMessage(String id, String hash, String message) {
        Throwable t = catchThrowable(() -> h(id).verify(Secret.of(PASSWORD), hash));
        assertThat(t).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertNoLeak(t, hash);
    }

    @Test
    void exactElasticsearchMessages() {
        assertThat(HashMessages.PBKDF2_SALT_TOO_SHORT).isEqualTo("PBKDF2 salt must be at least [8 bytes] long");
        assertThat(HashMessages.PBKDF2_KEY_LENGTH_INVALID).isEqualTo("PBKDF2 key length must be positive and multiple of [128 bits]");
        assertThat(HashMessages.PBKDF2_ITERATIONS_UNDETERMINED)
                .isEqualTo("The number of iterations could not be determined from the provided PBKDF2 hash.");
        assertThat(HashMessages.unknownHashFunction("x")).isEqualTo("unknown hash function [x]");
    }

    @Test
    void eightByteSaltIsTheMinimum() {
        Pbkdf2Hasher h = (Pbkdf2Hasher) h("pbkdf2_1000");
        byte[] salt = new byte[8];
        String hash = h.hashWithSalt(Secret.of(PASSWORD), salt);
        assertThat(hash).contains("$AAAAAAAAAAA=$");
        assertThat(h.verify(Secret.of(PASSWORD), hash)).isTrue();
        // the same 8 bytes without padding decode too (the JDK decoder, like Elasticsearch's, does not require '=')
        assertThat(h.verify(Secret.of(PASSWORD), hash.replace("AAAAAAAAAAA=$", "AAAAAAAAAAA$"))).isTrue();
    }

    @Test
    void verifyHashSurfacesTheSameErrors() {
        String saltTooShort = "{PBKDF2}1000$" + b64(7, 1) + "$" + B64_KEY_32;
        assertThatThrownBy(() -> Hasher.verifyHash(Secret.of(PASSWORD), saltTooShort))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(HashMessages.PBKDF2_SALT_TOO_SHORT);
        assertThatThrownBy(() -> Hasher.verifyHash(Secret.of(PASSWORD), "{PBKDF2}1000"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(HashMessages.PBKDF2_ITERATIONS_UNDETERMINED);
        assertThatThrownBy(() -> Hasher.verifyHash(Secret.of(PASSWORD), "{SSHA256}abc"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(HashMessages.SSHA256_TOO_SHORT);
        // dispatch succeeds (1000 iterations) but the value lacks the second '$': a plain "no"
        assertThat(Hasher.verifyHash(Secret.of(PASSWORD), "{PBKDF2}1000$abc")).isFalse();
    }

    @Test
    void nulls() {
        for (String id : Hasher.cacheHashingNames()) {
            assertThatThrownBy(() -> h(id).verify(Secret.of(PASSWORD), null))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage(HashMessages.HASH_NULL);
            assertThatThrownBy(() -> h(id).verify(null, "x")).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> h(id).hash(null)).isInstanceOf(NullPointerException.class);
        }
        assertThatThrownBy(() -> Hasher.verifyHash(Secret.of(PASSWORD), null))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(HashMessages.HASH_NULL);
    }

    @Test
    void plaintextFallbackComparesExactly() {
        assertThat(Hasher.verifyHash(Secret.of(PASSWORD), PASSWORD)).isTrue();
        assertThat(Hasher.verifyHash(Secret.of("pässwörd"), "pässwörd")).isTrue();
        assertThat(Hasher.verifyHash(Secret.of("pässwörd"), "passwörd")).isFalse();
        assertThat(Hasher.verifyHash(Secret.of(""), "")).isTrue();
        assertThat(Hasher.verifyHash(Secret.of("a"), "")).isFalse();
        // lone surrogates are compared as characters, not as (lossy) UTF-8
        assertThat(Hasher.NOOP.verify(Secret.of("\uD800"), "\uD801")).isFalse();
    }

    /** Every message constant is free of anything that could be a password placeholder, and is non-blank. */
    @Test
    void messageConstantsAreStatic() throws IllegalAccessException {
        for (Field f : HashMessages.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String value = (String) f.get(null);
                assertThat(value).isNotBlank();
            }
        }
    }

    private static void assertNoLeak(Throwable t, String hash) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            assertThat(m).doesNotContain(PASSWORD);
            if (hash.length() > 12) {
                assertThat(m).doesNotContain(hash);
            }
        }
    }
}
