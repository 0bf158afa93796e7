package io.svctoken.core.hash;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Bcrypt} gives what BouncyCastle's {@code OpenBSDBCrypt} (which svctoken used before) gives, on random inputs. */
class BcryptProperties {

    @Property(tries = 300)
    void hashesAsBouncyCastleDoes(@ForAll("passwords") byte[] password, @ForAll("salts") byte[] salt, @ForAll("minors") char minor,
                                  @ForAll @IntRange(min = 4, max = 5) int cost) {
        String expected = OpenBSDBCrypt.generate("2" + minor, password, salt, cost);
        assertThat(Bcrypt.hash(minor, password, salt, cost)).isEqualTo(expected);
        assertThat(Bcrypt.check(expected, password)).isTrue();
    }

    @Property(tries = 200)
    void refusesAnotherPasswordAsBouncyCastleDoes(@ForAll("passwords") byte[] password, @ForAll("passwords") byte[] other,
                                                  @ForAll("salts") byte[] salt) {
        String stored = OpenBSDBCrypt.generate("2b", password, salt, 4);
        assertThat(Bcrypt.check(stored, other)).isEqualTo(OpenBSDBCrypt.checkPassword(stored, other));
    }

    @Example
    void theDefaultCostAndLongPasswordsToo() {
        byte[] salt = new byte[16];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (i * 37 + 5);
        }
        for (String pw : new String[]{"", "elastic-password", "x".repeat(71), "y".repeat(72), "z".repeat(100)}) {
            byte[] utf8 = pw.getBytes(StandardCharsets.UTF_8);
            assertThat(Bcrypt.hash('a', utf8, salt, 10)).as(pw).isEqualTo(OpenBSDBCrypt.generate("2a", utf8, salt, 10));
        }
    }

    @Provide
    Arbitrary<byte[]> passwords() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(90);
    }

    @Provide
    Arbitrary<byte[]> salts() {
        return Arbitraries.bytes().array(byte[].class).ofSize(16);
    }

    @Provide
    Arbitrary<Character> minors() {
        return Arbitraries.of('a', 'b', 'y');
    }
}
