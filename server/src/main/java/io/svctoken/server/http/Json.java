package io.svctoken.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * JSON output, compact or pretty in Elasticsearch's layout ({@code "key" : value}, arrays one item per line),
 * and the parser configuration every JSON read uses (request bodies: {@link JsonBody}).
 */
public final class Json {

    /**
     * As Elasticsearch's JSON parser: duplicate keys are an error at any depth (the last one never silently
     * wins), {@code /* *}{@code /} and {@code //} comments are allowed.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();
    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    private static final ObjectWriter COMPACT = MAPPER.writer();
    private static final ObjectWriter PRETTY;

    static {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter();
        pp.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        pp.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        PRETTY = MAPPER.writer(pp);
    }

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    public static byte[] bytes(JsonNode node, boolean pretty) {
        try {
            if (pretty) {
                return (PRETTY.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            return COMPACT.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** The standard nodes header, {@code {"total":1,"successful":1,"failed":0}}, for this single node. */
    public static void putSingleNodeHeader(ObjectNode parent) {
        ObjectNode n = parent.putObject("_nodes");
        n.put("total", 1);
        n.put("successful", 1);
        n.put("failed", 0);
    }

    /** Renders an exception as Elasticsearch's error envelope. */
    public static ObjectNode errorEnvelope(EsException e) {
        ObjectNode root = object();
        ObjectNode error = root.putObject("error");
        ArrayNode rootCauses = error.putArray("root_cause");
        renderThrowable(rootCauses.addObject(), e.rootCause(), false);
        renderThrowable(error, e, true);
        root.put("status", e.status());
        return root;
    }

    private static void renderThrowable(ObjectNode out, EsException e, boolean withCause) {
        out.put("type", e.type());
        out.put("reason", e.getMessage());
        for (Map.Entry<String, List<String>> m : e.metadata().entrySet()) {
            putHeaderLike(out, m.getKey(), m.getValue());
        }
        e.numericMetadata().forEach(out::put);
        if (withCause && e.getCause() != null) {
            renderThrowable(out.putObject("caused_by"), EsException.from(e.getCause()), true);
        }
        if (!e.headers().isEmpty()) {
            ObjectNode h = out.putObject("header");
            e.headers().forEach((k, v) -> putHeaderLike(h, k, v));
        }
    }

    /** One value renders as a string, several as an array (as Elasticsearch does). */
    private static void putHeaderLike(ObjectNode out, String key, List<String> values) {
        if (values.size() == 1) {
            out.put(key, values.get(0));
        } else {
            ArrayNode a = out.putArray(key);
            values.forEach(a::add);
        }
    }
}
