package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Reads a {@code _msearch} body (NDJSON header and body lines) as it streams in and lets through only the searches
 * the item check allows, as {@link BulkStream} does for {@code _bulk}: only the header being read is held, search
 * bodies are passed on or dropped as their bytes arrive.
 *
 * <p>Each header is read as Elasticsearch's {@code MultiSearchRequest} reads it: an empty line or {@code {}} takes
 * the defaults; {@code index} or {@code indices} (a comma-separated string or an array) names the targets, else the
 * path's index, else all ({@code _all}); the other keys Elasticsearch knows are left to the upstream, an unknown one
 * is refused with its text. The item check gets {@code ("search", targets joined with commas)}.
 */
public final class MultiSearchStream extends NdjsonFilter {

    /** Default limit of one header line. */
    public static final int DEFAULT_MAX_HEADER_LINE = 64 * 1024;

    /** The header keys of {@code MultiSearchRequest} other than the targets (both spellings, as it accepts them). */
    private static final Set<String> OTHER_KEYS = Set.of("search_type", "searchType", "ccs_minimize_roundtrips", "ccsMinimizeRoundtrips",
            "request_cache", "requestCache", "preference", "routing", "allow_partial_search_results", "expand_wildcards",
            "expandWildcards", "ignore_unavailable", "ignoreUnavailable", "allow_no_indices", "allowNoIndices", "ignore_throttled",
            "ignoreThrottled");

    /**
     * The decision of one search: {@code denial} null and {@code narrowed} null, allowed as written; {@code denial}, refused
     * with that reason; {@code narrowed}, allowed on those names (its header is sent naming them, as Elasticsearch narrows).
     */
    public record Decision(String denial, List<String> narrowed) {
        public static final Decision ALLOWED = new Decision(null, null);
    }

    /** The header keys that are index options, both spellings, by the query parameter's name. */
    private static final Map<String, String> INDEX_OPTIONS = Map.of("expand_wildcards", "expand_wildcards", "expandWildcards",
            "expand_wildcards", "ignore_unavailable", "ignore_unavailable", "ignoreUnavailable", "ignore_unavailable",
            "allow_no_indices", "allow_no_indices", "allowNoIndices", "allow_no_indices");

    private final String defaultIndex;
    private final BiFunction<String, Map<String, String>, Decision> check;
    private final List<Denial> denied = new ArrayList<>();
    private int items;

    /**
     * @param defaultIndex the path's index expression ({@code /{index}/_msearch}), or null
     * @param itemCheck    {@code ("search", index expression) -> denial reason, or null when allowed}
     * @param sink         receives the bytes to forward, in order; a buffer is valid only during the call
     */
    public MultiSearchStream(String defaultIndex, BiFunction<String, String, String> itemCheck, Consumer<ByteBuffer> sink) {
        this(defaultIndex, itemCheck, sink, DEFAULT_MAX_HEADER_LINE);
    }

    public MultiSearchStream(String defaultIndex, BiFunction<String, String, String> itemCheck, Consumer<ByteBuffer> sink, int maxHeaderLine) {
        this(defaultIndex, (targets, options) -> {
            String reason = itemCheck.apply("search", targets);
            return reason == null ? Decision.ALLOWED : new Decision(reason, null);
        }, maxHeaderLine, sink);
    }

    /**
     * @param check {@code (targets joined with commas, the header's index options by their snake-case names) -> decision}
     */
    public MultiSearchStream(String defaultIndex, BiFunction<String, Map<String, String>, Decision> check, int maxHeaderLine,
                             Consumer<ByteBuffer> sink) {
        super(sink, maxHeaderLine, ServerEsMessages.MSEARCH_NOT_TERMINATED);
        this.defaultIndex = defaultIndex;
        this.check = check;
    }

    /**
     * The body has ended: the searches read and the denials. Refuses, as Elasticsearch does, a body whose last line
     * has no newline and a body without searches.
     */
    public Outcome end() {
        finish();
        if (items == 0) {
            throw receivedBytes() == 0 ? new EsException(EsErrors.PARSE, 400, ServerEsMessages.BODY_OR_SOURCE_REQUIRED)
                    : EsErrors.validation(List.of(ServerEsMessages.NO_REQUESTS_ADDED));
        }
        return new Outcome(items, denied);
    }

    @Override
    protected Kind control(byte[] line, int length, int lineNumber) {
        String targets;
        Map<String, String> options = new HashMap<>();
        try (JsonParser p = Json.FACTORY.createParser(line, 0, length)) {
            targets = header(p, options);
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (targets == null) {
            targets = defaultIndex == null ? "_all" : defaultIndex;
        }
        int position = items++;
        Decision d = check.apply(targets, options);
        if (d.denial() != null) {
            denied.add(new Denial(position, "search", targets, null, d.denial()));
            return Kind.DENIED_WITH_PAYLOAD;
        }
        if (d.narrowed() != null) {
            replaceLine(narrowed(line, length, d.narrowed()));
        }
        return Kind.ALLOWED_WITH_PAYLOAD;
    }

    /** The header with its targets replaced by {@code names}, its other keys as they were. */
    private static byte[] narrowed(byte[] line, int length, List<String> names) {
        try {
            JsonNode read = length == 0 ? null : Json.MAPPER.readTree(line, 0, length);
            ObjectNode header = read instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
            header.remove("indices");
            header.put("index", String.join(",", names));
            return Json.MAPPER.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the line was read once already
        }
    }

    /** The header's targets, or null when it names none. */
    private static String header(JsonParser p, Map<String, String> options) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return null;
        }
        String targets = null;
        if (t == JsonToken.START_OBJECT) {
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (key.equals("index") || key.equals("indices")) {
                    targets = targets(p, v);
                } else if (INDEX_OPTIONS.containsKey(key)) {
                    // they change which names a wildcard or a missing index reaches: the decision reads them too
                    options.put(INDEX_OPTIONS.get(key), v == JsonToken.START_ARRAY ? arrayText(p) : p.getText());
                } else if (OTHER_KEYS.contains(key)) {
                    p.skipChildren(); // options the upstream reads; they do not change which indices are named
                } else {
                    throw EsErrors.illegalArgument(ServerEsMessages.msearchUnsupportedKey(key));
                }
            }
            t = p.nextToken();
        }
        if (t != null) {
            throw new EsException(EsErrors.X_CONTENT_PARSE, 400, "[" + p.currentTokenLocation().getLineNr() + ":"
                    + p.currentTokenLocation().getColumnNr() + "] " + ServerEsMessages.MSEARCH_TOKEN_AFTER_OBJECT);
        }
        return targets;
    }

    /** {@code ["open","hidden"]} as {@code open,hidden}. */
    private static String arrayText(JsonParser p) throws IOException {
        List<String> parts = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken().isStructStart()) {
                p.skipChildren();
            } else {
                parts.add(p.getText());
            }
        }
        return String.join(",", parts);
    }

    /** A string is a comma-separated list, an array a list of names (Elasticsearch's {@code nodeStringArrayValue}). */
    private static String targets(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_ARRAY) {
            List<String> names = new ArrayList<>();
            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                if (!v.isScalarValue()) {
                    throw EsErrors.illegalArgument(ServerEsMessages.notANameValue("index"));
                }
                names.add(p.getText());
            }
            return String.join(",", names);
        }
        if (v.isScalarValue() && v != JsonToken.VALUE_NULL) {
            return p.getText();
        }
        throw EsErrors.illegalArgument(ServerEsMessages.notANameValue("index"));
    }

    @Override
    protected void dropLastItem(boolean itWasPassed) {
        items--;
        if (!itWasPassed) {
            denied.remove(denied.size() - 1);
        }
    }
}
