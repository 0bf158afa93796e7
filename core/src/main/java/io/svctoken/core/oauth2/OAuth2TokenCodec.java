package io.svctoken.core.oauth2;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The wire form of OAuth2 access and refresh tokens, as Elasticsearch's: standard Base64 (with padding, no prefix) of a
 * version number (variable-length int) and a length-prefixed array of 24 random bytes, about 40 characters. Only the
 * SHA-256 hash of the 24 bytes is stored: they are random (192 bits), so a plain hash is enough and costs microseconds.
 */
public final class OAuth2TokenCodec {

    /** Random bytes per token. */
    public static final int RAW_LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OAuth2TokenCodec() {
    }

    public static byte[] newRaw() {
        byte[] raw = new byte[RAW_LENGTH];
        RANDOM.nextBytes(raw);
        return raw;
    }

    /** The token a client is given for {@code raw}, made with version {@code version}. */
    public static Secret encode(int version, byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(5 + 1 + raw.length);
        writeVInt(out, version);
        writeVInt(out, raw.length);
        out.writeBytes(raw);
        byte[] bytes = out.toByteArray();
        try {
            return Secret.of(Base64.getEncoder().encodeToString(bytes));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The 24 bytes of a token, or empty when {@code token} is not one in this form. */
    public static Optional<byte[]> decode(Secret token) {
        byte[] ascii = token.utf8Bytes(SecretAccess.plaintext());
        try {
            return decode(ascii);
        } finally {
            Arrays.fill(ascii, (byte) 0);
        }
    }

    /** As {@link #decode(Secret)}, for the value of a {@code Bearer} header already read. */
    public static Optional<byte[]> decode(String token) {
        return decode(token.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<byte[]> decode(byte[] ascii) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(ascii);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            int[] pos = {0};
            if (readVInt(bytes, pos) < 0 || readVInt(bytes, pos) != RAW_LENGTH || bytes.length - pos[0] != RAW_LENGTH) {
                return Optional.empty();
            }
            return Optional.of(Arrays.copyOfRange(bytes, pos[0], bytes.length));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** What is stored for a token: URL-safe Base64 (no padding) of SHA-256 of its bytes. */
    public static String hash(byte[] raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(raw));
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void writeVInt(ByteArrayOutputStream out, int i) {
        while ((i & ~0x7F) != 0) {
            out.write((i & 0x7F) | 0x80);
            i >>>= 7;
        }
        out.write(i);
    }

    /** -1 when the bytes end early or the number is longer than five bytes. */
    private static int readVInt(byte[] b, int[] pos) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (pos[0] >= b.length) {
                return -1;
            }
            int x = b[pos[0]++] & 0xFF;
            value |= (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
        return -1;
    }
}
