package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/**
 * {@code {SSHA256}} + Base64(8-byte salt) (12 characters, one {@code =}) + Base64(SHA-256(UTF-8 password ‖ salt))
 *. Verification reads the salt from the first 12 characters after the prefix and compares the rest.
 * Elasticsearch's default cache hasher.
 */
public final class Ssha256Hasher extends SaltedHasher {

    static final String PREFIX = "{SSHA256}";
    /** Salt length in bytes. */
    public static final int SALT_BYTES = 8;
    private static final int SALT_CHARS = 12;
    private static final String DIGEST = "SHA-256";
    /**
     * Each thread's SHA-256: a cached API key or service token is checked with it on every request (an event loop's
     * thread), and {@code MessageDigest.getInstance} searched the providers each time. Reset after every use.
     */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> HashSupport.digest(DIGEST));

    Ssha256Hasher() {
        super("ssha256", PREFIX, SALT_BYTES, SALT_BYTES, SALT_BYTES, HashMessages.SSHA256_SALT_LENGTH);
    }

    @Override
    String format(Secret password, byte[] salt) {
        byte[] digest = sha256(password, salt, 0, salt.length);
        try {
            return PREFIX + HashSupport.base64(salt) + HashSupport.base64(digest);
        } finally {
            HashSupport.wipe(digest);
        }
    }

    @Override
    boolean matches(Secret password, String hash) {
        if (hash.length() < PREFIX.length() + SALT_CHARS) {
            throw new IllegalArgumentException(HashMessages.SSHA256_TOO_SHORT);
        }
        int saltEnd = PREFIX.length() + SALT_CHARS;
        byte[] salt = HashSupport.decodeBase64(hash.substring(PREFIX.length(), saltEnd), HashMessages.SSHA256_SALT_NOT_BASE64);
        byte[] digest = sha256(password, salt, 0, salt.length);
        try {
            return HashSupport.constantTimeEquals(HashSupport.base64(digest), hash.substring(saltEnd));
        } finally {
            HashSupport.wipe(digest);
        }
    }

    @Override
    boolean isWellFormedBody(String hash) {
        if (hash.length() < PREFIX.length() + SALT_CHARS) {
            return false;
        }
        int saltEnd = PREFIX.length() + SALT_CHARS;
        try {
            Base64.getDecoder().decode(hash.substring(PREFIX.length(), saltEnd));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return HashSupport.isCanonicalBase64(hash.substring(saltEnd), 32);
    }

    private static byte[] sha256(Secret password, byte[] salt, int from, int length) {
        return HashSupport.digest(password, SHA256.get(), salt, from, length);
    }

    /** Salt (8 bytes) followed by SHA-256(password ‖ salt) (32 bytes): 40 bytes instead of a 65-character string. */
    @Override
    public byte[] hashCompact(Secret password) {
        byte[] salt = HashSupport.randomBytes(SALT_BYTES);
        byte[] digest = sha256(password, salt, 0, SALT_BYTES);
        byte[] out = new byte[SALT_BYTES + digest.length];
        System.arraycopy(salt, 0, out, 0, SALT_BYTES);
        System.arraycopy(digest, 0, out, SALT_BYTES, digest.length);
        HashSupport.wipe(digest);
        return out;
    }

    @Override
    public boolean verifyCompact(Secret password, byte[] buf, int from, int length) {
        Objects.requireNonNull(password, "password");
        if (buf == null || length != SALT_BYTES + 32 || from < 0 || from + length > buf.length) {
            return false;
        }
        byte[] digest = sha256(password, buf, from, SALT_BYTES);
        try {
            // constant time over the 32 digest bytes, compared in place
            int diff = 0;
            for (int i = 0; i < digest.length; i++) {
                diff |= digest[i] ^ buf[from + SALT_BYTES + i];
            }
            return diff == 0;
        } finally {
            HashSupport.wipe(digest);
        }
    }
}
