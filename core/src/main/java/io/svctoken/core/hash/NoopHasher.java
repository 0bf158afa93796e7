package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

import java.nio.CharBuffer;
import java.util.Objects;

/**
 * Plaintext (identifiers {@code noop} and {@code clear_text}): the "hash" is the password itself and
 * verification is a constant-time comparison of the characters. Also what {@link Hasher#resolveFromHash(String)}
 * falls back to for a value without a known prefix (rule 7).
 */
public final class NoopHasher extends Hasher {

    NoopHasher() {
        super("noop", "");
    }

    @Override
    public String hash(Secret password) {
        Objects.requireNonNull(password, "password");
        return password.revealAsString(SecretAccess.plaintext());
    }

    /** Any text: the "hash" is the password itself. */
    @Override
    boolean isWellFormedBody(String hash) {
        return true;
    }

    @Override
    boolean matches(Secret password, String hash) {
        char[] chars = password.reveal(SecretAccess.plaintext());
        try {
            return HashSupport.constantTimeEquals(CharBuffer.wrap(chars), hash);
        } finally {
            HashSupport.wipe(chars);
        }
    }
}
