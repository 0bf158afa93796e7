package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.server.http.EsException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import static io.svctoken.server.gateway.bulk.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Generated {@code _bulk} bodies: whatever the split into chunks (and whatever kind of buffer carries them), the
 * forwarded bytes are exactly the allowed items' lines and the recorded items are the body's.
 */
class BulkStreamProperties {

    private static final Set<String> DENIED = Set.of("secret", "other-1");
    /** Denies by index, and every delete. */
    private static final BiFunction<String, String, String> CHECK = (op, index) ->
            DENIED.contains(index) || op.equals("delete") ? "no " + op + " on " + index : null;

    /** One generated item (or blank line) with what the reader must make of it. */
    record Item(String lines, String op, String index, String id, boolean blank) {
        boolean denied() {
            return !blank && CHECK.apply(op, index) != null;
        }
    }

    record Body(List<Item> items, String defaultIndex) {
        byte[] bytes() {
            StringBuilder sb = new StringBuilder();
            items.forEach(i -> sb.append(i.lines()));
            return utf8(sb.toString());
        }
    }

    @Provide
    public Arbitrary<Body> bodies() {
        Arbitrary<String> index = Arbitraries.of("app-1", "logs", "secret", "other-1", "ünï-☃");
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.just((String) null), Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(6));
        Arbitrary<String> eol = Arbitraries.of("\n", "\r\n");
        Arbitrary<String> source = Arbitraries.strings().withChars("ab\"\\é☃ {}:,").ofMaxLength(30)
                .map(s -> "{\"f\":" + quote(s) + "}");
        Arbitrary<String> op = Arbitraries.of("index", "create", "update", "delete", "index+create");
        Arbitrary<Boolean> explicitIndex = Arbitraries.of(true, true, false);
        Arbitrary<Item> item = Combinators.combine(op, index, id, eol, source, explicitIndex).as((o, ix, i, e, s, explicit) -> {
            String action = o.equals("index+create") ? "index" : o;
            String effectiveId = (o.equals("update") || o.equals("delete")) && i == null ? "x" : i;
            StringBuilder meta = new StringBuilder();
            if (explicit) {
                meta.append("\"_index\":").append(quote(ix));
            }
            if (effectiveId != null) {
                meta.append(meta.length() > 0 ? "," : "").append("\"_id\":").append(quote(effectiveId));
            }
            if (o.equals("index+create")) {
                meta.append(meta.length() > 0 ? "," : "").append("\"op_type\":\"create\"");
            }
            String line = "{" + quote(action) + ":{" + meta + "}}" + e;
            String lines = action.equals("delete") ? line : line + s + e;
            String opName = o.equals("index+create") ? "create" : o;
            return new Item(lines, opName, explicit ? ix : "logs", effectiveId, false);
        });
        Arbitrary<Item> blank = Arbitraries.of("\n", "  \n", "\r\n", "// note\n").map(l -> new Item(l, null, null, null, true));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, item), net.jqwik.api.Tuple.of(1, blank))
                .list().ofMaxSize(25).map(items -> new Body(items, "logs"));
    }

    @Property(tries = 300)
    void anySplitForwardsTheAllowedLinesAndRecordsTheItems(@ForAll("bodies") Body body,
                                                            @ForAll List<@net.jqwik.api.constraints.IntRange(min = 0, max = 4000) Integer> cuts,
                                                            @ForAll boolean direct) {
        byte[] bytes = body.bytes();
        Bodies.Collected forwarded = new Bodies.Collected();
        BulkStream stream = new BulkStream(body.defaultIndex(), CHECK, forwarded);
        for (ByteBuffer chunk : split(bytes, cuts, direct)) {
            int position = chunk.position();
            stream.feed(chunk);
            assertThat(chunk.position()).isEqualTo(position);
        }
        if (body.items().stream().allMatch(Item::blank)) {
            assertThatThrownBy(stream::end).isInstanceOf(EsException.class); // no requests added (or no body)
            assertThat(forwarded.calls).isZero();
            return;
        }
        Outcome outcome = stream.end();

        StringBuilder expected = new StringBuilder();
        List<Denial> denials = new ArrayList<>();
        int position = 0;
        for (Item i : body.items()) {
            if (i.blank()) {
                continue; // skipped, as Elasticsearch skips it
            }
            if (i.denied()) {
                denials.add(new Denial(position, i.op(), i.index(), i.id(), CHECK.apply(i.op(), i.index())));
            } else {
                expected.append(i.lines());
            }
            position++;
        }
        assertThat(forwarded.text()).isEqualTo(expected.toString());
        assertThat(outcome.items()).isEqualTo(position);
        assertThat(outcome.denied()).isEqualTo(denials);
        assertThat(stream.forwardedBytes()).isEqualTo(forwarded.bytes.size());
    }

    @Property(tries = 200)
    void theMergedAnswerHasEveryItemAtItsPlace(@ForAll("bodies") Body body) throws Exception {
        if (body.items().stream().allMatch(Item::blank)) {
            return; // refused, see above
        }
        BulkStream stream = new BulkStream(body.defaultIndex(), CHECK, new Bodies.Collected());
        stream.feed(body.bytes());
        Outcome outcome = stream.end();
        if (outcome.forwarded() == 0) {
            return; // answered locally, not merged
        }
        StringBuilder upstream = new StringBuilder("{\"errors\":false,\"took\":3,\"ingest_took\":0,\"items\":[");
        for (int i = 0; i < outcome.forwarded(); i++) {
            upstream.append(i == 0 ? "" : ",").append("{\"index\":{\"_index\":\"u\",\"_id\":\"").append(i).append("\",\"status\":201}}");
        }
        upstream.append("]}");
        JsonNode merged = new ObjectMapper().readTree(BulkAnswer.merge(utf8(upstream.toString()), outcome));

        assertThat(merged.get("items").size()).isEqualTo(outcome.items());
        assertThat(merged.get("errors").asBoolean()).isEqualTo(!outcome.denied().isEmpty());
        assertThat(merged.get("took").asInt()).isEqualTo(3);
        int fromUpstream = 0;
        for (int p = 0; p < outcome.items(); p++) {
            JsonNode item = merged.get("items").get(p);
            final int at = p;
            Denial d = outcome.denied().stream().filter(x -> x.position() == at).findFirst().orElse(null);
            if (d == null) {
                assertThat(item.get("index").get("_id").asText()).isEqualTo(String.valueOf(fromUpstream++));
            } else {
                JsonNode inner = item.get(d.op());
                assertThat(inner.get("status").asInt()).isEqualTo(403);
                assertThat(inner.get("_index").asText()).isEqualTo(d.index());
                assertThat(inner.get("error").get("reason").asText()).isEqualTo(d.reason());
            }
        }
    }

    /** The body cut at the given offsets, each piece in a heap buffer with an offset and position, or in a direct one. */
    static List<ByteBuffer> split(byte[] bytes, List<Integer> cuts, boolean direct) {
        List<Integer> points = new ArrayList<>();
        for (Integer c : cuts) {
            if (bytes.length > 0) {
                points.add(c % (bytes.length + 1));
            }
        }
        points.add(0);
        points.add(bytes.length);
        points.sort(null);
        List<ByteBuffer> chunks = new ArrayList<>();
        for (int k = 0; k + 1 < points.size(); k++) {
            int from = points.get(k);
            int to = points.get(k + 1);
            ByteBuffer b;
            if (direct) {
                b = ByteBuffer.allocateDirect(to - from);
                b.put(bytes, from, to - from).flip();
            } else {
                ByteArrayOutputStream padded = new ByteArrayOutputStream();
                padded.writeBytes(new byte[] {'\n', 'x', '\n'});
                padded.write(bytes, from, to - from);
                padded.writeBytes(new byte[] {'\n', 'y'});
                b = ByteBuffer.wrap(padded.toByteArray(), 1, to - from + 2).slice(); // array offset 1
                b.position(2).limit(2 + to - from);
            }
            chunks.add(b);
        }
        return chunks;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
