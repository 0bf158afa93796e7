package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** hash → verify for every cheap hasher, output formats, and the treatment of the caller's Secret. */
class HasherRoundTripTest {

    private static final Pattern B64_44 = Pattern.compile("[A-Za-z0-9+/]{43}=");
    private static final Pattern BCRYPT = Pattern.compile("\\$2a\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private static final List<String> PASSWORDS = List.of(
            "qwerty123456", "", "7LWZH6QcTuq2Z2Qk3hYzJg", "pässwörd", "пароль", "\uD83D\uDD11 key", "a\u0000b", "  spaces  ");

    /** Every identifier except the expensive ones (bcrypt 9..14, PBKDF2 ≥ 500 000), which are only resolved. */
    static List<String> cheapIdentifiers() {
        return Hasher.cacheHashingNames().stream().filter(id -> !isExpensive(id)).toList();
    }

    static boolean isExpensive(String id) {
        Hasher h = Hasher.resolve(id);
        if (h instanceof BcryptHasher b) {
            return b.cost() > 8;
        }
        if (h instanceof Pbkdf2Hasher p) {
            return p.iterations() > 100000;
        }
        return false;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cheapIdentifiers")
    void roundTripAndWrongPassword(String id) {
        Hasher hasher = Hasher.resolve(id);
        List<String> passwords = hasher instanceof Pbkdf2Hasher p && p.iterations() > 10000 ? List.of("pässwörd") : PASSWORDS;
        for (String pw : passwords) {
            Secret secret = Secret.of(pw);
            String hash = hasher.hash(secret);
            assertThat(hasher.verify(secret, hash)).as("%s verifies its own hash", id).isTrue();
            assertThat(Hasher.verifyHash(secret, hash)).as("%s dispatches", id).isTrue();
            assertThat(hasher.verify(Secret.of(pw + "x"), hash)).isFalse();
            assertThat(Hasher.verifyHash(Secret.of("x" + pw), hash)).isFalse();
            assertThat(secret.isWiped()).as("the caller's secret is left alone").isFalse();
            assertThat(secret.revealAsString(SecretAccess.plaintext())).isEqualTo(pw);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cheapIdentifiers")
    void dispatchFindsAnEquivalentHasher(String id) {
        Hasher hasher = Hasher.resolve(id);
        Hasher back = Hasher.resolveFromHash(hasher.hash(Secret.of("qwerty123456")));
        if (id.equals("pbkdf2_stretch_10000")) {
            assertThat(back).isSameAs(Hasher.PBKDF2_STRETCH); // 10000 dispatches to the default, as in Elasticsearch
        } else {
            assertThat(back).isSameAs(hasher);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bcrypt9", "bcrypt10", "bcrypt11", "bcrypt12", "bcrypt13", "bcrypt14", "pbkdf2_500000",
        "pbkdf2_1000000", "pbkdf2_stretch_500000", "pbkdf2_stretch_1000000"})
    void expensiveHashersAreOnlyResolved(String id) {
        assertThat(isExpensive(id)).isTrue();
        assertThat(Hasher.resolve(id).name()).isEqualTo(id.equals("bcrypt10") ? "bcrypt" : id);
    }

    @Test
    void defaultBcryptRoundTripOnce() {
        String hash = Hasher.BCRYPT.hash(Secret.of("x-pack-test-password"));
        assertThat(hash).startsWith("$2a$10$").hasSize(60);
        assertThat(Hasher.verifyHash(Secret.of("x-pack-test-password"), hash)).isTrue();
    }

    @Test
    void pbkdf2Format() {
        for (Pbkdf2Hasher h : List.of((Pbkdf2Hasher) Hasher.resolve("pbkdf2_1000"), (Pbkdf2Hasher) Hasher.resolve("pbkdf2_stretch_1000"),
                Hasher.PBKDF2, Hasher.PBKDF2_STRETCH)) {
            String hash = h.hash(Secret.of("qwerty123456"));
            String prefix = (h.isStretch() ? "{PBKDF2_STRETCH}" : "{PBKDF2}") + h.iterations() + "$";
            assertThat(hash).startsWith(prefix);
            String[] parts = hash.substring(prefix.length()).split("\\$", -1);
            assertThat(parts).hasSize(2);
            assertThat(parts[0]).matches(B64_44);
            assertThat(parts[1]).matches(B64_44);
            assertThat(Base64.getDecoder().decode(parts[0])).hasSize(32);
            assertThat(Base64.getDecoder().decode(parts[1])).hasSize(32);
        }
    }

    @Test
    void otherFormats() {
        Secret pw = Secret.of("qwerty123456");
        String ssha = Hasher.SSHA256.hash(pw);
        assertThat(ssha).startsWith("{SSHA256}").hasSize(9 + 12 + 44);
        assertThat(ssha.substring(9, 21)).endsWith("=").doesNotContain("$");
        assertThat(Base64.getDecoder().decode(ssha.substring(9, 21))).hasSize(8);
        assertThat(ssha.substring(21)).matches(B64_44);
        assertThat(Hasher.SHA1.hash(pw)).startsWith("{SHA}").hasSize(5 + 28);
        assertThat(Hasher.MD5.hash(pw)).startsWith("{MD5}").hasSize(5 + 24);
        assertThat(Hasher.NOOP.hash(pw)).isEqualTo("qwerty123456");
        assertThat(Hasher.resolve("clear_text").hash(pw)).isEqualTo("qwerty123456");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 6, 7, 8})
    void bcryptFormatAndCost(int cost) {
        BcryptHasher h = (BcryptHasher) Hasher.resolve("bcrypt" + cost);
        String hash = h.hash(Secret.of("pässwörd"));
        assertThat(hash).matches(BCRYPT).startsWith(String.format("$2a$%02d$", cost));
    }

    @Test
    void saltsAreFresh() {
        Secret pw = Secret.of("same password");
        for (String id : List.of("bcrypt4", "pbkdf2_1000", "pbkdf2_stretch_1000", "ssha256")) {
            Hasher h = Hasher.resolve(id);
            assertThat(h.hash(pw)).isNotEqualTo(h.hash(pw));
        }
        assertThat(Hasher.SHA1.hash(pw)).isEqualTo(Hasher.SHA1.hash(pw));
    }

    @Test
    void bcryptMinorVersionsAreInterchangeable() {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (0xA0 + i);
        }
        BcryptHasher h = (BcryptHasher) Hasher.resolve("bcrypt4");
        String a = h.hashWithSalt(Secret.of("qwerty123456"), salt);
        assertThat(a).startsWith("$2a$04$");
        assertThat(h.hashWithSalt(Secret.of("qwerty123456"), salt)).isEqualTo(a); // deterministic
        for (String minor : List.of("a", "b", "y")) {
            String hash = "$2" + minor + a.substring(3);
            assertThat(Hasher.verifyHash(Secret.of("qwerty123456"), hash)).as(minor).isTrue();
            assertThat(Hasher.verifyHash(Secret.of("qwerty12345"), hash)).as(minor).isFalse();
        }
        // OpenBSD's other minors are not bcrypt for Elasticsearch: plaintext comparison, so false
        assertThat(Hasher.verifyHash(Secret.of("qwerty123456"), "$2x" + a.substring(3))).isFalse();
        assertThat(h.verify(Secret.of("qwerty123456"), "$2x" + a.substring(3))).isFalse();
    }

    @Test
    void anyBcryptHasherVerifiesAnyCost() {
        String cost5 = ((BcryptHasher) Hasher.resolve("bcrypt5")).hash(Secret.of("pw"));
        assertThat(Hasher.resolve("bcrypt4").verify(Secret.of("pw"), cost5)).isTrue();
        assertThat(Hasher.resolve("bcrypt14").verify(Secret.of("pw"), cost5)).isTrue(); // uses the stored cost 5
    }

    @Test
    void bcryptOnlyUsesTheFirst72Bytes() {
        Hasher h = Hasher.resolve("bcrypt4");
        String seventyTwo = "0123456789".repeat(7) + "ab";
        String hash = h.hash(Secret.of(seventyTwo));
        assertThat(h.verify(Secret.of(seventyTwo), hash)).isTrue();
        assertThat(h.verify(Secret.of(seventyTwo + "anything"), hash)).isTrue();
        assertThat(h.verify(Secret.of(seventyTwo.substring(0, 71)), hash)).isFalse();
        // the 72-byte cut is on UTF-8 bytes: 71 ASCII + 'é' (C3 A9) keeps only C3, like 'è' (C3 A8)
        String e1 = "a".repeat(71) + "é";
        String e2 = "a".repeat(71) + "è";
        assertThat(h.verify(Secret.of(e2), h.hash(Secret.of(e1)))).isTrue();
        assertThat(h.verify(Secret.of("a".repeat(71)), h.hash(Secret.of(e1)))).isFalse();
    }

    @Test
    void pbkdf2HashWithSaltIsDeterministicAndChecksTheSalt() {
        byte[] salt = new byte[8];
        Pbkdf2Hasher h = (Pbkdf2Hasher) Hasher.resolve("pbkdf2_1000");
        assertThat(h.hashWithSalt(Secret.of("pw"), salt)).isEqualTo(h.hashWithSalt(Secret.of("pw"), salt))
                .startsWith("{PBKDF2}1000$AAAAAAAAAAA=$");
        assertThat(h.verify(Secret.of("pw"), h.hashWithSalt(Secret.of("pw"), salt))).isTrue();
        assertThatThrownBy(() -> h.hashWithSalt(Secret.of("pw"), new byte[7]))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("PBKDF2 salt must be at least [8 bytes] long");
        assertThatThrownBy(() -> Hasher.SSHA256.hashWithSalt(Secret.of("pw"), new byte[9]))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(HashMessages.SSHA256_SALT_LENGTH);
        assertThatThrownBy(() -> Hasher.BCRYPT.hashWithSalt(Secret.of("pw"), new byte[15]))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(HashMessages.BCRYPT_SALT_LENGTH);
    }

    @Test
    void stretchIsPbkdf2OverTheLowerCaseHexOfSha512() throws Exception {
        // independent of Pbkdf2Hasher's stretch code path: do the stretch step here and feed plain PBKDF2
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) 7);
        String password = "пароль-\uD83D\uDD11";
        byte[] digest = MessageDigest.getInstance("SHA-512")
                .digest(password.getBytes(StandardCharsets.UTF_8));
        String hex = HexFormat.of().formatHex(digest);
        assertThat(hex).hasSize(128).isLowerCase();
        String plain = ((Pbkdf2Hasher) Hasher.resolve("pbkdf2_1000")).hashWithSalt(Secret.of(hex), salt);
        String stretched = ((Pbkdf2Hasher) Hasher.resolve("pbkdf2_stretch_1000")).hashWithSalt(Secret.of(password), salt);
        assertThat(stretched).isEqualTo("{PBKDF2_STRETCH}" + plain.substring("{PBKDF2}".length()));
    }

    /**
     * Inherent to HMAC (keys shorter than the block are zero-padded), hence identical in Elasticsearch and
     * in every PBKDF2-HMAC implementation: plain PBKDF2 cannot tell trailing NUL characters apart.
     * PBKDF2_STRETCH can (its HMAC key is a hex digest).
     */
    @Test
    void plainPbkdf2IgnoresTrailingNulsButStretchDoesNot() {
        Hasher plain = Hasher.resolve("pbkdf2_1000");
        Hasher stretch = Hasher.resolve("pbkdf2_stretch_1000");
        assertThat(plain.verify(Secret.of("secret\u0000"), plain.hash(Secret.of("secret")))).isTrue();
        assertThat(stretch.verify(Secret.of("secret\u0000"), stretch.hash(Secret.of("secret")))).isFalse();
    }

    @Test
    void wipedSecretsAreRefused() {
        Secret s = Secret.of("pw");
        String hash = Hasher.SSHA256.hash(s);
        s.wipe();
        assertThatThrownBy(() -> Hasher.SSHA256.hash(s)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Hasher.verifyHash(s, hash)).isInstanceOf(IllegalStateException.class);
    }
}
