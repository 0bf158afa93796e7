package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.Json;

/** A reply whose JSON is built as a tree (listings keyed by name); {@code body} null means no body. */
record JsonReply(int status, JsonNode body) implements Endpoint.Reply {

    static JsonReply ok(JsonNode body) {
        return new JsonReply(200, body);
    }

    /** {@code {}}, 200. */
    static JsonReply empty() {
        return ok(Json.object());
    }
}
