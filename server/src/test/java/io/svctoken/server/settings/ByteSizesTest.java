package io.svctoken.server.settings;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizesTest {

    @ParameterizedTest
    @CsvSource({"100mb,104857600", "100MB,104857600", "16kb,16384", "16k,16384", "512b,512", "1gb,1073741824", "1.5mb,1572864",
            "' 4kb ',4096", "0,0", "0b,0", "2t,2199023255552", "1pb,1125899906842624"})
    void elasticsearchUnits(String value, long bytes) {
        assertThat(ByteSizes.parse("s", value)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "100 | failed to parse setting [s] with value [100] as a size in bytes: unit is missing or unrecognized",
        "10xb | failed to parse setting [s] with value [10xb] as a size in bytes",
        "-1mb | failed to parse setting [s] with value [-1mb] as a size in bytes: negative sizes are not supported",
        "mb | failed to parse setting [s] with value [mb] as a size in bytes",
        "99999999pb | failed to parse setting [s] with value [99999999pb] as a size in bytes"})
    void badSizesNameTheSetting(String value, String message) {
        assertThatThrownBy(() -> ByteSizes.parse("s", value)).isInstanceOf(SettingsException.class).hasMessageStartingWith(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"3gb | Failed to parse value [3gb] for setting [s] must be between [0b] and [2147483647b]"})
    void intSizesAreBounded(String value, String message) {
        assertThatThrownBy(() -> ByteSizes.parseInt("s", value, 0, Integer.MAX_VALUE)).hasMessage(message);
    }

    @Property
    void anyCountOfAnyUnitParsesToItsBytes(@ForAll @IntRange(min = 0, max = 1_000_000) int n,
                                           @ForAll("units") String unit) {
        long per = switch (unit) {
            case "b" -> 1L;
            case "k", "kb" -> 1L << 10;
            case "m", "mb" -> 1L << 20;
            default -> 1L << 30;
        };
        assertThat(ByteSizes.parse("s", n + unit)).isEqualTo(n * per);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> units() {
        return net.jqwik.api.Arbitraries.of("b", "k", "kb", "m", "mb", "g", "gb");
    }

    @Property
    void anyTextGivesBytesOrASettingsError(@ForAll @StringLength(max = 12) String value) {
        try {
            assertThat(ByteSizes.parse("s", value)).isNotNegative();
        } catch (SettingsException expected) {
            assertThat(expected.getMessage()).startsWith("failed to parse setting [s] with value [" + value + "]");
        }
    }
}
