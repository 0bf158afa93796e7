package io.svctoken.bench;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authc.ServiceAccountAuthentication;
import io.svctoken.core.authc.ServiceAccountAuthenticator;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.CompositeServiceAccountTokenStore;
import io.svctoken.core.store.FileServiceAccountTokenStore;
import io.svctoken.core.store.StoreAuthenticationResult;
import io.svctoken.core.store.TokenSource;
import io.svctoken.core.store.TokenUsage;
import io.svctoken.core.token.SecretGenerator;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import io.svctoken.core.token.TokenId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Per-request costs of the core, each next to a baseline measured in the same run: the bare JDK
 * operation the svctoken code wraps. The ratio (svctoken / baseline) is what to read; the absolute
 * numbers depend on the machine. Method names: {@code <group>} and {@code <group>_baseline}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class CoreBenchmarks {

    @State(Scope.Benchmark)
    public static class Tokens {
        final ServiceAccountToken token = new ServiceAccountToken(new TokenId(new ServiceAccountId("elastic", "fleet-server"), "token1"),
                SecretGenerator.newSecret());
        String bearer;
        byte[] secretUtf8;
        String ssha256Hash;
        String pbkdf2StretchHash;
        final byte[] ssha256Salt = new byte[8];
        final byte[] pbkdf2Salt = new byte[32];
        char[] stretchInput;
        final SecureRandom random = new SecureRandom();
        CachingServiceAccountTokenStore cache;

        @Setup
        public void setUp() throws Exception {
            bearer = token.asBearer().revealAsString(SecretAccess.plaintext());
            secretUtf8 = token.secret().utf8Bytes(SecretAccess.plaintext());
            random.nextBytes(ssha256Salt);
            random.nextBytes(pbkdf2Salt);
            ssha256Hash = Hasher.resolve("ssha256").hash(token.secret());
            pbkdf2StretchHash = Hasher.resolve("pbkdf2_stretch").hash(token.secret());
            // PBKDF2_STRETCH feeds PBKDF2 the lower-case hex of SHA-512(secret): the raw baseline gets the same input.
            stretchInput = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(secretUtf8)).toCharArray();
            CompletableFuture<StoreAuthenticationResult> ok = CompletableFuture.completedFuture(StoreAuthenticationResult.success(TokenSource.INDEX));
            cache = new CachingServiceAccountTokenStore(t -> ok, Duration.ofMinutes(20), 100_000, Hasher.resolve("ssha256"), Runnable::run);
            if (!cache.authenticate(token).join().success()) {
                throw new IllegalStateException("cache not primed");
            }
        }
    }

    /**
     * The token stores as Node wires them: a cache over the (empty) file-token store first, then a cache
     * over the index store; both caches run their maintenance on a 2-thread bounded pool like the node's
     * worker pool. The baseline is the index cache alone on the same pool.
     */
    @State(Scope.Benchmark)
    public static class Chain {
        ThreadPoolExecutor worker;
        CompositeServiceAccountTokenStore composite;
        CachingServiceAccountTokenStore indexOnly;

        @Setup
        public void setUp(Tokens s) {
            worker = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "bench-worker");
                t.setDaemon(true);
                return t;
            });
            CompletableFuture<StoreAuthenticationResult> ok = CompletableFuture.completedFuture(StoreAuthenticationResult.success(TokenSource.INDEX));
            Hasher ssha = Hasher.resolve("ssha256");
            CachingServiceAccountTokenStore fileCache = new CachingServiceAccountTokenStore(new FileServiceAccountTokenStore(worker),
                    Duration.ofMinutes(20), 100_000, ssha, worker);
            CachingServiceAccountTokenStore indexCache = new CachingServiceAccountTokenStore(t -> ok, Duration.ofMinutes(20), 100_000, ssha, worker);
            composite = new CompositeServiceAccountTokenStore(List.of(fileCache, indexCache));
            indexOnly = new CachingServiceAccountTokenStore(t -> ok, Duration.ofMinutes(20), 100_000, ssha, worker);
            if (!composite.authenticate(s.token).join().success() || !indexOnly.authenticate(s.token).join().success()) {
                throw new IllegalStateException("chain not primed");
            }
        }

        @TearDown
        public void tearDown() {
            worker.shutdownNow();
        }
    }

    /** Cached token through the node's store chain: file-token cache (a miss on every request), then index cache (a hit). */
    @Benchmark
    public StoreAuthenticationResult storeChain(Chain c, Tokens s) {
        return c.composite.authenticate(s.token).join();
    }

    /** The index cache alone (the hit the request needs). */
    @Benchmark
    public StoreAuthenticationResult storeChain_baseline(Chain c, Tokens s) {
        return c.indexOnly.authenticate(s.token).join();
    }

    /**
     * A cached service-token authentication as the node runs it ({@code ServiceAccountAuthenticator} over the index cache),
     * with the last use noted ({@code TokenUsage}, the default 5-minute interval: after the first request a map read and a
     * clock read) and, as the baseline, without ({@code svctoken.service_token.last_used.enabled=false}). Run with
     * {@code -prof gc} for the bytes allocated per authentication.
     */
    @State(Scope.Benchmark)
    public static class LastUsed {
        ServiceAccountAuthenticator noting;
        ServiceAccountAuthenticator plain;

        @Setup
        public void setUp(Tokens s) {
            BuiltinServiceAccounts accounts = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19);
            noting = new ServiceAccountAuthenticator(accounts, s.cache, new TokenUsage(Duration.ofMinutes(5), Clock.systemUTC()));
            plain = new ServiceAccountAuthenticator(accounts, s.cache, null);
            noting.authenticate(s.token).join();
            plain.authenticate(s.token).join();
        }
    }

    @Benchmark
    public ServiceAccountAuthentication authenticateLastUsed(LastUsed l, Tokens s) {
        return l.noting.authenticate(s.token).join();
    }

    @Benchmark
    public ServiceAccountAuthentication authenticateLastUsed_baseline(LastUsed l, Tokens s) {
        return l.plain.authenticate(s.token).join();
    }

    // ------------------------------------------------------------------ token decode

    @Benchmark
    public Optional<ServiceAccountToken> decode(Tokens s) {
        return TokenCodec.decode(s.bearer);
    }

    /** The Base64 decode of the same header: the least any decoder must do. */
    @Benchmark
    public byte[] decode_baseline(Tokens s) {
        return Base64.getDecoder().decode(s.bearer);
    }

    // ------------------------------------------------------------------ secret generation

    @Benchmark
    public Secret secret() {
        return SecretGenerator.newSecret();
    }

    /** 16 random bytes from a shared SecureRandom, URL-safe Base64: what Elasticsearch's UUIDs.randomBase64UUID does. */
    @Benchmark
    public String secret_baseline(Tokens s) {
        byte[] b = new byte[16];
        s.random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ------------------------------------------------------------------ cache hit

    /** CachingServiceAccountTokenStore hit: lookup, SSHA256 verification of the secret, completed future. */
    @Benchmark
    public StoreAuthenticationResult cacheHit(Tokens s) {
        return s.cache.authenticate(s.token).join();
    }

    /** The SSHA256 verification alone (what a hit cannot avoid). */
    @Benchmark
    public boolean cacheHit_baseline(Tokens s) {
        return Hasher.verifyHash(s.token.secret(), s.ssha256Hash);
    }

    // ------------------------------------------------------------------ PBKDF2_STRETCH verification

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean pbkdf2StretchVerify(Tokens s) {
        return Hasher.verifyHash(s.token.secret(), s.pbkdf2StretchHash);
    }

    /** The raw JDK call, same input, salt, 10000 iterations and 256-bit key. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] pbkdf2StretchVerify_baseline(Tokens s) throws Exception {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(s.stretchInput, s.pbkdf2Salt, 10_000, 256)).getEncoded();
    }

    // ------------------------------------------------------------------ SSHA256 hash

    @Benchmark
    public String ssha256Hash(Tokens s) {
        return Hasher.resolve("ssha256").hash(s.token.secret());
    }

    /** SHA-256 over the secret's bytes and a fixed 8-byte salt, Base64: the hash without salt generation or wrapping. */
    @Benchmark
    public String ssha256Hash_baseline(Tokens s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(s.secretUtf8);
        md.update(s.ssha256Salt);
        return Base64.getEncoder().encodeToString(md.digest());
    }

}
