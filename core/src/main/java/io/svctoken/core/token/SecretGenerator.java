package io.svctoken.core.token;

import io.svctoken.core.secret.Secret;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** Token secrets as Elasticsearch makes them: a random version-4 UUID, URL-safe Base64, no padding (22 chars). */
public final class SecretGenerator {

    public static final int SECRET_LENGTH = 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretGenerator() {
    }

    public static Secret newSecret() {
        return newSecret(RANDOM);
    }

    static Secret newSecret(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant (10xx)
        byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(bytes);
        char[] chars = new char[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            chars[i] = (char) encoded[i];
        }
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(encoded, (byte) 0);
        Secret s = Secret.copyOf(chars);
        Arrays.fill(chars, '\0');
        return s;
    }
}
