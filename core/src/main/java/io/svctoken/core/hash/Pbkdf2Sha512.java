package io.svctoken.core.hash;

import java.math.BigInteger;

/**
 * PBKDF2-HMAC-SHA512 (RFC 8018, section 5.2), the same bytes as the JDK's {@code PBKDF2WithHmacSHA512} for about
 * three quarters of its CPU. HMAC hashes the key's ipad block before the message and the opad block before the inner digest; the JDK's
 * HMAC compresses both pad blocks again in every iteration (4 SHA-512 compressions per iteration) and moves every
 * 64-byte intermediate through {@code MessageDigest}'s buffering, padding, resets and byte conversions. Here the
 * states after the two pad blocks are computed once per derivation, and an iteration is exactly 2 compressions of a
 * fixed-layout block (the previous 64 bytes as 8 words, then SHA-512's padding for a 192-byte message), kept as
 * {@code long}s throughout. SHA-512 itself (FIPS 180-4) is written out below, so it runs without the JVM's SHA-512
 * intrinsic, which makes each of its compressions slower than the JDK's: half the compressions win about a quarter
 * of the CPU, not half. A {@code MessageDigest} cannot be restored to a saved state without {@code clone()}, whose
 * allocation and resets cost as much as the two compressions it saves (measured: cloning primed digests was no
 * faster than the JDK).
 *
 * <p>The caller passes the password as the bytes the JDK would hash (UTF-8 of its characters) and wipes them; the
 * working state made here is wiped before returning.
 */
final class Pbkdf2Sha512 {

    private static final int BLOCK_BYTES = 128;
    private static final int DIGEST_BYTES = 64;
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;
    /** The length in bits of an iteration's HMAC messages: a 128-byte pad block and a 64-byte digest. */
    private static final long ITERATION_MESSAGE_BITS = (BLOCK_BYTES + DIGEST_BYTES) * 8L;

    /** SHA-512's initial state: the first 64 bits of the fractional parts of the square roots of the first 8 primes. */
    private static final long[] IV = new long[8];
    /** SHA-512's round constants: the same of the cube roots of the first 80 primes. */
    private static final long[] K = new long[80];

    static {
        int found = 0;
        for (int n = 2; found < K.length; n++) {
            if (!isPrime(n)) {
                continue;
            }
            BigInteger p = BigInteger.valueOf(n);
            if (found < IV.length) {
                IV[found] = p.shiftLeft(128).sqrt().longValue(); // floor(sqrt(p) * 2^64), its low 64 bits
            }
            K[found++] = cubeRoot(p.shiftLeft(192)).longValue();
        }
    }

    private Pbkdf2Sha512() {
    }

    /** {@code keyBytes} bytes of PBKDF2-HMAC-SHA512; {@code iterations} and {@code keyBytes} positive. */
    static byte[] derive(byte[] password, byte[] salt, int iterations, int keyBytes) {
        if (iterations <= 0 || keyBytes <= 0) {
            throw new IllegalArgumentException("iterations and key length must be positive");
        }
        // HMAC: a key longer than the block is replaced by its digest
        byte[] key = password.length > BLOCK_BYTES ? toBytes(sha512(IV, 0, password)) : password;
        byte[] pad = new byte[BLOCK_BYTES];
        long[] w = new long[80];
        long[] innerState = new long[8];
        long[] outerState = new long[8];
        long[] u = new long[8];
        long[] t = new long[8];
        byte[] out = new byte[keyBytes];
        try {
            for (int i = 0; i < BLOCK_BYTES; i++) {
                pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ IPAD);
            }
            loadBlock(pad, 0, w);
            compress(IV, w, innerState);
            for (int i = 0; i < BLOCK_BYTES; i++) {
                pad[i] ^= IPAD ^ OPAD;
            }
            loadBlock(pad, 0, w);
            compress(IV, w, outerState);

            byte[] first = new byte[salt.length + 4];
            System.arraycopy(salt, 0, first, 0, salt.length);
            for (int block = 1, offset = 0; offset < keyBytes; block++, offset += DIGEST_BYTES) {
                first[salt.length] = (byte) (block >>> 24);
                first[salt.length + 1] = (byte) (block >>> 16);
                first[salt.length + 2] = (byte) (block >>> 8);
                first[salt.length + 3] = (byte) block;
                // U1 = HMAC(P, S || INT(block)): the inner message has any length, the outer one is a digest
                long[] inner = sha512(innerState, BLOCK_BYTES, first);
                hmacOuter(outerState, inner, w, u);
                System.arraycopy(u, 0, t, 0, 8);
                for (int n = 1; n < iterations; n++) {
                    hmacOuter(innerState, u, w, u); // the inner hash of U(n-1): the same block layout as the outer one
                    hmacOuter(outerState, u, w, u);
                    for (int i = 0; i < 8; i++) {
                        t[i] ^= u[i];
                    }
                }
                byte[] tb = toBytes(t);
                System.arraycopy(tb, 0, out, offset, Math.min(DIGEST_BYTES, keyBytes - offset));
                HashSupport.wipe(tb);
            }
            HashSupport.wipe(first);
            return out;
        } finally {
            HashSupport.wipe(pad);
            java.util.Arrays.fill(w, 0);
            java.util.Arrays.fill(innerState, 0);
            java.util.Arrays.fill(outerState, 0);
            java.util.Arrays.fill(u, 0);
            java.util.Arrays.fill(t, 0);
            if (key != password) {
                HashSupport.wipe(key);
            }
        }
    }

    /**
     * {@code result} = the SHA-512 of a 192-byte message whose first 128 bytes left {@code state}, the last 64 being
     * {@code digest}: one compression of {@code digest}'s 8 words and the padding ({@code result} may be {@code digest}).
     */
    private static void hmacOuter(long[] state, long[] digest, long[] w, long[] result) {
        System.arraycopy(digest, 0, w, 0, 8);
        w[8] = 0x8000000000000000L;
        for (int i = 9; i < 15; i++) {
            w[i] = 0;
        }
        w[15] = ITERATION_MESSAGE_BITS;
        compress(state, w, result);
    }

    /** SHA-512 of {@code message}, continuing from {@code state} after {@code prefixBytes} (a whole number of blocks). */
    private static long[] sha512(long[] state, int prefixBytes, byte[] message) {
        int padded = (message.length + 17 + BLOCK_BYTES - 1) / BLOCK_BYTES * BLOCK_BYTES;
        byte[] buffer = new byte[padded];
        System.arraycopy(message, 0, buffer, 0, message.length);
        buffer[message.length] = (byte) 0x80;
        long bits = (prefixBytes + (long) message.length) * 8;
        for (int i = 0; i < 8; i++) {
            buffer[padded - 1 - i] = (byte) (bits >>> (8 * i)); // the 128-bit length's high 64 bits stay 0
        }
        long[] h = state.clone();
        long[] w = new long[80];
        for (int offset = 0; offset < padded; offset += BLOCK_BYTES) {
            loadBlock(buffer, offset, w);
            compress(h, w, h);
        }
        HashSupport.wipe(buffer);
        java.util.Arrays.fill(w, 0);
        return h;
    }

    private static void loadBlock(byte[] bytes, int offset, long[] w) {
        for (int i = 0; i < 16; i++) {
            long v = 0;
            for (int j = 0; j < 8; j++) {
                v = (v << 8) | (bytes[offset + 8 * i + j] & 0xff);
            }
            w[i] = v;
        }
    }

    private static byte[] toBytes(long[] words) {
        byte[] out = new byte[words.length * 8];
        for (int i = 0; i < words.length; i++) {
            for (int j = 0; j < 8; j++) {
                out[8 * i + j] = (byte) (words[i] >>> (56 - 8 * j));
            }
        }
        return out;
    }

    /** One SHA-512 compression: {@code out} = {@code state} + rounds over the block in {@code w[0..15]} ({@code out} may be {@code state}). */
    private static void compress(long[] state, long[] w, long[] out) {
        for (int i = 16; i < 80; i++) {
            long x = w[i - 15];
            long y = w[i - 2];
            long s0 = Long.rotateRight(x, 1) ^ Long.rotateRight(x, 8) ^ (x >>> 7);
            long s1 = Long.rotateRight(y, 19) ^ Long.rotateRight(y, 61) ^ (y >>> 6);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        long a = state[0];
        long b = state[1];
        long c = state[2];
        long d = state[3];
        long e = state[4];
        long f = state[5];
        long g = state[6];
        long h = state[7];
        // eight rounds per pass, the variables' roles rotating instead of their values (FIPS 180-4, 6.4.2)
        for (int i = 0; i < 80; i += 8) {
            h += sum1(e) + (g ^ (e & (f ^ g))) + K[i] + w[i];
            d += h;
            h += sum0(a) + ((a & b) | (c & (a | b)));
            g += sum1(d) + (f ^ (d & (e ^ f))) + K[i + 1] + w[i + 1];
            c += g;
            g += sum0(h) + ((h & a) | (b & (h | a)));
            f += sum1(c) + (e ^ (c & (d ^ e))) + K[i + 2] + w[i + 2];
            b += f;
            f += sum0(g) + ((g & h) | (a & (g | h)));
            e += sum1(b) + (d ^ (b & (c ^ d))) + K[i + 3] + w[i + 3];
            a += e;
            e += sum0(f) + ((f & g) | (h & (f | g)));
            d += sum1(a) + (c ^ (a & (b ^ c))) + K[i + 4] + w[i + 4];
            h += d;
            d += sum0(e) + ((e & f) | (g & (e | f)));
            c += sum1(h) + (b ^ (h & (a ^ b))) + K[i + 5] + w[i + 5];
            g += c;
            c += sum0(d) + ((d & e) | (f & (d | e)));
            b += sum1(g) + (a ^ (g & (h ^ a))) + K[i + 6] + w[i + 6];
            f += b;
            b += sum0(c) + ((c & d) | (e & (c | d)));
            a += sum1(f) + (h ^ (f & (g ^ h))) + K[i + 7] + w[i + 7];
            e += a;
            a += sum0(b) + ((b & c) | (d & (b | c)));
        }
        out[0] = state[0] + a;
        out[1] = state[1] + b;
        out[2] = state[2] + c;
        out[3] = state[3] + d;
        out[4] = state[4] + e;
        out[5] = state[5] + f;
        out[6] = state[6] + g;
        out[7] = state[7] + h;
    }

    private static long sum0(long a) {
        return Long.rotateRight(a, 28) ^ Long.rotateRight(a, 34) ^ Long.rotateRight(a, 39);
    }

    private static long sum1(long e) {
        return Long.rotateRight(e, 14) ^ Long.rotateRight(e, 18) ^ Long.rotateRight(e, 41);
    }

    private static boolean isPrime(int n) {
        for (int d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** floor(cbrt(n)) by Newton's method from above. */
    private static BigInteger cubeRoot(BigInteger n) {
        BigInteger three = BigInteger.valueOf(3);
        BigInteger x = BigInteger.ONE.shiftLeft(n.bitLength() / 3 + 1);
        while (true) {
            BigInteger next = x.shiftLeft(1).add(n.divide(x.multiply(x))).divide(three);
            if (next.compareTo(x) >= 0) {
                return x;
            }
            x = next;
        }
    }
}
