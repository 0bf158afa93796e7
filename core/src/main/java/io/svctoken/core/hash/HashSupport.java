package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** Package-private helpers: randomness, digests (of a password too), encodings, constant-time comparison, wiping. */
final class HashSupport {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HashSupport() {
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // every Java SE runtime must provide MD5, SHA-1, SHA-256 and SHA-512
            throw new IllegalStateException("message digest [" + algorithm + "] is not available", e);
        }
    }

    /**
     * {@code algorithm} over the UTF-8 password followed by {@code salt} (none if {@code null}): the
     * password's only copy made here is wiped; the caller wipes the digest.
     */
    static byte[] digest(Secret password, String algorithm, byte[] salt) {
        byte[] utf8 = password.utf8Bytes(SecretAccess.plaintext());
        try {
            MessageDigest md = digest(algorithm);
            md.update(utf8);
            if (salt != null) {
                md.update(salt);
            }
            return md.digest();
        } finally {
            wipe(utf8);
        }
    }

    /**
     * As {@link #digest(Secret, String, byte[])} with a digest the caller keeps (one per thread: a look-up among the
     * security providers costs more than SHA-256 of a short secret), and the salt at {@code salt[from, from + length)};
     * the digest is reset after use, a failed one too, so nothing of this secret is left in it for the next.
     */
    static byte[] digest(Secret password, MessageDigest md, byte[] salt, int from, int length) {
        byte[] utf8 = password.utf8Bytes(SecretAccess.plaintext());
        try {
            md.update(utf8);
            md.update(salt, from, length);
            return md.digest();
        } finally {
            md.reset();
            wipe(utf8);
        }
    }

    /** Base64 of {@link #digest(Secret, String, byte[])}. */
    static String digestBase64(Secret password, String algorithm, byte[] salt) {
        byte[] digest = digest(password, algorithm, salt);
        try {
            return base64(digest);
        } finally {
            wipe(digest);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Standard Base64 decoding with the JDK's basic decoder (the same leniency as Elasticsearch:
     * trailing padding optional). Throws {@link IllegalArgumentException} with {@code message} and
     * without the input in it.
     */
    static byte[] decodeBase64(String value, String message) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Whether {@code value} is exactly the standard Base64 (with padding) of {@code bytes} bytes. */
    static boolean isCanonicalBase64(String value, int bytes) {
        try {
            byte[] decoded = Base64.getDecoder().decode(value);
            return decoded.length == bytes && base64(decoded).equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Lower-case hex of {@code bytes} as a char array the caller should wipe. */
    static char[] lowerHex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0x0f];
            out[2 * i + 1] = HEX[bytes[i] & 0x0f];
        }
        return out;
    }

    /**
     * Compares two character sequences in time that depends on their lengths only (the lengths of
     * hashes and of stored values are not secret).
     */
    static boolean constantTimeEquals(CharSequence a, CharSequence b) {
        if (a.length() != b.length()) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length(); i++) {
            diff |= a.charAt(i) ^ b.charAt(i);
        }
        return diff == 0;
    }

    static void wipe(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }

    static String requireHash(String hash) {
        if (hash == null) {
            throw new IllegalArgumentException(HashMessages.HASH_NULL);
        }
        return hash;
    }
}
