package io.svctoken.server.settings;

import io.svctoken.server.ServerEsMessages;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties of the parsers the declarations share: booleans, integers in a range, time values, byte sizes. */
class SettingParsersProperties {

    private static final String KEY = "some.setting";

    @Property
    void onlyTrueAndFalseAreBooleans(@ForAll("booleanish") String v) {
        if (v.equals("true") || v.equals("false")) {
            assertThat(Setting.parseBoolean(KEY, v)).isEqualTo(Boolean.valueOf(v));
        } else {
            assertThatThrownBy(() -> Setting.parseBoolean(KEY, v)).isInstanceOf(SettingsException.class)
                    .hasMessage(ServerEsMessages.notABooleanSetting(v, KEY));
        }
    }

    @Provide
    Arbitrary<String> booleanish() {
        return Arbitraries.oneOf(Arbitraries.of("true", "false", "TRUE", "False", " true", "true ", "yes", "1", "0", "on", ""),
                Arbitraries.strings().ofMaxLength(6));
    }

    @Property
    void integersInsideTheRangeParseAndOthersNameTheBounds(@ForAll int i, @ForAll @IntRange(min = -100, max = 100) int min,
                                                           @ForAll @IntRange(min = 0, max = 1000) int width) {
        int max = min + width;
        String v = " " + i + " ";
        if (i >= min && i <= max) {
            assertThat(Setting.parseInt(KEY, v, min, max)).isEqualTo(i);
        } else {
            assertThatThrownBy(() -> Setting.parseInt(KEY, v, min, max)).isInstanceOf(SettingsException.class)
                    .hasMessage(ServerEsMessages.failedToParseSetting(v, KEY) + " must be between " + min + " and " + max);
        }
    }

    @Property
    void positiveTimesAreLongerThanZero(@ForAll @LongRange(min = 0, max = 1_000_000) long ms) {
        String v = ms + "ms";
        if (ms > 0) {
            assertThat(Setting.parsePositiveTime(KEY, v)).isEqualTo(Duration.ofMillis(ms));
        } else {
            assertThatThrownBy(() -> Setting.parsePositiveTime(KEY, v)).hasMessage(ServerEsMessages.failedToParseSetting(v, KEY)
                    + " must be longer than 0");
        }
        assertThat(Setting.time(KEY, null).parse(v)).isEqualTo(TimeValues.parse(KEY, v));
    }

    @Property
    void byteSizeSettingsAreTheByteSizesParserWithBounds(@ForAll @IntRange(min = 0, max = 1 << 20) int kb) {
        Setting<Integer> s = Setting.byteSize(KEY, null, 1024, Integer.MAX_VALUE);
        String v = kb + "kb";
        if (kb >= 1) {
            assertThat(s.parse(v)).isEqualTo(kb * 1024);
        } else {
            assertThatThrownBy(() -> s.parse(v)).hasMessage(ServerEsMessages.failedToParseSetting(v, KEY) + " must be between [1024b] and ["
                    + Integer.MAX_VALUE + "b]");
        }
    }
}
