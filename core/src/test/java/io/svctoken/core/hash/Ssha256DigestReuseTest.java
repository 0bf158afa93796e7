package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.Test;

import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cached check of an API key or service token runs SSHA-256 on every request: its digest is kept per thread, not
 * looked up among the security providers each time, and a kept digest gives the same answers as a fresh one, on any
 * thread, after a failed check and interleaved with other secrets.
 */
class Ssha256DigestReuseTest {

    /** Counts the look-ups of SHA-256 that reach the provider list; provides nothing itself. */
    private static final class CountingProvider extends Provider {
        final AtomicInteger sha256Lookups = new AtomicInteger();

        CountingProvider() {
            super("svctoken-test-counting", "1", "counts message digest look-ups");
        }

        @Override
        public synchronized Service getService(String type, String algorithm) {
            if ("MessageDigest".equals(type) && "SHA-256".equalsIgnoreCase(algorithm)) {
                sha256Lookups.incrementAndGet();
            }
            return null;
        }
    }

    @Test
    void repeatedCompactChecksDoNotLookTheDigestUpEachTime() {
        Hasher h = Hasher.resolve("ssha256");
        byte[] c = h.hashCompact(Secret.of("cached-key"));
        h.verifyCompact(Secret.of("cached-key"), c); // this thread's first check may look it up
        CountingProvider counting = new CountingProvider();
        Security.insertProviderAt(counting, 1);
        try {
            for (int i = 0; i < 200; i++) {
                assertThat(h.verifyCompact(Secret.of("cached-key"), c)).isTrue();
            }
        } finally {
            Security.removeProvider(counting.getName());
        }
        assertThat(counting.sha256Lookups.get()).isZero();
    }

    @Test
    void keptDigestsAgreeWithFreshOnesAcrossThreadsAndSecrets() throws Exception {
        Ssha256Hasher h = (Ssha256Hasher) Hasher.resolve("ssha256");
        List<String> secrets = List.of("a", "é-ü", "0123456789012345678901", "x".repeat(200));
        List<byte[]> compact = new ArrayList<>();
        for (String s : secrets) {
            compact.add(h.hashCompact(Secret.of(s)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int shift = t;
                results.add(pool.submit((Callable<Boolean>) () -> {
                    for (int i = 0; i < 500; i++) {
                        int k = (i + shift) % secrets.size();
                        // a wrong secret first: a failed check leaves nothing behind for the next one
                        if (h.verifyCompact(Secret.of(secrets.get(k) + "!"), compact.get(k))) {
                            return false;
                        }
                        if (!h.verifyCompact(Secret.of(secrets.get(k)), compact.get(k))) {
                            return false;
                        }
                        // the text form shares the kept digest: same digest as the compact one's
                        byte[] salt = java.util.Arrays.copyOf(compact.get(k), Ssha256Hasher.SALT_BYTES);
                        String text = h.hashWithSalt(Secret.of(secrets.get(k)), salt);
                        if (!h.verify(Secret.of(secrets.get(k)), text) || h.verify(Secret.of(secrets.get((k + 1) % secrets.size())), text)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
