package io.svctoken.core.hash;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Pbkdf2Sha512} gives the JDK's {@code PBKDF2WithHmacSHA512} bytes for any password, salt, count and length. */
class Pbkdf2Sha512Properties {

    /** Any characters, lone surrogates included (both sides encode them as UTF-8 with '?' in their place). */
    @Provide
    Arbitrary<char[]> passwords() {
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u04ff')
                .withCharRange('\u4e00', '\u4fff').ofMaxLength(200);
        Arbitrary<String> emoji = Arbitraries.of("\uD83D\uDE00", "\u00e9t\u00e9", "\uD83D\uDD11pass").list().ofMaxSize(50)
                .map(l -> String.join("", l));
        return Arbitraries.oneOf(anyChars, text, emoji, Arbitraries.just("")).map(String::toCharArray);
    }

    @Property(tries = 300)
    void sameBytesAsTheJdk(@ForAll("passwords") char[] password, @ForAll @Size(min = 1, max = 80) byte[] salt,
                           @ForAll @IntRange(min = 1, max = 300) int iterations,
                           @ForAll @IntRange(min = 1, max = 200) int keyBytes) throws Exception {
        assertThat(Pbkdf2Sha512.derive(jdkBytes(password), salt, iterations, keyBytes))
                .isEqualTo(jdk(password, salt, iterations, keyBytes));
    }

    @Example
    void sameBytesAsTheJdkAtTheCountsSvctokenUses() throws Exception {
        char[] hex = HashSupport.lowerHex(new byte[64]); // a PBKDF2_STRETCH input: 128 ASCII characters
        byte[] salt = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int iterations : new int[] {1000, 10000}) {
            for (char[] password : new char[][] {hex, "".toCharArray(), "p\u00e4ssw\u00f6rd\uD83D\uDE00".toCharArray(),
                    "x".repeat(129).toCharArray(), "y".repeat(128).toCharArray()}) {
                assertThat(Pbkdf2Sha512.derive(jdkBytes(password), salt, iterations, 32))
                        .isEqualTo(jdk(password, salt, iterations, 32));
            }
        }
    }

    /** The password bytes the JDK's PBKDF2 hashes: UTF-8, malformed characters replaced (as {@code Secret#utf8Bytes}). */
    private static byte[] jdkBytes(char[] password) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        return Arrays.copyOfRange(bb.array(), bb.position(), bb.limit());
    }

    private static byte[] jdk(char[] password, byte[] salt, int iterations, int keyBytes) throws Exception {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBytes * 8);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    }
}
