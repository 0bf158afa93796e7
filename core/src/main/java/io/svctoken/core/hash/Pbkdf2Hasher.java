package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

import java.util.Base64;

/**
 * {@code {PBKDF2}<n>$<b64 salt>$<b64 key>} and {@code {PBKDF2_STRETCH}<n>$<b64 salt>$<b64 key>}
 *: PBKDF2-HMAC-SHA512 ({@link Pbkdf2Sha512}: the bytes of the JCE's {@code PBKDF2WithHmacSHA512} for about three
 * quarters of its CPU) over the password, or for
 * STRETCH over the lower-case hex string of SHA-512(UTF-8(password)). New hashes use a 32-byte random
 * salt and a 256-bit key; verification accepts any salt of at least 8 bytes and any key length that is a
 * positive multiple of 128 bits, the key length being derived from the stored key's Base64 length as
 * {@code floor(len * 3 / 64) * 128} bits, exactly like Elasticsearch.
 *
 * <p>A hasher verifies only hashes with its own prefix and its own iteration count; any other value
 * gives {@code false}.
 *
 * <p>The non-stretch variant hashes the password's UTF-8 bytes (as the JDK's {@code PBEKeySpec} encodes its
 * {@code char[]}, and like Elasticsearch). The stretch variant only ever passes ASCII hex.
 */
public final class Pbkdf2Hasher extends SaltedHasher {

    static final String PREFIX = "{PBKDF2}";
    static final String STRETCH_PREFIX = "{PBKDF2_STRETCH}";
    static final int DEFAULT_ITERATIONS = 10000;
    /** Salt length of new hashes. */
    public static final int SALT_BYTES = 32;
    /** Key length of new hashes. */
    public static final int KEY_BITS = 256;
    /** Shortest salt accepted on verification. */
    public static final int MIN_SALT_BYTES = 8;
    static final int KEY_BITS_GRANULARITY = 128;
    /** svctoken's defensive cap on the key length read from a stored hash (see {@link HashMessages#PBKDF2_KEY_TOO_LONG}). */
    static final int MAX_VERIFY_KEY_BITS = 8192;

    private final int iterations;
    private final boolean stretch;

    Pbkdf2Hasher(String name, int iterations, boolean stretch) {
        super(name, stretch ? STRETCH_PREFIX : PREFIX, SALT_BYTES, MIN_SALT_BYTES, Integer.MAX_VALUE,
                HashMessages.PBKDF2_SALT_TOO_SHORT);
        this.iterations = iterations;
        this.stretch = stretch;
    }

    public int iterations() {
        return iterations;
    }

    public boolean isStretch() {
        return stretch;
    }

    /** A 256-bit key from the given salt (at least {@link #MIN_SALT_BYTES} bytes). */
    @Override
    String format(Secret password, byte[] salt) {
        byte[] key = derive(password, salt, KEY_BITS);
        try {
            return prefix + iterations + '$' + HashSupport.base64(salt) + '$' + HashSupport.base64(key);
        } finally {
            HashSupport.wipe(key);
        }
    }

    @Override
    boolean matches(Secret password, String hash) {
        int sep1 = hash.indexOf('$', prefix.length());
        if (sep1 < 0) {
            return false;
        }
        Integer stored = parseIntOrNull(hash.substring(prefix.length(), sep1));
        if (stored == null || stored != iterations) {
            return false;
        }
        int sep2 = hash.indexOf('$', sep1 + 1);
        if (sep2 < 0) {
            return false;
        }
        String saltB64 = hash.substring(sep1 + 1, sep2);
        String keyB64 = hash.substring(sep2 + 1);

        // Base64 length n -> about n*3/4 bytes, rounded down to whole 16-byte blocks, in bits: n*3/64*128
        long keyBits = (long) keyB64.length() * 3 / 64 * KEY_BITS_GRANULARITY;
        if (keyBits <= 0 || keyBits % KEY_BITS_GRANULARITY != 0) {
            throw new IllegalArgumentException(HashMessages.PBKDF2_KEY_LENGTH_INVALID);
        }
        if (keyBits > MAX_VERIFY_KEY_BITS) {
            throw new IllegalArgumentException(HashMessages.PBKDF2_KEY_TOO_LONG);
        }
        byte[] salt = HashSupport.decodeBase64(saltB64, HashMessages.PBKDF2_SALT_NOT_BASE64);
        if (salt.length < MIN_SALT_BYTES) {
            throw new IllegalArgumentException(HashMessages.PBKDF2_SALT_TOO_SHORT);
        }
        byte[] key = derive(password, salt, (int) keyBits);
        String computed = HashSupport.base64(key);
        HashSupport.wipe(key);
        return HashSupport.constantTimeEquals(computed, keyB64);
    }

    @Override
    boolean isWellFormedBody(String hash) {
        int sep1 = hash.indexOf('$', prefix.length());
        Integer stored = sep1 < 0 ? null : parseIntOrNull(hash.substring(prefix.length(), sep1));
        int sep2 = sep1 < 0 ? -1 : hash.indexOf('$', sep1 + 1);
        if (stored == null || stored != iterations || sep2 < 0) {
            return false;
        }
        String keyB64 = hash.substring(sep2 + 1);
        long keyBits = (long) keyB64.length() * 3 / 64 * KEY_BITS_GRANULARITY;
        if (keyBits <= 0 || keyBits > MAX_VERIFY_KEY_BITS) {
            return false;
        }
        byte[] salt;
        byte[] key;
        try {
            salt = Base64.getDecoder().decode(hash.substring(sep1 + 1, sep2));
            key = Base64.getDecoder().decode(keyB64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // verification compares the Base64 of a derived key of keyBits with the stored text
        return salt.length >= MIN_SALT_BYTES && key.length * 8L == keyBits && HashSupport.base64(key).equals(keyB64);
    }

    /** Iteration count for {@link Hasher#resolveFromHash(String)}: the text between the prefix and the next {@code $}. */
    static int dispatchIterations(String hash, String prefix) {
        int sep = hash.indexOf('$', prefix.length());
        Integer n = sep < 0 ? null : parseIntOrNull(hash.substring(prefix.length(), sep));
        if (n == null) {
            throw new IllegalArgumentException(HashMessages.PBKDF2_ITERATIONS_UNDETERMINED);
        }
        return n;
    }

    /** {@link Integer#parseInt(String)} semantics (as Elasticsearch), {@code null} instead of an exception. */
    private static Integer parseIntOrNull(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private byte[] derive(Secret password, byte[] salt, int keyBits) {
        byte[] input = stretch ? sha512HexBytes(password) : password.utf8Bytes(SecretAccess.plaintext());
        try {
            return Pbkdf2Sha512.derive(input, salt, iterations, keyBits / 8);
        } finally {
            HashSupport.wipe(input);
        }
    }

    /** Lower-case hex (128 ASCII bytes) of SHA-512 over the UTF-8 password; the caller wipes it. */
    private static byte[] sha512HexBytes(Secret password) {
        byte[] digest = HashSupport.digest(password, "SHA-512", null);
        char[] hex = HashSupport.lowerHex(digest);
        try {
            byte[] ascii = new byte[hex.length];
            for (int i = 0; i < hex.length; i++) {
                ascii[i] = (byte) hex[i];
            }
            return ascii;
        } finally {
            HashSupport.wipe(digest);
            HashSupport.wipe(hex);
        }
    }
}
