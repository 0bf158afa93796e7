package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;

import java.util.Objects;

/**
 * Unsalted legacy digests: {@code {SHA}} + Base64(SHA-1(UTF-8 password)) (htpasswd-compatible)
 * and {@code {MD5}} + Base64(MD5(UTF-8 password)). Only for reading old stored values and for caches.
 */
public final class DigestHasher extends Hasher {

    private final String algorithm;

    DigestHasher(String name, String prefix, String algorithm) {
        super(name, prefix);
        this.algorithm = algorithm;
    }

    /** {@code {SHA}} or {@code {MD5}}. */
    public String prefix() {
        return prefix;
    }

    @Override
    public String hash(Secret password) {
        Objects.requireNonNull(password, "password");
        return prefix + HashSupport.digestBase64(password, algorithm, null);
    }

    @Override
    boolean matches(Secret password, String hash) {
        return HashSupport.constantTimeEquals(HashSupport.digestBase64(password, algorithm, null), hash.substring(prefix.length()));
    }

    @Override
    boolean isWellFormedBody(String hash) {
        return HashSupport.isCanonicalBase64(hash.substring(prefix.length()), HashSupport.digest(algorithm).getDigestLength());
    }
}
