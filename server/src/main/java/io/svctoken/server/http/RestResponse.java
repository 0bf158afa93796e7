package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON answer with its status; {@code body} null means no body (HEAD). {@code text}, when set, is the body instead
 * (svctoken's own non-JSON answers: the Prometheus scrape). {@code compact}, when set, is {@code body} already rendered
 * without {@code pretty} (an answer given again and again keeps its bytes); whatever reshapes the body drops it.
 */
public record RestResponse(int status, JsonNode body, Map<String, List<String>> headers, Text text, byte[] compact) {

    /** A body that is not JSON, with its media type. */
    public record Text(String contentType, byte[] bytes) {
    }

    public RestResponse(int status, JsonNode body, Map<String, List<String>> headers) {
        this(status, body, headers, null, null);
    }

    public RestResponse(int status, JsonNode body, Map<String, List<String>> headers, Text text) {
        this(status, body, headers, text, null);
    }

    public static RestResponse ok(JsonNode body) {
        return new RestResponse(200, body, Map.of());
    }

    public static RestResponse of(int status, JsonNode body) {
        return new RestResponse(status, body, Map.of());
    }

    public RestResponse withHeader(String name, List<String> values) {
        Map<String, List<String>> h = new LinkedHashMap<>(headers);
        h.put(name, values);
        return new RestResponse(status, body, h, text, compact);
    }
}
