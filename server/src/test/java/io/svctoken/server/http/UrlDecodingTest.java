package io.svctoken.server.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Elasticsearch's URI rules: where the path ends, how the query splits, what an escape means. */
class UrlDecodingTest {

    @Test
    void thePathEndsAtTheQueryOrElseAtAFragment() {
        assertThat(UrlDecoding.rawPath("/a/b?c=d#e")).isEqualTo("/a/b");
        assertThat(UrlDecoding.rawPath("/a#b?c")).isEqualTo("/a#b");
        assertThat(UrlDecoding.rawPath("/a#b")).isEqualTo("/a");
        assertThat(UrlDecoding.rawPath("/a%zz")).as("not decoded").isEqualTo("/a%zz");
    }

    @Test
    void theQuerySplitsAtAmpersandsAndSemicolonsUpToAFragment() {
        assertThat(UrlDecoding.queryParams("/x?a=1&b;c=3&a=4#d=5&%")).isEqualTo(Map.of("a", "4", "b", "", "c", "3"));
        assertThat(UrlDecoding.queryParams("/x?=v&e=&&f=g=h")).isEqualTo(Map.of("v", "", "e", "", "f", "g=h"));
        assertThat(UrlDecoding.queryParams("/x?")).isEmpty();
        assertThat(UrlDecoding.queryParams("/x%zz")).isEmpty();
    }

    @Test
    void escapesPlusAndPercentPercent() {
        assertThat(UrlDecoding.queryParams("/x?a+b=c+d%2B%25%%")).isEqualTo(Map.of("a b", "c d+%%"));
        assertThat(UrlDecoding.pathComponent("a+b%2f%C3%A9")).isEqualTo("a+b/\u00e9");
        assertThat(UrlDecoding.pathComponent("%%")).isEqualTo("%");
    }

    @Test
    void malformedEscapesAreElasticsearchsErrors() {
        assertThatThrownBy(() -> UrlDecoding.pathComponent("ab%")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated escape sequence at end of string: ab%");
        assertThatThrownBy(() -> UrlDecoding.pathComponent("ab%f")).hasMessage("partial escape sequence at end of string: ab%f");
        assertThatThrownBy(() -> UrlDecoding.pathComponent("a%g1b")).hasMessage("invalid escape sequence `%g1' at index 1 of: a%g1b");
        assertThatThrownBy(() -> UrlDecoding.pathComponent("%1\u00e9")).hasMessage("invalid escape sequence `%1\u00e9' at index 0 of: %1\u00e9");
        assertThatThrownBy(() -> UrlDecoding.queryParams("/x?ok=1&v=%%%")).hasMessage("unterminated escape sequence at end of string: %%%");
    }

    @Property
    void whatAFormEncoderEncodesDecodesBack(@ForAll String name, @ForAll String value) {
        String n = name.isEmpty() ? "n" : name;
        String uri = "/p?" + URLEncoder.encode(n, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        // a lone surrogate cannot be encoded: the encoder writes '?' for it, as the decoder then reads it back
        String expectedName = new String(n.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        String expectedValue = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(UrlDecoding.queryParams(uri)).containsExactly(Map.entry(expectedName, expectedValue));
    }
}
