package io.svctoken.core.secret;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret value (token secret, password, bearer string). Modelled on Tink's secret types: the
 * characters are only reachable through {@link #reveal(SecretAccess)}, {@link #revealAsString(SecretAccess)}
 * and {@link #utf8Bytes(SecretAccess)}, {@code toString()} is redacted, equality is constant time, and
 * {@link #wipe()} zeroes the copy held here.
 *
 * <p>Who may read. Every read takes the {@link SecretAccess} capability, written out at the call as
 * {@code secret.reveal(SecretAccess.plaintext())}: any code can obtain it (as with Tink's
 * {@code InsecureSecretKeyAccess}), but never silently. The capability is not stored, passed on or
 * wrapped: a class that reads takes it itself at the line that reads, so searching for
 * {@code SecretAccess.plaintext()} finds every place the plaintext leaves a Secret. The reading classes
 * are listed in a test (SecretReadersTest); a new one fails it until it is added there, for review. Only
 * code that must compute with or emit the plaintext reads it: hashers and token encoders, the places that
 * print a newly generated value once, and clients that send it on (a database password, a request body).
 * Comparing needs no capability: use {@link #constantTimeEquals(Secret)}.
 *
 * <p>Not a value object on purpose: {@code equals}/{@code hashCode} are identity-based so a secret
 * never ends up as a map key by accident; compare with {@link #constantTimeEquals(Secret)}.
 */
public final class Secret implements AutoCloseable {

    private final char[] chars;
    private volatile boolean wiped;

    private Secret(char[] chars) {
        this.chars = chars;
    }

    /** Takes a copy of {@code chars}; the caller may wipe its own array afterwards. */
    public static Secret copyOf(char[] chars) {
        return new Secret(chars.clone());
    }

    /** Takes a copy of a range of {@code chars}. */
    public static Secret copyOf(char[] chars, int from, int to) {
        return new Secret(Arrays.copyOfRange(chars, from, to));
    }

    /** For values that already live in a {@code String} (e.g. an HTTP header or a CLI argument). */
    public static Secret of(CharSequence value) {
        char[] c = new char[value.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = value.charAt(i);
        }
        return new Secret(c);
    }

    /** Explicit access: returns a copy the caller owns and should wipe. */
    public char[] reveal(SecretAccess access) {
        check(access);
        return chars.clone();
    }

    /** Explicit access as a String, for the few places that must emit the value (token creation output). */
    public String revealAsString(SecretAccess access) {
        check(access);
        return new String(chars);
    }

    /** UTF-8 bytes of the secret; the caller owns and should wipe the array. */
    public byte[] utf8Bytes(SecretAccess access) {
        check(access);
        return utf8();
    }

    private byte[] utf8() {
        ensureNotWiped();
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = Arrays.copyOfRange(bb.array(), bb.position(), bb.limit());
        Arrays.fill(bb.array(), (byte) 0);
        return out;
    }

    public int length() {
        return chars.length;
    }

    /** Constant-time with respect to the content (the length is not secret). */
    public boolean constantTimeEquals(Secret other) {
        if (other == null) {
            return false;
        }
        byte[] a = utf8();
        byte[] b = other.utf8();
        try {
            return MessageDigest.isEqual(a, b);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(b, (byte) 0);
        }
    }

    /** Constant-time comparison against raw characters. */
    public boolean constantTimeEquals(char[] other) {
        Secret o = new Secret(other.clone());
        try {
            return constantTimeEquals(o);
        } finally {
            o.wipe();
        }
    }

    /** Zeroes the characters; any later access fails. */
    public void wipe() {
        Arrays.fill(chars, '\0');
        wiped = true;
    }

    public boolean isWiped() {
        return wiped;
    }

    @Override
    public void close() {
        wipe();
    }

    private void check(SecretAccess access) {
        if (access == null) {
            throw new NullPointerException("reading a secret takes SecretAccess.plaintext()");
        }
        ensureNotWiped();
    }

    private void ensureNotWiped() {
        if (wiped) {
            throw new IllegalStateException("secret has been wiped");
        }
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
