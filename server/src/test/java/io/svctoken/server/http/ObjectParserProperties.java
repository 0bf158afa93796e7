package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.text.Levenshtein;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link ObjectParser}: declared fields read in body order, Elasticsearch's errors for unknown fields and wrong types. */
class ObjectParserProperties {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> DECLARED = List.of("name", "realm_name", "username", "owner", "ids");
    private static final Pattern AT = Pattern.compile("^\\[1:(\\d+)] (.*)$");

    /** Reads every declared field as a string, in the order met. */
    private static ObjectParser<Map<String, String>> strings(ObjectParser.Errors errors) {
        ObjectParser<Map<String, String>> p = new ObjectParser<>(errors, LinkedHashMap::new);
        for (String f : DECLARED) {
            p.declare(f, (m, v) -> m.put(v.field(), v.string()));
        }
        return p;
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.of(DECLARED), Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(9));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '日', '\u0000', '\n').ofMaxLength(12);
    }

    @Provide
    Arbitrary<JsonNode> nonStrings() {
        return Arbitraries.of(F.numberNode(1), F.numberNode(2.5), F.booleanNode(true), F.booleanNode(false), F.nullNode(),
                F.objectNode(), F.arrayNode().add("x"));
    }

    // shrinking off: jqwik's string shrinker fails (a ClassCastException) on a oneOf of fixed and generated strings
    @Property(shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void declaredFieldsAreReadInBodyOrderAndTheFirstUnknownOneIsTheError(@ForAll @Size(max = 5) List<@net.jqwik.api.From("keys") String> keys,
                                                                        @ForAll("texts") String value) {
        ObjectNode body = F.objectNode();
        keys.forEach(k -> body.put(k, value));
        byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
        String firstUnknown = null;
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!DECLARED.contains(k)) {
                firstUnknown = k;
                break;
            }
        }
        ObjectParser<Map<String, String>> parser = strings(ObjectParser.Errors.objectParser("p"));
        if (firstUnknown == null) {
            Map<String, String> read = parser.parse(json);
            assertThat(new ArrayList<>(read.keySet())).containsExactlyElementsOf(() -> body.fieldNames());
            assertThat(read.values()).allMatch(value::equals);
            return;
        }
        EsException e = catchThrowableOfType(() -> parser.parse(json), EsException.class);
        assertThat(e.type()).isEqualTo("x_content_parse_exception");
        assertThat(e.status()).isEqualTo(400);
        Matcher m = AT.matcher(e.getMessage());
        assertThat(m.matches()).as(e.getMessage()).isTrue();
        assertThat(m.group(2)).isEqualTo("[p] unknown field [" + firstUnknown + "]" + Levenshtein.didYouMean(firstUnknown, DECLARED));
        // the column is where the field's name starts, counted in bytes (as Elasticsearch's parser counts them)
        int col = Integer.parseInt(m.group(1));
        assertThat(new String(json, col - 1, json.length - (col - 1), StandardCharsets.UTF_8)).startsWith("\"" + firstUnknown + "\":");

        EsException builder = catchThrowableOfType(() -> strings(ObjectParser.Errors.requestBuilder(f -> "unexpected field [" + f + "]"))
                .parse(body), EsException.class);
        assertThat(builder.type()).isEqualTo("parse_exception");
        assertThat(builder.getMessage()).isEqualTo("unexpected field [" + firstUnknown + "]");
    }

    @Property
    void aValueOfAnotherTypeIsRefusedWithItsTokenName(@ForAll("nonStrings") JsonNode value) {
        ObjectNode body = F.objectNode();
        body.put("name", "n");
        body.set("username", value);
        String token = EsMessages.xContentToken(value.asToken());
        EsException e = catchThrowableOfType(() -> strings(ObjectParser.Errors.objectParser("p")).parse(body.toString().getBytes(StandardCharsets.UTF_8)),
                EsException.class);
        assertThat(e.getMessage()).isEqualTo("[1:24] [p] username doesn't support values of type: " + token);

        EsException builder = catchThrowableOfType(() -> strings(ObjectParser.Errors.requestBuilder(f -> "x")).parse(body), EsException.class);
        assertThat(builder.type()).isEqualTo("parse_exception");
        assertThat(builder.getMessage()).isEqualTo("expected field [username] to be of type string, but found [" + token + "] instead");
    }

    @Property
    void arraysOfScalarsAreReadAsTextAndNestedValuesRefused(@ForAll @Size(max = 6) List<@net.jqwik.api.From("scalars") JsonNode> items,
                                                            @ForAll boolean nested) {
        ArrayNode ids = F.arrayNode();
        items.forEach(ids::add);
        if (nested) {
            ids.add(F.objectNode());
        }
        ObjectNode body = F.objectNode();
        body.set("ids", ids);
        ObjectParser<List<List<String>>> parser = new ObjectParser<List<List<String>>>(ObjectParser.Errors.objectParser("p"), ArrayList::new)
                .declare("ids", (l, v) -> l.add(v.scalars()));
        byte[] json = body.toString().getBytes(StandardCharsets.UTF_8);
        if (nested) {
            EsException e = catchThrowableOfType(() -> parser.parse(json), EsException.class);
            assertThat(e.getMessage()).matches("\\[1:\\d+] \\[p] failed to parse field \\[ids]");
            return;
        }
        List<String> expected = new ArrayList<>();
        items.forEach(i -> expected.add(i.isNull() ? null : i.asText()));
        assertThat(parser.parse(json)).singleElement().isEqualTo(expected);
    }

    @Provide
    Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMaxLength(5).map(F::textNode),
                Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i)),
                Arbitraries.of(F.booleanNode(true), F.booleanNode(false), F.nullNode()));
    }
}
