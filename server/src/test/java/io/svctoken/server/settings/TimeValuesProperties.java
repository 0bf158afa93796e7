package io.svctoken.server.settings;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties of {@link TimeValues#parse}: Elasticsearch time values. */
class TimeValuesProperties {

    private static final String SETTING = "xpack.security.authc.service_token.cache.ttl";

    /** Every unit Elasticsearch's TimeValue knows, with its length. */
    record Unit(String suffix, ChronoUnit unit) {
        long maxAmount() {
            return Long.MAX_VALUE / unit.getDuration().toNanos();
        }
    }

    private static final List<Unit> UNITS = List.of(
            new Unit("nanos", ChronoUnit.NANOS),
            new Unit("micros", ChronoUnit.MICROS),
            new Unit("ms", ChronoUnit.MILLIS),
            new Unit("s", ChronoUnit.SECONDS),
            new Unit("m", ChronoUnit.MINUTES),
            new Unit("h", ChronoUnit.HOURS),
            new Unit("d", ChronoUnit.DAYS));

    record Sample(long amount, Unit unit) {
    }

    @Provide
    Arbitrary<Sample> samples() {
        return Arbitraries.of(UNITS).flatMap(u -> Arbitraries.oneOf(
                        Arbitraries.longs().between(0, 1000),
                        Arbitraries.longs().between(0, u.maxAmount()))
                .map(n -> new Sample(n, u)));
    }

    @Property
    void amountAndUnitParseToTheRightDuration(@ForAll("samples") Sample s) {
        Duration d = TimeValues.parse(SETTING, s.amount() + s.unit().suffix());
        assertThat(d).isEqualTo(Duration.of(s.amount(), s.unit().unit()));
    }

    @Property
    void caseAndSurroundingBlanksDoNotMatter(@ForAll("samples") Sample s, @ForAll boolean upper,
                                             @ForAll("blanks") String before, @ForAll("blanks") String after) {
        String unit = upper ? s.unit().suffix().toUpperCase(Locale.ROOT) : s.unit().suffix();
        Duration d = TimeValues.parse(SETTING, before + s.amount() + unit + after);
        assertThat(d).isEqualTo(Duration.of(s.amount(), s.unit().unit()));
    }

    @Provide
    Arbitrary<String> blanks() {
        return Arbitraries.strings().withChars(' ', '\t').ofMaxLength(3);
    }

    @Property
    void everyUnitIsRecognised(@ForAll("units") Unit unit, @ForAll @LongRange(min = 1, max = 100) long n) {
        assertThat(TimeValues.parse(SETTING, n + unit.suffix()).toNanos()).isEqualTo(n * unit.unit().getDuration().toNanos());
    }

    @Provide
    Arbitrary<Unit> units() {
        return Arbitraries.of(UNITS);
    }

    @Property(tries = 2000)
    void arbitraryStringsEitherParseOrThrowSettingsExceptionNamingTheSetting(@ForAll("junk") String value) {
        try {
            Duration d = TimeValues.parse(SETTING, value);
            assertThat(d).isNotNull();
        } catch (SettingsException e) {
            assertThat(e.getMessage()).contains("[" + SETTING + "]").contains("[" + value + "]");
        }
        // anything else (NumberFormatException, ArithmeticException, StringIndexOutOfBounds...) fails the property
    }

    /** Random text, and near-misses: numbers with wrong, partial or doubled units, signs, overflow. */
    @Provide
    Arbitrary<String> junk() {
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(20);
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.strings().withChars("0123456789-+.eE ").ofMaxLength(25),
                Arbitraries.of("", "-", "+", "0", "-1", "00", "9223372036854775807", "9223372036854775808", "-9223372036854775808"));
        Arbitrary<String> unit = Arbitraries.oneOf(
                Arbitraries.of("nanos", "micros", "ms", "s", "m", "h", "d", "", "x", "min", "sec", "mss", "nano", "micro", "dd",
                        "S", "MS", "NANOS", "w", "y"),
                Arbitraries.strings().ofMaxLength(4));
        Arbitrary<String> nearMiss = Combinators.combine(number, unit).as((n, u) -> n + u);
        return Arbitraries.oneOf(anything, nearMiss);
    }

    @Property
    void overflowIsASettingsException(@ForAll("units") Unit unit) {
        if (unit.unit() == ChronoUnit.NANOS) {
            return; // every long fits
        }
        String value = (unit.maxAmount() + 1) + unit.suffix();
        assertThatThrownBy(() -> TimeValues.parse(SETTING, value)).isInstanceOf(SettingsException.class).hasMessageContaining(SETTING);
    }

    @Example
    void zeroAndMinusOneNeedNoUnit() {
        assertThat(TimeValues.parse(SETTING, "0")).isZero();
        assertThat(TimeValues.parse(SETTING, "-1")).isEqualTo(Duration.ofMillis(-1));
    }

    @Example
    void aNumberWithoutUnitOtherThanZeroOrMinusOneIsRejected() {
        assertThatThrownBy(() -> TimeValues.parse(SETTING, "20"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("failed to parse setting [" + SETTING + "] with value [20] as a time value: unit is missing or unrecognized");
    }
}
