package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON answer with its status; {@code body} null means no body (HEAD). */
public record RestResponse(int status, JsonNode body, Map<String, List<String>> headers) {

    public static RestResponse ok(JsonNode body) {
        return new RestResponse(200, body, Map.of());
    }

    public static RestResponse of(int status, JsonNode body) {
        return new RestResponse(status, body, Map.of());
    }

    public RestResponse withHeader(String name, List<String> values) {
        Map<String, List<String>> h = new LinkedHashMap<>(headers);
        h.put(name, values);
        return new RestResponse(status, body, h);
    }
}
