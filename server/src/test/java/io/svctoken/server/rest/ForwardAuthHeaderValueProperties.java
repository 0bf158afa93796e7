package io.svctoken.server.rest;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A principal's name as a forward-auth header value: never a character that could split or corrupt a header. */
class ForwardAuthHeaderValueProperties {

    @Property
    void anyNameBecomesPrintableAsciiThatDecodesBack(@ForAll String name) {
        String v = ForwardAuthEndpoints.headerValue(name);
        assertThat(v.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        if (!name.contains("+") && isWellFormed(name)) {
            assertThat(URLDecoder.decode(v, StandardCharsets.UTF_8)).isEqualTo(name);
        }
    }

    @Property
    void printableNamesWithoutPercentAreUnchanged(@ForAll("printable") String name) {
        assertThat(ForwardAuthEndpoints.headerValue(name)).isEqualTo(name);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> printable() {
        return net.jqwik.api.Arbitraries.strings().withCharRange(' ', '~').filter(s -> !s.contains("%"));
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
