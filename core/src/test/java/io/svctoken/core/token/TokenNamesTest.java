package io.svctoken.core.token;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenNamesTest {

    private static final Pattern ES_RULE = Pattern.compile("^[a-zA-Z0-9-][a-zA-Z0-9_-]{0,255}$");

    @ParameterizedTest
    @ValueSource(strings = {"a", "token1", "-x", "my_token", "0", "A-b_C"})
    void valid(String name) {
        assertThat(TokenNames.isValid(name)).isTrue();
        assertThat(TokenNames.validate(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "_x", "a b", "a.b", "a/b", "a:b", "é", "tok*"})
    void invalid(String name) {
        assertThat(TokenNames.isValid(name)).isFalse();
    }

    @Test
    void lengthLimits() {
        assertThat(TokenNames.isValid("a".repeat(256))).isTrue();
        assertThat(TokenNames.isValid("a".repeat(257))).isFalse();
        assertThat(TokenNames.isValid(null)).isFalse();
    }

    @Test
    void exactMessage() {
        assertThatThrownBy(() -> TokenNames.validate("_bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid service token name [_bad]. service account token name must have at least 1 character"
                        + " and at most 256 characters that are alphanumeric (A-Z, a-z, 0-9) or hyphen (-) or underscore (_)."
                        + " It must not begin with an underscore (_).");
    }

    @Property
    void agreesWithTheElasticsearchRegex(@ForAll @StringLength(max = 300) String s) {
        assertThat(TokenNames.isValid(s)).isEqualTo(ES_RULE.matcher(s).matches());
    }

    @Property
    void agreesWithTheRegexOnNameLikeStrings(@ForAll("nameLike") String s) {
        assertThat(TokenNames.isValid(s)).isEqualTo(ES_RULE.matcher(s).matches());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> nameLike() {
        return net.jqwik.api.Arbitraries.strings().withChars("aZ09-_.é ").ofMinLength(0).ofMaxLength(260);
    }
}
