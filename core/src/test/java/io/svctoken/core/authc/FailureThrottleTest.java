package io.svctoken.core.authc;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The failure budget on its own, on a clock the test moves. */
class FailureThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private FailureThrottle<String> throttle(int maxFailures, Duration window, Duration lockout, int maxEntries) {
        return new FailureThrottle<>(new FailureThrottle.Settings(true, maxFailures, window, lockout, maxEntries), now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void theFailureThatSpendsTheBudgetStartsTheLockout() {
        FailureThrottle<String> t = throttle(3, Duration.ofMinutes(1), Duration.ofSeconds(30), 100);
        for (int i = 0; i < 2; i++) {
            assertThat(t.failure("elastic@10.0.0.1")).isFalse();
            assertThat(t.blockedNanos("elastic@10.0.0.1")).isZero();
        }
        assertThat(t.failure("elastic@10.0.0.1")).as("this one starts the lockout").isTrue();
        assertThat(t.blockedNanos("elastic@10.0.0.1")).isEqualTo(Duration.ofSeconds(30).toNanos());
        advance(Duration.ofSeconds(10));
        assertThat(t.blockedNanos("elastic@10.0.0.1")).isEqualTo(Duration.ofSeconds(20).toNanos());
        assertThat(t.blockedNanos("elastic@10.0.0.2")).as("another source").isZero();
        assertThat(t.blockedNanos("kibana_system@10.0.0.1")).as("another name").isZero();
    }

    @Test
    void failuresLandingDuringALockoutDoNotExtendIt() {
        FailureThrottle<String> t = throttle(1, Duration.ofMinutes(1), Duration.ofSeconds(30), 100);
        t.failure("k");
        advance(Duration.ofSeconds(20));
        assertThat(t.failure("k")).as("no second lockout").isFalse();
        assertThat(t.blockedNanos("k")).isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aLockoutEndsWithAFreshBudget() {
        FailureThrottle<String> t = throttle(2, Duration.ofMinutes(1), Duration.ofSeconds(30), 100);
        t.failure("k");
        t.failure("k");
        assertThat(t.blockedNanos("k")).isPositive();
        advance(Duration.ofSeconds(30));
        assertThat(t.blockedNanos("k")).isZero();
        t.failure("k");
        assertThat(t.blockedNanos("k")).as("one failure of a fresh budget").isZero();
        t.failure("k");
        assertThat(t.blockedNanos("k")).isPositive();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        FailureThrottle<String> t = throttle(3, Duration.ofSeconds(10), Duration.ofSeconds(30), 100);
        t.failure("k");
        t.failure("k");
        advance(Duration.ofSeconds(10));
        t.failure("k");
        t.failure("k");
        assertThat(t.blockedNanos("k")).as("two windows of two failures each").isZero();
        t.failure("k");
        assertThat(t.blockedNanos("k")).isPositive();
    }

    @Test
    void aLockoutOfCenturiesDoesNotWrapIntoThePast() {
        now.set(Long.MAX_VALUE - 1_000);
        FailureThrottle<String> t = throttle(1, Duration.ofDays(365 * 200), Duration.ofDays(365 * 200), 100);
        t.failure("k");
        assertThat(t.blockedNanos("k")).isPositive();
    }

    @Test
    void disabledCountsNothing() {
        FailureThrottle<String> t = new FailureThrottle<>(FailureThrottle.Settings.DISABLED, now::get);
        for (int i = 0; i < 1000; i++) {
            t.failure("k");
        }
        assertThat(t.blockedNanos("k")).isZero();
        assertThat(t.size()).isZero();
    }

    @Test
    void memoryIsBoundedByMaxEntriesAndByTime() {
        FailureThrottle<String> t = throttle(5, Duration.ofSeconds(10), Duration.ofSeconds(30), 100);
        for (int i = 0; i < 10_000; i++) {
            t.failure("name-" + i + "@10.0.0." + (i % 250));
        }
        assertThat(t.size()).isLessThanOrEqualTo(100);
        advance(Duration.ofSeconds(10));
        assertThat(t.size()).as("windows over: forgotten").isZero();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new FailureThrottle.Settings(true, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailureThrottle.Settings(true, 1, Duration.ZERO, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailureThrottle.Settings(true, 1, Duration.ofSeconds(1), Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailureThrottle.Settings(true, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
