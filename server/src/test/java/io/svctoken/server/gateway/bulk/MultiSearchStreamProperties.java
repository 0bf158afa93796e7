package io.svctoken.server.gateway.bulk;

import io.svctoken.server.http.EsException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static io.svctoken.server.gateway.bulk.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generated {@code _msearch} bodies: any split forwards exactly the allowed searches' lines and records the same items. */
class MultiSearchStreamProperties {

    private static final BiFunction<String, String, String> CHECK = (op, index) -> index.contains("secret") ? "no " + index : null;

    record Search(String lines, String targets) {
    }

    @Provide
    Arbitrary<List<Search>> bodies() {
        Arbitrary<String> header = Arbitraries.of("", "{}", "{\"index\":\"logs\"}", "{\"index\":\"secret\"}", "{\"index\":[\"logs\",\"secret\"]}",
                "{\"indices\":\"a,b\",\"ignore_unavailable\":true}", "{\"preference\":\"_local\"}", " {\"index\" : \"é☃\"} ");
        Arbitrary<String> body = Arbitraries.strings().withChars("ab\"\\é{}:, ").ofMaxLength(20)
                .map(s -> "{\"query\":{\"term\":{\"f\":" + BulkStreamProperties.quote(s) + "}}}");
        Arbitrary<String> eol = Arbitraries.of("\n", "\r\n");
        return Combinators.combine(header, body, eol).as((h, b, e) -> {
            String targets = h.isBlank() || h.equals("{}") || h.contains("preference") ? "path" : h.contains("[")
                    ? "logs,secret" : h.contains("indices") ? "a,b" : h.contains("é") ? "é☃" : h.contains("secret") ? "secret" : "logs";
            return new Search(h + e + b + e, targets);
        }).list().ofMaxSize(20);
    }

    @Property(tries = 300)
    void anySplitForwardsTheAllowedSearches(@ForAll("bodies") List<Search> searches,
                                            @ForAll List<@IntRange(min = 0, max = 3000) Integer> cuts, @ForAll boolean direct) {
        StringBuilder body = new StringBuilder();
        searches.forEach(s -> body.append(s.lines()));
        Bodies.Collected forwarded = new Bodies.Collected();
        MultiSearchStream stream = new MultiSearchStream("path", CHECK, forwarded);
        for (ByteBuffer chunk : BulkStreamProperties.split(utf8(body.toString()), cuts, direct)) {
            stream.feed(chunk);
        }
        if (searches.isEmpty()) {
            assertThatThrownBy(stream::end).isInstanceOf(EsException.class);
            return;
        }
        Outcome outcome = stream.end();

        StringBuilder expected = new StringBuilder();
        List<Denial> denials = new ArrayList<>();
        for (int i = 0; i < searches.size(); i++) {
            Search s = searches.get(i);
            String reason = CHECK.apply("search", s.targets());
            if (reason == null) {
                expected.append(s.lines());
            } else {
                denials.add(new Denial(i, "search", s.targets(), null, reason));
            }
        }
        assertThat(forwarded.text()).isEqualTo(expected.toString());
        assertThat(outcome.items()).isEqualTo(searches.size());
        assertThat(outcome.denied()).isEqualTo(denials);
    }
}
