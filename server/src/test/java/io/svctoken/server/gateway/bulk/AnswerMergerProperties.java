package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
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

import static io.svctoken.server.gateway.bulk.Bodies.text;
import static io.svctoken.server.gateway.bulk.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The streamed merge of an upstream answer, whatever its layout and however it is split, gives the answer the
 * whole-answer reference gives (the same bytes for a compact answer), with the upstream's entries byte for byte.
 */
class AnswerMergerProperties {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An upstream answer and the outcome of the request it answers. */
    record Case(String answer, List<String> entries, Outcome outcome, boolean compact) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> tricky = Arbitraries.strings().withChars("ab[]{}\",:\\ é☃").ofMaxLength(12).map(BulkStreamProperties::quote);
        Arbitrary<String> ws = Arbitraries.of("", "", " ", "\n  ");
        Arbitrary<String> entry = Combinators.combine(tricky, tricky, Arbitraries.integers().between(0, 999), ws).as((a, b, n, w) ->
                "{" + w + "\"index\":{\"_index\":" + a + "," + w + "\"_id\":" + b + ",\"n\":[" + n + ",{\"x\":" + a + "}],\"status\":201}" + w + "}");
        return Combinators.combine(entry.list().ofMaxSize(12), ws, Arbitraries.of(0, 1, 2), Arbitraries.integers().between(0, 4096),
                Arbitraries.of(true, false)).as((entries, w, flagAt, mask, errors) -> {
                    StringBuilder items = new StringBuilder("\"items\"" + w + ":" + w + "[" + w);
                    for (int i = 0; i < entries.size(); i++) {
                        items.append(i == 0 ? "" : "," + w).append(entries.get(i));
                    }
                    items.append(w).append("]");
                    String flag = "\"errors\"" + w + ":" + w + errors;
                    String took = "\"took\":" + w + "3,\"ingest\":{\"a\":[1,\"]\"]}";
                    String body = switch (flagAt) {
                        case 0 -> flag + "," + w + took + "," + w + items;
                        case 1 -> took + "," + items + "," + w + flag;
                        default -> took + "," + w + items;
                    };
                    // the denied items sit among the upstream's entries as the bits of mask say
                    List<Denial> denied = new ArrayList<>();
                    int position = 0;
                    int upstream = 0;
                    int bit = 0;
                    while (upstream < entries.size() || bit < 12) {
                        boolean deny = bit < 12 && (mask >> bit & 1) == 1;
                        if (deny) {
                            denied.add(new Denial(position++, bit % 2 == 0 ? "index" : "delete", "i" + bit, bit % 3 == 0 ? null : "d" + bit,
                                    "reason \"" + bit + "\" ☃"));
                        } else if (upstream < entries.size()) {
                            upstream++;
                            position++;
                        }
                        bit++;
                    }
                    return new Case("{" + w + body + w + "}", entries, new Outcome(position, denied), w.isEmpty());
                });
    }

    @Property(tries = 400)
    void aStreamedMergeIsTheWholeAnswersMerge(@ForAll("cases") Case c, @ForAll List<@IntRange(min = 0, max = 3000) Integer> cuts,
                                              @ForAll boolean direct) throws Exception {
        byte[] answer = utf8(c.answer());
        Bodies.Collected out = new Bodies.Collected();
        AnswerMerger merger = AnswerMerger.bulk(c.outcome(), out);
        for (ByteBuffer chunk : BulkStreamProperties.split(answer, cuts, direct)) {
            merger.feed(chunk);
        }
        merger.end();

        byte[] reference = ArrayMergeReference.merge(answer, "items", "errors", c.outcome(), BulkAnswer::deniedItem);
        assertThat(JSON.readTree(out.toByteArray())).isEqualTo(JSON.readTree(reference));
        if (c.compact()) {
            assertThat(out.text()).isEqualTo(text(reference));
        }
        for (String e : c.entries()) {
            assertThat(out.text()).contains(e);
        }
    }

    @Property(tries = 100)
    void anAnswerWithOtherEntriesThanForwardedItemsIsRefusedAtTheEnd(@ForAll("cases") Case c) {
        Outcome wrong = new Outcome(c.outcome().items() + 1, c.outcome().denied());
        AnswerMerger merger = AnswerMerger.bulk(wrong, new Bodies.Collected());
        merger.feed(ByteBuffer.wrap(utf8(c.answer())));
        assertThatThrownBy(merger::end).isInstanceOf(IllegalStateException.class);
    }
}
