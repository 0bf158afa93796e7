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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link JsonBody}, the rule every request body follows, over generated bodies (issue #12 items 4 and 8). */
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

    @Property
    void anythingButWhiteSpaceAfterTheRootIsRefused(@ForAll("bodies") ObjectNode body, @ForAll("trailers") String trailer,
                                                    @ForAll("spaces") String space) {
        byte[] text = (render(body, null, null, null) + space + trailer).getBytes(StandardCharsets.UTF_8);
        EsException e = refusal(text);
        if (NOT_A_TOKEN.contains(trailer)) {
            assertThat(e.type()).isEqualTo("x_content_parse_exception");
        } else {
            assertThat(e.type()).isEqualTo("parsing_exception");
            assertThat(e.getMessage()).matches("Unexpected token \\[(START_OBJECT|START_ARRAY|VALUE_STRING|VALUE_NUMBER|VALUE_BOOLEAN"
                    + "|VALUE_NULL)\\] found after the main object\\.");
            assertThat(e.numericMetadata()).containsOnlyKeys("line", "col");
        }
    }

    @Provide
    Arbitrary<String> trailers() {
        return Arbitraries.oneOf(
                bodies().map(o -> render(o, null, null, null)),
                scalars().map(JsonNode::toString),
                Arbitraries.of("[]", "[1,2]", "{}}"),
                Arbitraries.of(NOT_A_TOKEN));
    }

    /** Text that Jackson cannot read as a token at all. */
    private static final List<String> NOT_A_TOKEN = List.of("xyz", "garbage", "nul", "}", "]", ",", ":");

    @Provide
    Arbitrary<String> spaces() {
        return Arbitraries.strings().withChars(' ', '\n', '\t', '\r').ofMaxLength(3);
    }

    @Property
    void invalidUtf8InAnyStringIsRefused(@ForAll("bodies") ObjectNode body, @ForAll("badUtf8") byte[] bad,
                                         @ForAll @IntRange(min = 0, max = 1000) int where) {
        // a string field at the root: the splice point is inside its quotes
        body.put("s", "ab");
        byte[] text = render(body, null, null, null).getBytes(StandardCharsets.UTF_8);
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("\"s\":\"ab\"") + 5 + where % 3;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text, 0, at);
        out.writeBytes(bad);
        out.write(text, at, text.length - at);
        EsException e = refusal(out.toByteArray());
        assertThat(e.type()).isEqualTo("x_content_parse_exception");
        assertThat(e.getMessage()).matches("\\[1:\\d+\\] Invalid UTF-8 .*");
    }

    @Provide
    Arbitrary<byte[]> badUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xE2, 0x28, (byte) 0xA1},
                new byte[] {(byte) 0xF0, (byte) 0x90, 0x28, (byte) 0xBC}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0xBF});
    }

    @Property(tries = 2000)
    void anyBytesAreReadOrRefusedWith400(@ForAll byte[] body) {
        try {
            JsonBody.read(body);
        } catch (EsException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isIn("x_content_parse_exception", "x_content_e_o_f_exception", "parsing_exception");
        }
    }
}
