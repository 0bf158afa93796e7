package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.Json;

/** The reply of Elasticsearch's delete APIs: 200 {@code {"found":true}} or 404 {@code {"found":false}}. */
record Found(boolean found) implements Endpoint.Reply {

    @Override
    public int status() {
        return found ? 200 : 404;
    }

    @Override
    public JsonNode body() {
        return Json.object().put("found", found);
    }
}
