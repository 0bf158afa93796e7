package io.svctoken.core.hash;

import io.svctoken.core.secret.Secret;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Credential hashing compatible with Elasticsearch's {@code Hasher}: bcrypt ({@code $2a$}/{@code $2b$}/{@code $2y$}), {@code {PBKDF2}},
 * {@code {PBKDF2_STRETCH}}, {@code {SSHA256}}, {@code {SHA}}, {@code {MD5}} and plaintext.
 *
 * <p>Instances are immutable, thread-safe singletons obtained with {@link #resolve(String)} (by
 * algorithm identifier) or {@link #resolveFromHash(String)} (by looking at a stored hash).
 *
 * <p>Error model. {@link #verify(Secret, String)} returns {@code false} for a wrong password and for a
 * value that is not in this hasher's format at all (wrong prefix, missing {@code $} separators of a
 * PBKDF2 hash, a bcrypt value that is not 60 characters long). A value that carries this hasher's
 * prefix but whose body is corrupt (salt too short or not Base64, impossible key length, bad bcrypt
 * cost or salt characters) raises {@link IllegalArgumentException} with a message from
 * {@link HashMessages} — the cases where Elasticsearch raises an exception too, so that callers can
 * report an authentication <em>error</em> rather than a wrong password. No exception message contains
 * the password or the stored hash. A {@code null} hash is an {@link IllegalArgumentException}; a
 * {@code null} password is a {@link NullPointerException}; a wiped {@link Secret} throws the
 * {@link IllegalStateException} of {@link Secret}. PBKDF2 is computed here ({@link Pbkdf2Sha512}, the bytes of
 * the JCE's {@code PBKDF2WithHmacSHA512}), so it needs no JCE provider.
 *
 * <p>The caller's {@link Secret} is never wiped; every copy of the password made here is zeroed after use.
 */
public abstract sealed class Hasher permits SaltedHasher, DigestHasher, NoopHasher {

    /** bcrypt cost 10, identifiers {@code bcrypt} and {@code bcrypt10}; the default password hasher. */
    public static final BcryptHasher BCRYPT = new BcryptHasher("bcrypt", BcryptHasher.DEFAULT_COST);
    /** PBKDF2 10 000 iterations, identifiers {@code pbkdf2} and {@code pbkdf2_10000}. */
    public static final Pbkdf2Hasher PBKDF2 = new Pbkdf2Hasher("pbkdf2", Pbkdf2Hasher.DEFAULT_ITERATIONS, false);
    /** PBKDF2_STRETCH 10 000 iterations, identifier {@code pbkdf2_stretch}; the default service-token hasher. */
    public static final Pbkdf2Hasher PBKDF2_STRETCH =
            new Pbkdf2Hasher("pbkdf2_stretch", Pbkdf2Hasher.DEFAULT_ITERATIONS, true);
    /** {@code {SSHA256}}, identifier {@code ssha256}; the default cache hasher. */
    public static final Ssha256Hasher SSHA256 = new Ssha256Hasher();
    /** {@code {SHA}} (unsalted SHA-1), identifier {@code sha1}. */
    public static final DigestHasher SHA1 = new DigestHasher("sha1", "{SHA}", "SHA-1");
    /** {@code {MD5}} (unsalted MD5), identifier {@code md5}. */
    public static final DigestHasher MD5 = new DigestHasher("md5", "{MD5}", "MD5");
    /** Plaintext, identifiers {@code noop} and {@code clear_text}. */
    public static final NoopHasher NOOP = new NoopHasher();

    /** Iteration counts with a resolvable {@code pbkdf2_<n>} / {@code pbkdf2_stretch_<n>} identifier. */
    private static final int[] PBKDF2_ITERATIONS = {1000, 10000, 50000, 100000, 500000, 1000000};

    /*
     * Class-initialisation note: the subclasses are created here, inside Hasher's static initialiser. To keep
     * that free of ordering bugs and of the classic superclass/subclass initialisation deadlock, the subclasses
     * have no public static methods and no static fields other than compile-time constants; everything they
     * need at construction time is passed in.
     */

    /** identifier (lower case) → hasher, in Elasticsearch's enum order. */
    private static final Map<String, Hasher> BY_IDENTIFIER;
    private static final Set<String> PASSWORD_HASHING_NAMES;
    private static final Set<String> SECURE_TOKEN_HASHING_NAMES;
    private static final Set<String> CACHE_HASHING_NAMES;

    static {
        Map<String, Hasher> m = new LinkedHashMap<>();
        m.put("bcrypt", BCRYPT);
        for (int cost = BcryptHasher.MIN_RESOLVABLE_COST; cost <= BcryptHasher.MAX_RESOLVABLE_COST; cost++) {
            m.put("bcrypt" + cost, cost == BcryptHasher.DEFAULT_COST ? BCRYPT : new BcryptHasher("bcrypt" + cost, cost));
        }
        m.put("pbkdf2", PBKDF2);
        for (int n : PBKDF2_ITERATIONS) {
            m.put("pbkdf2_" + n, n == Pbkdf2Hasher.DEFAULT_ITERATIONS ? PBKDF2 : new Pbkdf2Hasher("pbkdf2_" + n, n, false));
        }
        m.put("pbkdf2_stretch", PBKDF2_STRETCH);
        for (int n : PBKDF2_ITERATIONS) {
            // as in Elasticsearch, pbkdf2_stretch_10000 is its own instance (same behaviour as pbkdf2_stretch)
            m.put("pbkdf2_stretch_" + n, new Pbkdf2Hasher("pbkdf2_stretch_" + n, n, true));
        }
        m.put("sha1", SHA1);
        m.put("md5", MD5);
        m.put("ssha256", SSHA256);
        m.put("noop", NOOP);
        m.put("clear_text", NOOP);
        BY_IDENTIFIER = Collections.unmodifiableMap(m);

        Set<String> password = new LinkedHashSet<>();
        for (String id : m.keySet()) {
            if (id.startsWith("pbkdf2") || id.startsWith("bcrypt")) {
                password.add(id);
            }
        }
        Set<String> secureToken = new LinkedHashSet<>(password);
        secureToken.add("ssha256");
        PASSWORD_HASHING_NAMES = Collections.unmodifiableSet(password);
        SECURE_TOKEN_HASHING_NAMES = Collections.unmodifiableSet(secureToken);
        CACHE_HASHING_NAMES = Collections.unmodifiableSet(new LinkedHashSet<>(m.keySet()));
    }

    private final String name;
    /** What this hasher's values start with ({@code ""} for plaintext). */
    final String prefix;
    private final LongAdder verifications = new LongAdder();

    Hasher(String name, String prefix) {
        this.name = name;
        this.prefix = prefix;
    }

    /**
     * The hasher for one of Elasticsearch's algorithm identifiers ({@code bcrypt}, {@code bcrypt12}, {@code pbkdf2_10000}, …), case-insensitively.
     *
     * @throws IllegalArgumentException {@code unknown hash function [<name>]} for anything else (also for {@code null})
     */
    public static Hasher resolve(String name) {
        Hasher hasher = name == null ? null : BY_IDENTIFIER.get(name.toLowerCase(Locale.ROOT));
        if (hasher == null) {
            throw new IllegalArgumentException(HashMessages.unknownHashFunction(name));
        }
        return hasher;
    }

    /**
     * The hasher that can verify {@code hash}, chosen from its prefix as Elasticsearch's {@code Hasher.resolveFromHash} does, in this order:
     * <ol>
     * <li>bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}; cost read from characters {@code [4, length-54)}):
     *     cost 10 → {@link #BCRYPT}, otherwise {@code resolve("bcrypt" + cost)} — costs outside 4..14 throw
     *     {@code unknown hash function [bcryptNN]}; an unreadable cost throws
     *     {@link HashMessages#BCRYPT_COST_UNDETERMINED};</li>
     * <li>{@code {PBKDF2_STRETCH}n$}: n = 10000 → {@link #PBKDF2_STRETCH}, else {@code resolve("pbkdf2_stretch_" + n)};</li>
     * <li>{@code {PBKDF2}n$}: n = 10000 → {@link #PBKDF2}, else {@code resolve("pbkdf2_" + n)}
     *     (unreadable n in 2 and 3: {@link HashMessages#PBKDF2_ITERATIONS_UNDETERMINED});</li>
     * <li>{@code {SHA}} → {@link #SHA1}; {@code {MD5}} → {@link #MD5}; {@code {SSHA256}} → {@link #SSHA256};</li>
     * <li>anything else → {@link #NOOP} (the value is treated as plaintext).</li>
     * </ol>
     *
     * @throws IllegalArgumentException as listed above, or for a {@code null} hash; never any other exception
     */
    public static Hasher resolveFromHash(String hash) {
        HashSupport.requireHash(hash);
        if (BcryptHasher.hasBcryptPrefix(hash)) {
            int cost = BcryptHasher.dispatchCost(hash);
            return cost == BcryptHasher.DEFAULT_COST ? BCRYPT : resolve("bcrypt" + cost);
        } else if (hash.startsWith(Pbkdf2Hasher.STRETCH_PREFIX)) {
            int n = Pbkdf2Hasher.dispatchIterations(hash, Pbkdf2Hasher.STRETCH_PREFIX);
            return n == Pbkdf2Hasher.DEFAULT_ITERATIONS ? PBKDF2_STRETCH : resolve("pbkdf2_stretch_" + n);
        } else if (hash.startsWith(Pbkdf2Hasher.PREFIX)) {
            int n = Pbkdf2Hasher.dispatchIterations(hash, Pbkdf2Hasher.PREFIX);
            return n == Pbkdf2Hasher.DEFAULT_ITERATIONS ? PBKDF2 : resolve("pbkdf2_" + n);
        } else if (hash.startsWith(SHA1.prefix())) {
            return SHA1;
        } else if (hash.startsWith(MD5.prefix())) {
            return MD5;
        } else if (hash.startsWith(Ssha256Hasher.PREFIX)) {
            return SSHA256;
        }
        return NOOP;
    }

    /**
     * {@code resolveFromHash(hash).verify(password, hash)}.
     *
     * @throws IllegalArgumentException for the cases of {@link #resolveFromHash(String)} and of the chosen
     *         hasher's {@link #verify(Secret, String)}
     */
    public static boolean verifyHash(Secret password, String hash) {
        Objects.requireNonNull(password, "password");
        Hasher hasher = resolveFromHash(hash);
        hasher.verifications.increment();
        return hasher.verify(password, hash);
    }

    /**
     * How many stored hashes of this algorithm {@link #verifyHash} was asked to verify since the JVM
     * started: the expensive part of an authentication, counted so that tests can prove work was or was
     * not done (a cache hit, a throttled request or an unknown name adds nothing) without timing it.
     */
    public final long verifications() {
        return verifications.sum();
    }

    /**
     * Identifiers accepted for stored password hashing ({@code xpack.security.authc.password_hashing.algorithm})
     * and service-token hashing ({@code xpack.security.authc.service_token_hashing.algorithm}): every
     * {@code bcrypt*} and {@code pbkdf2*} identifier, in Elasticsearch's order. Unmodifiable.
     */
    public static Set<String> passwordHashingNames() {
        return PASSWORD_HASHING_NAMES;
    }

    /**
     * {@link #passwordHashingNames()} plus {@code ssha256}: the "secure token" set Elasticsearch uses for API
     * keys (newer code may also use it for service tokens). Unmodifiable.
     */
    public static Set<String> secureTokenHashingNames() {
        return SECURE_TOKEN_HASHING_NAMES;
    }

    /**
     * Every resolvable identifier (for {@code xpack.security.authc.service_token.cache.hash_algo}), including
     * the aliases {@code bcrypt10}, {@code pbkdf2_10000} and {@code clear_text}. Unmodifiable.
     */
    public static Set<String> cacheHashingNames() {
        return CACHE_HASHING_NAMES;
    }

    /**
     * A compact in-memory form of a fresh hash, for caches that hold many entries. The default is the
     * hash text's bytes; hashers with a fixed binary layout keep only their raw bytes.
     */
    public byte[] hashCompact(Secret password) {
        return hash(password).getBytes(StandardCharsets.UTF_8);
    }

    /** Verifies against {@link #hashCompact} output of this same hasher; constant time. */
    public boolean verifyCompact(Secret password, byte[] compact) {
        return verifyCompact(password, compact, 0, compact.length);
    }

    /** As {@link #verifyCompact(Secret, byte[])} for the compact hash held at {@code buf[from, from + length)}. */
    public boolean verifyCompact(Secret password, byte[] buf, int from, int length) {
        return verify(password, new String(buf, from, length, StandardCharsets.UTF_8));
    }

    /** Hashes {@code password} with a fresh random salt (where the algorithm has one). */
    public abstract String hash(Secret password);

    /**
     * Whether some password can verify against {@code hash}: it is complete, in this hasher's format and
     * encoded exactly as this hasher writes it (verification re-computes and compares the encoded text, so
     * any other value never matches, or makes {@link #verify} throw). {@code false} for anything else,
     * {@code null} included; never throws. For checking a hash given from outside before it is stored.
     */
    public final boolean isWellFormed(String hash) {
        return hash != null && recognises(hash) && isWellFormedBody(hash);
    }

    /**
     * Whether {@code password} matches {@code hash}, comparing in constant time. See the class comment for
     * when this returns {@code false} and when it throws.
     */
    public final boolean verify(Secret password, String hash) {
        Objects.requireNonNull(password, "password");
        HashSupport.requireHash(hash);
        return recognises(hash) && matches(password, hash);
    }

    /** Whether {@code hash} is in this hasher's format at all: {@link #verify} is {@code false} for any other. */
    boolean recognises(String hash) {
        return hash.startsWith(prefix);
    }

    /** {@link #verify} for a hash this hasher {@link #recognises}. */
    abstract boolean matches(Secret password, String hash);

    /** {@link #isWellFormed} for a hash this hasher {@link #recognises}. */
    abstract boolean isWellFormedBody(String hash);

    /** The canonical lower-case identifier, e.g. {@code pbkdf2_stretch}, {@code bcrypt}, {@code bcrypt12}. */
    public final String name() {
        return name;
    }

    @Override
    public String toString() {
        return "Hasher[" + name + "]";
    }
}
