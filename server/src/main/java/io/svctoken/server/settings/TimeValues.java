package io.svctoken.server.settings;

import java.time.Duration;
import java.util.Locale;

/** Elasticsearch time values: {@code 20m}, {@code 30s}, {@code 500ms}, {@code 1h}, {@code 2d}, or {@code 0} / {@code -1}. */
public final class TimeValues {

    /** Suffix and nanoseconds per unit; longer suffixes that end like shorter ones come first. */
    private static final Object[][] UNITS = {
            {"nanos", 1L}, {"micros", 1_000L}, {"ms", 1_000_000L}, {"s", 1_000_000_000L},
            {"m", 60_000_000_000L}, {"h", 3_600_000_000_000L}, {"d", 86_400_000_000_000L}};

    private TimeValues() {
    }

    public static Duration parse(String setting, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("0") || v.equals("-1")) {
            return Duration.ofMillis(Long.parseLong(v));
        }
        for (Object[] unit : UNITS) {
            String suffix = (String) unit[0];
            if (v.endsWith(suffix)) {
                String number = v.substring(0, v.length() - suffix.length()).trim();
                try {
                    long n = Long.parseLong(number);
                    if (n < 0) {
                        throw new SettingsException("failed to parse setting [" + setting + "] with value [" + value
                                + "] as a time value: negative durations are not supported");
                    }
                    return Duration.ofNanos(Math.multiplyExact(n, (Long) unit[1]));
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new SettingsException("failed to parse setting [" + setting + "] with value [" + value + "] as a time value", e);
                }
            }
        }
        throw new SettingsException("failed to parse setting [" + setting + "] with value [" + value
                + "] as a time value: unit is missing or unrecognized");
    }
}
