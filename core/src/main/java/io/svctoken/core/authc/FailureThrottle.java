package io.svctoken.core.authc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.Objects;

/**
 * A budget of failed authentications per key (svctoken's key: kind of credential, name, client
 * address). Once a key has had {@code maxFailures} failures within {@code window} of its first one, it
 * is refused for {@code lockout}: callers ask {@link #blockedNanos} before any expensive hashing, so a
 * refused attempt costs a lookup. A lockout ends on its own; then the key starts a fresh budget. A
 * success does not reset the count (a client sharing an address with an attacker, behind a proxy, would
 * otherwise let the attacker's guesses through between its own logins).
 *
 * <p>Memory is bounded: at most {@code maxEntries} keys are held (Caffeine's size eviction, which keeps
 * frequently hit keys), and a key is forgotten when its window or its lockout ends.
 */
public final class FailureThrottle<K> {

    /**
     * @param enabled     false: nothing is counted, nothing refused
     * @param maxFailures failures of one key that start a lockout (at least 1)
     * @param window      how long failures are counted from the first one (positive)
     * @param lockout     how long a key is refused once its budget is spent (positive)
     * @param maxEntries  keys remembered at most (at least 1)
     */
    public record Settings(boolean enabled, int maxFailures, Duration window, Duration lockout, int maxEntries) {
        public static final Settings DEFAULT = new Settings(true, 10, Duration.ofMinutes(1), Duration.ofMinutes(1), 10_000);
        public static final Settings DISABLED = new Settings(false, DEFAULT.maxFailures, DEFAULT.window, DEFAULT.lockout, DEFAULT.maxEntries);

        public Settings {
            Objects.requireNonNull(window);
            Objects.requireNonNull(lockout);
            if (maxFailures < 1 || maxEntries < 1 || window.isZero() || window.isNegative() || lockout.isZero() || lockout.isNegative()) {
                throw new IllegalArgumentException("failure throttle: max failures and entries must be positive, window and lockout longer than 0");
            }
        }
    }

    /** One key's count, immutable (replaced under the cache's per-key lock); times are ticker nanoseconds. */
    private record State(int failures, long windowEnds, long blockedUntil, boolean blocked) {
        long endsAt() {
            return blocked ? blockedUntil : windowEnds;
        }
    }

    private final Settings settings;
    private final Ticker ticker;
    private final Cache<K, State> states; // null when disabled

    public FailureThrottle(Settings settings) {
        this(settings, Ticker.systemTicker());
    }

    /** @param ticker the clock of windows and lockouts (tests pass their own) */
    public FailureThrottle(Settings settings, Ticker ticker) {
        this.settings = Objects.requireNonNull(settings);
        this.ticker = Objects.requireNonNull(ticker);
        this.states = !settings.enabled() ? null : Caffeine.newBuilder()
                .maximumSize(settings.maxEntries())
                .ticker(ticker)
                .expireAfter(new Expiry<K, State>() {
                    @Override
                    public long expireAfterCreate(K key, State s, long now) {
                        return Math.max(0, s.endsAt() - now);
                    }

                    @Override
                    public long expireAfterUpdate(K key, State s, long now, long currentDuration) {
                        return Math.max(0, s.endsAt() - now);
                    }

                    @Override
                    public long expireAfterRead(K key, State s, long now, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    public Settings settings() {
        return settings;
    }

    /** True when no key is counted at all (or the throttle is off): nothing can be refused, no key need be built. */
    public boolean isIdle() {
        return states == null || states.estimatedSize() == 0;
    }

    /** How long {@code key} is still refused, in nanoseconds; 0 when it may try. One lookup, no allocation. */
    public long blockedNanos(K key) {
        if (states == null) {
            return 0;
        }
        State s = states.getIfPresent(key);
        if (s == null || !s.blocked()) {
            return 0;
        }
        return Math.max(0, s.blockedUntil() - ticker.read());
    }

    /**
     * Counts a failure of {@code key}: the first one opens a window, the one that reaches the budget
     * starts the lockout. Failures of attempts that were already running when the lockout began do not
     * extend it.
     *
     * @return whether this failure started a lockout (once per lockout: worth a log line)
     */
    public boolean failure(K key) {
        if (states == null) {
            return false;
        }
        long now = ticker.read();
        boolean[] started = new boolean[1];
        states.asMap().compute(key, (k, s) -> {
            if (s == null || s.endsAt() - now <= 0) {
                s = new State(0, plus(now, settings.window()), 0, false);
            } else if (s.blocked()) {
                return s;
            }
            int failures = s.failures() + 1;
            started[0] = failures >= settings.maxFailures();
            return started[0]
                    ? new State(failures, s.windowEnds(), plus(now, settings.lockout()), true)
                    : new State(failures, s.windowEnds(), 0, false);
        });
        return started[0];
    }

    /** {@code now + d}, saturated: a lockout of years must not wrap around into the past. */
    private static long plus(long now, Duration d) {
        try {
            return Math.addExact(now, d.toNanos());
        } catch (ArithmeticException beyondLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Keys held now (after pending evictions ran), for tests and metrics. */
    public long size() {
        if (states == null) {
            return 0;
        }
        states.cleanUp();
        return states.estimatedSize();
    }
}
