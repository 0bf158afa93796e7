package io.svctoken.core.token;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * K-ordered 15-byte ids rendered as 20 URL-safe Base64 characters, for auto-generated token names
 * ({@code token_} + id). Layout: 6 bytes of epoch millis (never going backwards),
 * 3 bytes of a sequence, 6 bytes of a per-process random node id. Unique within a process and,
 * through the node id, across processes with overwhelming probability.
 */
public final class TimeBasedIds {

    public static final String AUTO_TOKEN_NAME_PREFIX = "token_";
    private static final byte[] NODE = new byte[6];
    private static final AtomicInteger SEQUENCE;
    private static final AtomicLong LAST_TIMESTAMP = new AtomicLong();

    static {
        SecureRandom r = new SecureRandom();
        r.nextBytes(NODE);
        SEQUENCE = new AtomicInteger(r.nextInt());
    }

    private TimeBasedIds() {
    }

    public static String newId() {
        int seq = SEQUENCE.incrementAndGet() & 0xffffff;
        long now = System.currentTimeMillis();
        // Monotonic: a clock step backwards never reorders ids; a wrapped sequence bumps the time.
        long ts = LAST_TIMESTAMP.updateAndGet(last -> Math.max(last + (seq == 0 ? 1 : 0), now));
        byte[] b = new byte[15];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (ts >>> (8 * (5 - i)));
        }
        b[6] = (byte) (seq >>> 16);
        b[7] = (byte) (seq >>> 8);
        b[8] = (byte) seq;
        System.arraycopy(NODE, 0, b, 9, 6);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String newTokenName() {
        return AUTO_TOKEN_NAME_PREFIX + newId();
    }
}
