package io.svctoken.bench;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The raw JVM rate of the PBKDF2 work behind one {@code {PBKDF2_STRETCH}} verification: the JDK's
 * {@code PBKDF2WithHmacSHA512}, 10000 iterations, 256-bit key, 32-byte salt, over the 128 hex characters
 * of a SHA-512 (the input STRETCH feeds it), no svctoken code; or with {@code svctoken} as the fifth argument,
 * svctoken's own hasher making a new hash as a creation does ({@code Hasher.PBKDF2_STRETCH.hash}: the SHA-512,
 * a new salt, core's PBKDF2, the Base64 text), the floor of a creation with svctoken's hash.
 *
 * <p>{@code java io.svctoken.bench.Pbkdf2Rate <threads> <warmupSeconds> <seconds> [iterations [jdk|svctoken]]} prints
 * {@code ops_per_sec=<rate>}.
 */
public final class Pbkdf2Rate {

    private Pbkdf2Rate() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        double warmup = Double.parseDouble(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        boolean own = args.length > 4 && args[4].equals("svctoken");
        Hasher hasher = iterations == 10_000 ? Hasher.PBKDF2_STRETCH : Hasher.resolve("pbkdf2_stretch_" + iterations);
        SecureRandom r = new SecureRandom();
        byte[] secret = new byte[22];
        r.nextBytes(secret);
        Secret plain = Secret.of(HexFormat.of().formatHex(secret));
        char[] input = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(secret)).toCharArray();
        byte[] salt = new byte[32];
        r.nextBytes(salt);

        LongAdder ops = new LongAdder();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread[] workers = new Thread[threads];
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        int length = own ? hasher.hash(plain).length() : SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                                .generateSecret(new PBEKeySpec(input, salt, iterations, 256)).getEncoded().length;
                        if (length != (own ? "{PBKDF2_STRETCH}".length() + String.valueOf(iterations).length() + 90 : 32)) {
                            throw new IllegalStateException();
                        }
                        if (counting.get()) {
                            ops.increment();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            }, "pbkdf2-" + t);
            th.setDaemon(true);
            workers[t] = th;
            th.start();
        }
        Thread.sleep((long) (warmup * 1000));
        long cpu0 = cpu(mx, workers);
        long t0 = System.nanoTime();
        counting.set(true);
        Thread.sleep((long) (seconds * 1000));
        counting.set(false);
        long elapsed = System.nanoTime() - t0;
        long cpu = cpu(mx, workers) - cpu0;
        long n = ops.sum();
        stop.set(true);
        done.await();
        System.out.printf(Locale.ROOT, "ops_per_sec=%.1f ops=%d seconds=%.3f threads=%d iterations=%d impl=%s cpu_ms_per_op=%.3f cores_used=%.2f%n",
                n / (elapsed / 1e9), n, elapsed / 1e9, threads, iterations, own ? "svctoken" : "jdk", cpu / 1e6 / Math.max(1, n), (double) cpu / elapsed);
    }

    private static long cpu(ThreadMXBean mx, Thread[] threads) {
        long sum = 0;
        for (Thread t : threads) {
            sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
        }
        return sum;
    }
}
