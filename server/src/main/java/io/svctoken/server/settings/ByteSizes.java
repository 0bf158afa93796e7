package io.svctoken.server.settings;

import io.svctoken.server.ServerEsMessages;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Elasticsearch byte sizes: {@code 100mb}, {@code 16kb}, {@code 1.5gb}, {@code 512b} (units b, k/kb, m/mb, g/gb, t/tb, p/pb). */
public final class ByteSizes {

    /** Suffix and bytes per unit; two-letter suffixes first so that {@code kb} is not read as {@code b}. */
    private static final Object[][] UNITS = {
            {"kb", 1L << 10}, {"mb", 1L << 20}, {"gb", 1L << 30}, {"tb", 1L << 40}, {"pb", 1L << 50},
            {"k", 1L << 10}, {"m", 1L << 20}, {"g", 1L << 30}, {"t", 1L << 40}, {"p", 1L << 50}, {"b", 1L}};

    private ByteSizes() {
    }

    /** A size between {@code min} and {@code max} bytes, as an int (Netty's limits are ints). */
    public static int parseInt(String setting, String value, int min, int max) {
        long bytes = parse(setting, value);
        if (bytes < min || bytes > max) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(value, setting) + " must be between ["
                    + min + "b] and [" + max + "b]");
        }
        return (int) bytes;
    }

    public static long parse(String setting, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Object[] unit : UNITS) {
            String suffix = (String) unit[0];
            if (v.endsWith(suffix)) {
                String number = v.substring(0, v.length() - suffix.length()).trim();
                try {
                    BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf((Long) unit[1]));
                    if (bytes.signum() < 0) {
                        throw new SettingsException("failed to parse setting [" + setting + "] with value [" + value
                                + "] as a size in bytes: negative sizes are not supported");
                    }
                    return bytes.setScale(0, RoundingMode.DOWN).longValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new SettingsException("failed to parse setting [" + setting + "] with value [" + value + "] as a size in bytes", e);
                }
            }
        }
        if (v.equals("0")) {
            return 0;
        }
        throw new SettingsException("failed to parse setting [" + setting + "] with value [" + value
                + "] as a size in bytes: unit is missing or unrecognized");
    }
}
