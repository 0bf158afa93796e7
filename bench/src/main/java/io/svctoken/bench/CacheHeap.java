package io.svctoken.bench;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.StoreAuthenticationResult;
import io.svctoken.core.store.TokenSource;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * P7: heap per cached token. Fills a {@link CachingServiceAccountTokenStore} configured like the server's
 * (ttl 20m, max_tokens 100000, SSHA256 cache hash) with N successful entries, tokens named like real ones
 * ({@code elastic/fleet-server/token_<20 chars>}), and measures live heap before and after with the JVM's
 * class histogram (a full GC, exact live bytes). The tokens themselves are dropped as the server drops
 * them: what remains is what the cache holds.
 *
 * <p>Baseline, same run: the same key strings and SSHA256 hash strings in a plain {@link HashMap}, the
 * least a name → hash cache can hold.
 *
 * <p>{@code java io.svctoken.bench.CacheHeap [N]} prints {@code bytes_per_token=... baseline_bytes_per_token=...}
 * and the classes that grew most.
 */
public final class CacheHeap {

    private static final Pattern HISTO_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern HISTO_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

    private CacheHeap() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Hasher ssha = Hasher.resolve("ssha256");
        // The delegate answers like the index store does: a new result object per verification.
        CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(
                t -> CompletableFuture.completedFuture(new StoreAuthenticationResult(true, TokenSource.INDEX)),
                Duration.ofMinutes(20), 100_000, ssha, Runnable::run);
        // Warm up the classes involved (so class metadata does not count), then empty the cache.
        for (int i = 0; i < 1000; i++) {
            authenticate(cache, i);
        }
        cache.invalidateAll();

        Histo before = histogram();
        for (int i = 0; i < n; i++) {
            authenticate(cache, i);
        }
        Histo after = histogram();
        long size = cache.estimatedSize();
        Reference.reachabilityFence(cache);
        if (size != n) {
            System.err.println("warning: cache holds " + size + " entries, expected " + n);
        }

        // Baseline: name -> hash strings in a HashMap.
        Map<String, String> plain = new HashMap<>();
        Histo beforePlain = histogram();
        for (int i = 0; i < n; i++) {
            ServiceAccountToken t = token(i);
            plain.put(t.qualifiedName(), ssha.hash(t.secret()));
            t.close();
        }
        Histo afterPlain = histogram();
        Reference.reachabilityFence(plain);

        double perToken = (after.totalBytes - before.totalBytes) / (double) size;
        double perTokenPlain = (afterPlain.totalBytes - beforePlain.totalBytes) / (double) n;
        System.out.printf(Locale.ROOT, "bytes_per_token=%.1f baseline_bytes_per_token=%.1f entries=%d%n", perToken, perTokenPlain, size);
        System.out.println("classes that grew, bytes per cached token (class histogram diff):");
        for (Map.Entry<String, long[]> e : after.diff(before)) {
            double per = e.getValue()[1] / (double) size;
            if (per >= 1.0) {
                System.out.printf(Locale.ROOT, "  %8.1f B  %6.2f objects  %s%n", per, e.getValue()[0] / (double) size, e.getKey());
            }
        }
        System.out.printf(Locale.ROOT, "heap used (MemoryMXBean, after GC): %d MiB%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
    }

    private static void authenticate(CachingServiceAccountTokenStore cache, int i) {
        // Like AuthenticationService: a fresh parsed token per request, closed (wiped) afterwards.
        ServiceAccountToken t = token(i);
        try {
            if (!cache.authenticate(t).join().success()) {
                throw new IllegalStateException("not a success");
            }
        } finally {
            t.close();
        }
    }

    private static ServiceAccountToken token(int i) {
        String name = String.format(Locale.ROOT, "token_%020d", i); // auto-generated names are token_ + 20 chars
        return new ServiceAccountToken(TokenId.of("elastic/fleet-server", name),
                Secret.of(BenchDb.secret(i)));
    }

    private record Histo(long totalBytes, Map<String, long[]> byClass) {
        /** (class, [instances, bytes]) that grew, largest first. */
        List<Map.Entry<String, long[]>> diff(Histo before) {
            List<Map.Entry<String, long[]>> out = new ArrayList<>();
            byClass.forEach((k, v) -> {
                long[] b = before.byClass.getOrDefault(k, new long[2]);
                long[] d = {v[0] - b[0], v[1] - b[1]};
                if (d[1] > 0) {
                    out.add(Map.entry(k, d));
                }
            });
            out.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
            return out;
        }
    }

    /** {@code jcmd <self> GC.class_histogram} through the DiagnosticCommand MBean: full GC, then live objects by class. */
    private static Histo histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[]{new String[0]}, new String[]{String[].class.getName()});
        Map<String, long[]> byClass = new LinkedHashMap<>();
        long total = -1;
        for (String line : text.split("\n")) {
            Matcher m = HISTO_LINE.matcher(line);
            if (m.find()) {
                byClass.merge(m.group(3), new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
                continue;
            }
            Matcher t = HISTO_TOTAL.matcher(line.trim());
            if (t.find()) {
                total = Long.parseLong(t.group(2));
            }
        }
        if (total < 0) {
            throw new IllegalStateException("no total in class histogram");
        }
        return new Histo(total, byClass);
    }
}
