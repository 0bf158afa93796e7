package io.svctoken.core.user;

import io.svctoken.core.secret.Secret;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Random passwords and user names as Elasticsearch's {@code CommandUtils} makes them (facts from
 * {@code x-pack/plugin/security/.../tool/CommandUtils.java}): passwords from
 * {@value #PASSWORD_CHARS} (the alphabet the server uses for the generated {@code elastic} password),
 * user-name suffixes from letters and digits. Every character is drawn independently from a
 * {@link SecureRandom}.
 */
public final class PasswordGenerator {

    public static final String PASSWORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_=+";
    public static final String USERNAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordGenerator() {
    }

    /** A password of {@code length} characters; the caller wipes it. */
    public static Secret password(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = PASSWORD_CHARS.charAt(RANDOM.nextInt(PASSWORD_CHARS.length()));
        }
        Secret s = Secret.copyOf(c);
        Arrays.fill(c, '\0');
        return s;
    }

    /** {@code prefix} followed by {@code length} random letters and digits. */
    public static String username(String prefix, int length) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            sb.append(USERNAME_CHARS.charAt(RANDOM.nextInt(USERNAME_CHARS.length())));
        }
        return sb.toString();
    }
}
