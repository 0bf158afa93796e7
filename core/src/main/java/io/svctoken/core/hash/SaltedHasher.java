package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;

import java.util.Objects;

/**
 * A hasher whose values carry a random salt: a new hash takes a fresh salt of this algorithm's size, and
 * {@link #hashWithSalt(Secret, byte[])} computes the same with a given one (for tests and for reproducing
 * Elasticsearch's vectors).
 */
public abstract sealed class SaltedHasher extends Hasher permits BcryptHasher, Pbkdf2Hasher, Ssha256Hasher {

    private final int newSaltBytes;
    private final int minSaltBytes;
    private final int maxSaltBytes;
    private final String saltLengthMessage;

    SaltedHasher(String name, String prefix, int newSaltBytes, int minSaltBytes, int maxSaltBytes, String saltLengthMessage) {
        super(name, prefix);
        this.newSaltBytes = newSaltBytes;
        this.minSaltBytes = minSaltBytes;
        this.maxSaltBytes = maxSaltBytes;
        this.saltLengthMessage = saltLengthMessage;
    }

    @Override
    public final String hash(Secret password) {
        return hashWithSalt(password, HashSupport.randomBytes(newSaltBytes));
    }

    /**
     * Deterministic variant of {@link #hash(Secret)}: this hasher's parameters and the given salt.
     *
     * @throws IllegalArgumentException if the salt's length is one this algorithm does not take
     */
    public final String hashWithSalt(Secret password, byte[] salt) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (salt.length < minSaltBytes || salt.length > maxSaltBytes) {
            throw new IllegalArgumentException(saltLengthMessage);
        }
        return format(password, salt);
    }

    /** The hash text of {@code password} with {@code salt} (of a length this algorithm takes). */
    abstract String format(Secret password, byte[] salt);
}
