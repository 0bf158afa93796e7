package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

/**
 * bcrypt in the OpenBSD string format, computed by {@link Bcrypt}:
 * {@code $2a$NN$} + 22 bcrypt-Base64 salt characters + 31 bcrypt-Base64 hash characters (60 in all).
 *
 * <p>New hashes are always {@code $2a$} with this hasher's cost and a 16-byte random salt, like
 * Elasticsearch. Verification accepts minor versions {@code a}, {@code b} and {@code y}, re-computes with
 * the <em>stored</em> minor, cost and salt (so any bcrypt hasher verifies a hash of any cost, as in
 * Elasticsearch) and compares the whole 60-character string in constant time. {@code 2a}, {@code 2b} and
 * {@code 2y} are the same algorithm here (UTF-8 password plus a trailing NUL, only the first 72 bytes
 * count); the stored minor is written back unchanged in the re-computed string.
 */
public final class BcryptHasher extends SaltedHasher {

    static final int DEFAULT_COST = 10;
    /** Costs with a {@code bcrypt<N>} identifier (and therefore reachable by {@link Hasher#resolveFromHash(String)}). */
    static final int MIN_RESOLVABLE_COST = 4;
    static final int MAX_RESOLVABLE_COST = 14;
    /** What the primitive accepts on verification (Elasticsearch's jBCrypt fork: 4..30). */
    static final int MIN_COST = 4;
    static final int MAX_COST = 30;
    /** Length of the canonical string. */
    public static final int HASH_LENGTH = 60;
    /** Salt length in bytes. */
    public static final int SALT_BYTES = 16;
    private static final String EMITTED_VERSION = "2a";
    private static final int SALT_START = 7;
    private static final int SALT_CHARS = 22;
    /** bcrypt's Base64 alphabet, in value order. */
    private static final String BASE64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final int cost;

    BcryptHasher(String name, int cost) {
        super(name, "$" + EMITTED_VERSION + "$", SALT_BYTES, SALT_BYTES, SALT_BYTES, HashMessages.BCRYPT_SALT_LENGTH);
        this.cost = cost;
    }

    public int cost() {
        return cost;
    }

    /** {@code $2a$}, this hasher's cost, the 16-byte salt. */
    @Override
    String format(Secret password, byte[] salt) {
        byte[] utf8 = password.utf8Bytes(SecretAccess.plaintext());
        try {
            return Bcrypt.hash(EMITTED_VERSION.charAt(1), utf8, salt, cost);
        } finally {
            HashSupport.wipe(utf8);
        }
    }

    /** Any of the three minor versions, in the 60-character layout. */
    @Override
    boolean recognises(String hash) {
        return hasBcryptPrefix(hash) && hash.length() == HASH_LENGTH;
    }

    @Override
    boolean matches(Secret password, String hash) {
        if (!checkLayout(hash)) {
            return false;
        }
        byte[] utf8 = password.utf8Bytes(SecretAccess.plaintext());
        try {
            return Bcrypt.check(hash, utf8);
        } finally {
            HashSupport.wipe(utf8);
        }
    }

    @Override
    boolean isWellFormedBody(String hash) {
        try {
            if (!checkLayout(hash)) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        // 22 characters carry the 16-byte salt and 31 the 23-byte hash; the bits left over in their last
        // characters are zero in everything bcrypt writes, and verification compares the re-encoded text
        return (BASE64.indexOf(hash.charAt(SALT_START + SALT_CHARS - 1)) & 0x0f) == 0
                && (BASE64.indexOf(hash.charAt(HASH_LENGTH - 1)) & 0x03) == 0;
    }

    /** {@code $2a$}, {@code $2b$} or {@code $2y$} at the start (Elasticsearch's test, no length requirement beyond 4). */
    static boolean hasBcryptPrefix(String hash) {
        if (hash.length() < 4 || hash.charAt(0) != '$' || hash.charAt(1) != '2' || hash.charAt(3) != '$') {
            return false;
        }
        char minor = hash.charAt(2);
        return minor == 'a' || minor == 'b' || minor == 'y';
    }

    /**
     * Cost as Elasticsearch's dispatch from a stored hash reads it: {@link Integer#parseInt(String)} of characters
     * {@code [4, length - 54)}, i.e. assuming the canonical 60-character layout.
     */
    static int dispatchCost(String hash) {
        int end = hash.length() - 54;
        if (end <= 4) {
            throw new IllegalArgumentException(HashMessages.BCRYPT_COST_UNDETERMINED);
        }
        try {
            return Integer.parseInt(hash.substring(4, end));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HashMessages.BCRYPT_COST_UNDETERMINED);
        }
    }

    /**
     * Validates a 60-character value with a bcrypt prefix: throws {@link IllegalArgumentException} if the
     * cost or salt is broken, returns {@code false} if only the 31 hash characters contain something outside
     * the bcrypt alphabet (such a value can never match).
     */
    private static boolean checkLayout(String hash) {
        char c1 = hash.charAt(4);
        char c2 = hash.charAt(5);
        if (c1 < '0' || c1 > '9' || c2 < '0' || c2 > '9' || hash.charAt(6) != '$') {
            throw new IllegalArgumentException(HashMessages.BCRYPT_MALFORMED);
        }
        int storedCost = (c1 - '0') * 10 + (c2 - '0');
        if (storedCost < MIN_COST || storedCost > MAX_COST) {
            throw new IllegalArgumentException(HashMessages.BCRYPT_COST_OUT_OF_RANGE);
        }
        for (int i = SALT_START; i < SALT_START + SALT_CHARS; i++) {
            if (!isBcryptBase64(hash.charAt(i))) {
                throw new IllegalArgumentException(HashMessages.BCRYPT_MALFORMED);
            }
        }
        for (int i = SALT_START + SALT_CHARS; i < HASH_LENGTH; i++) {
            if (!isBcryptBase64(hash.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBcryptBase64(char c) {
        return c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
