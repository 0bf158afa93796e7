package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

import java.util.Objects;

/**
 * Unsalted legacy digests (spec §5.2): {@code {SHA}} + Base64(SHA-1(UTF-8 password)) (htpasswd-compatible)
 * and {@code {MD5}} + Base64(MD5(UTF-8 password)). Only for reading old stored values and for caches.
 */
public final class DigestHasher extends Hasher {

    private final String prefix;
    private final String algorithm;

    DigestHasher(String name, String prefix, String algorithm) {
        super(name);
        this.prefix = prefix;
        this.algorithm = algorithm;
    }

    /** {@code {SHA}} or {@code {MD5}}. */
    public String prefix() {
        return prefix;
    }

    @Override
    public String hash(Secret password) {
        return prefix + digestBase64(password);
    }

    @Override
    public boolean verify(Secret password, String hash) {
        Objects.requireNonNull(password, "password");
        HashSupport.requireHash(hash);
        if (!hash.startsWith(prefix)) {
            return false;
        }
        return HashSupport.constantTimeEquals(digestBase64(password), hash.substring(prefix.length()));
    }

    @Override
    public boolean isWellFormed(String hash) {
        return hash != null && hash.startsWith(prefix) && HashSupport.isCanonicalBase64(hash.substring(prefix.length()),
                HashSupport.digest(algorithm).getDigestLength());
    }

    private String digestBase64(Secret password) {
        Objects.requireNonNull(password, "password");
        byte[] utf8 = password.utf8Bytes(SecretAccess.plaintext());
        byte[] digest = null;
        try {
            digest = HashSupport.digest(algorithm).digest(utf8);
            return HashSupport.base64(digest);
        } finally {
            HashSupport.wipe(utf8);
            HashSupport.wipe(digest);
        }
    }
}
