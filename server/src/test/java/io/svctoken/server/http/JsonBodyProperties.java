package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link JsonBody}, the rule every request body follows, over generated bodies (issue #12 item 4). */
class JsonBodyProperties {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<ObjectNode> bodies() {
        return objects(3);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('a', 'e').withChars('_', 'é', '日').ofMinLength(1).ofMaxLength(4);
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(
                // any text but lone surrogates (not representable in UTF-8)
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFD')
                        .ofMaxLength(6).map(t -> t + "\uD83D\uDE00").map(F::textNode),
                Arbitraries.integers().map(F::numberNode),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.just(F.nullNode()));
    }

    private static Arbitrary<JsonNode> values(int depth) {
        if (depth == 0) {
            return scalars();
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalars()),
                Tuple.of(2, objects(depth - 1).map(o -> (JsonNode) o)),
                Tuple.of(1, Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(3).map(l -> {
                    ArrayNode a = F.arrayNode();
                    l.forEach(a::add);
                    return a;
                })));
    }

    private static Arbitrary<ObjectNode> objects(int depth) {
        return Arbitraries.maps(keys(), Arbitraries.lazy(() -> values(depth))).ofMaxSize(4).map(m -> {
            ObjectNode o = F.objectNode();
            m.forEach(o::set);
            return o;
        });
    }

    // ------------------------------------------------------------------ JSON text, with one key repeated on request

    /** Every object of the tree, root first, in document order. */
    private static List<ObjectNode> objectsOf(JsonNode n, List<ObjectNode> out) {
        if (n.isObject()) {
            out.add((ObjectNode) n);
        }
        n.forEach(c -> objectsOf(c, out));
        return out;
    }

    /** {@code n} as JSON text; the object {@code dupIn} (if any) gets {@code "dupKey": dupValue} once more at its end. */
    private static String render(JsonNode n, ObjectNode dupIn, String dupKey, JsonNode dupValue) {
        StringBuilder sb = new StringBuilder();
        render(n, dupIn, dupKey, dupValue, sb);
        return sb.toString();
    }

    private static void render(JsonNode n, ObjectNode dupIn, String dupKey, JsonNode dupValue, StringBuilder sb) {
        if (n.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(first ? "" : ",").append(F.textNode(e.getKey())).append(':');
                render(e.getValue(), dupIn, dupKey, dupValue, sb);
                first = false;
            }
            if (n == dupIn) {
                sb.append(first ? "" : ",").append(F.textNode(dupKey)).append(':').append(dupValue);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                render(n.get(i), dupIn, dupKey, dupValue, sb);
            }
            sb.append(']');
        } else {
            sb.append(n);
        }
    }

    private static EsException refusal(byte[] body) {
        EsException e = catchThrowableOfType(EsException.class, () -> JsonBody.read(body));
        assertThat(e).as(new String(body, StandardCharsets.UTF_8)).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e;
    }

    // ------------------------------------------------------------------ properties

    @Property
    void aBodyWithoutRepeatedKeysReadsBackAsItIs(@ForAll("bodies") ObjectNode body) {
        assertThat(JsonBody.read(render(body, null, null, null).getBytes(StandardCharsets.UTF_8))).isEqualTo(body);
    }

    @Property
    void aKeyRepeatedInAnyObjectIsRefused(@ForAll("bodies") ObjectNode body, @ForAll @IntRange(min = 0, max = 1000) int whichObject,
                                          @ForAll @IntRange(min = 0, max = 1000) int whichKey, @ForAll("keysForEmpty") String newKey) {
        List<ObjectNode> all = objectsOf(body, new ArrayList<>());
        ObjectNode target = all.get(whichObject % all.size());
        String key;
        if (target.isEmpty()) {
            // an empty object gets its key twice
            target.put(newKey, 1);
            key = newKey;
        } else {
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            key = names.get(whichKey % names.size());
        }
        EsException e = refusal(render(body, target, key, F.numberNode(2)).getBytes(StandardCharsets.UTF_8));
        assertThat(e.type()).isEqualTo("x_content_parse_exception");
        assertThat(e.getMessage()).matches("\\[1:\\d+\\] Duplicate field '\\Q" + key + "\\E'");
        assertThat(e.rootCause()).isSameAs(e);
        assertThat(((EsException) e.getCause()).type()).isEqualTo("json_parse_exception");
        assertThat(e.getCause().getMessage()).isEqualTo("Duplicate field '" + key + "'");
    }

    @Provide
    Arbitrary<String> keysForEmpty() {
        return keys();
    }

    @Property(tries = 2000)
    void anyBytesAreReadOrRefusedWith400(@ForAll byte[] body) {
        try {
            JsonBody.read(body);
        } catch (EsException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isIn("x_content_parse_exception", "x_content_e_o_f_exception");
        }
    }
}
