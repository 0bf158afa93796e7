package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@link Hasher#isWellFormed}: true for everything a hasher writes, and a value it accepts can be
 * verified without an exception; a value it refuses never verifies its password.
 */
class HasherWellFormedProperties {

    @Provide
    Arbitrary<Hasher> hashers() {
        return Arbitraries.of(Hasher.resolve("bcrypt4"), Hasher.resolve("bcrypt5"), Hasher.resolve("pbkdf2_1000"),
                Hasher.resolve("pbkdf2_stretch_1000"), Hasher.SSHA256, Hasher.SHA1, Hasher.MD5, Hasher.NOOP);
    }

    @Property(tries = 200)
    void everyHashWrittenIsWellFormed(@ForAll("hashers") Hasher hasher, @ForAll @StringLength(max = 40) String password) {
        String hash = hasher.hash(Secret.of(password));
        assertThat(hasher.isWellFormed(hash)).as(hash).isTrue();
        assertThat(Hasher.resolveFromHash(hash).isWellFormed(hash)).as(hash).isTrue();
    }

    /** One character replaced: a value still called well formed verifies without an exception; any other never matches. */
    @Property(tries = 400)
    void anEditedHashIsEitherWellFormedOrNeverMatches(@ForAll("hashers") Hasher hasher, @ForAll @IntRange(max = 200) int at,
                                                       @ForAll("replacements") char c) {
        Secret password = Secret.of("edit-pass");
        String hash = hasher.hash(password);
        int i = at % hash.length();
        String edited = hash.substring(0, i) + c + hash.substring(i + 1);
        if (edited.equals(hash) || hasher == Hasher.NOOP) {
            return;
        }
        if (hasher.isWellFormed(edited)) {
            assertThatCode(() -> hasher.verify(password, edited)).as(edited).doesNotThrowAnyException();
        } else {
            boolean matched;
            try {
                matched = hasher.verify(password, edited);
            } catch (IllegalArgumentException e) {
                matched = false;
            }
            assertThat(matched).as("a refused value verified its password: %s", edited).isFalse();
        }
    }

    @Provide
    Arbitrary<Character> replacements() {
        return Arbitraries.of('.', '/', '+', '=', '$', 'A', 'B', 'C', 'a', 'e', 'z', '0', '1', '9', '!', '{');
    }

    @Property(tries = 50)
    void bcryptBitsBeyondTheSaltAndHashMustBeZero(@ForAll @StringLength(min = 1, max = 20) String password) {
        Secret secret = Secret.of(password);
        String hash = Hasher.resolve("bcrypt4").hash(secret);
        String alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        // the last salt or hash character with a low bit set, which bcrypt never writes: never a match, and refused
        char saltLast = alphabet.charAt(alphabet.indexOf(hash.charAt(28)) | 0x01);
        char hashLast = alphabet.charAt(alphabet.indexOf(hash.charAt(59)) | 0x01);
        String badSalt = hash.substring(0, 28) + saltLast + hash.substring(29);
        String badHash = hash.substring(0, 59) + hashLast;
        assertThat(Hasher.BCRYPT.verify(secret, badSalt)).isFalse();
        assertThat(Hasher.BCRYPT.verify(secret, badHash)).isFalse();
        assertThat(Hasher.BCRYPT.isWellFormed(badSalt)).isFalse();
        assertThat(Hasher.BCRYPT.isWellFormed(badHash)).isFalse();
        assertThat(Hasher.BCRYPT.verify(secret, hash)).isTrue();
    }
}
