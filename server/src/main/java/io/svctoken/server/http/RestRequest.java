package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.server.ServerEsMessages;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An HTTP request as the handlers see it: method, decoded path, query and path parameters, headers. */
public final class RestRequest {

    /** The request's headers; names ignore case. */
    public interface Headers {
        /** No header at all. */
        Headers NONE = new Headers() {
            @Override
            public String get(String name) {
                return null;
            }

            @Override
            public List<String> getAll(String name) {
                return List.of();
            }
        };

        /** The first value, or null. */
        String get(String name);

        /** Every value, in the order sent. */
        List<String> getAll(String name);
    }

    private final String method;
    private final String uri;
    private final String path;
    private final Map<String, String> queryParams;
    private final Map<String, String> pathParams = new LinkedHashMap<>();
    private final Headers headers;
    private final byte[] body;
    private boolean bodyConsumed;
    private String principal;
    private RequestInfo info;

    public RestRequest(String method, String uri, String path, Map<String, String> queryParams, Headers headers, byte[] body) {
        this.method = method;
        this.uri = uri;
        this.path = path;
        this.queryParams = queryParams;
        this.headers = headers;
        this.body = body;
    }

    /** What the security events say of this request (its id joins them); made on first use. */
    public RequestInfo info() {
        if (info == null) {
            info = new RequestInfo(RequestInfo.newId(), method, uri, null, header("X-Opaque-Id"), header("traceparent"),
                    header("X-Forwarded-For"), false);
        }
        return info;
    }

    /** Sets the request's event description (the dispatcher does, with the client's address). */
    public void info(RequestInfo info) {
        this.info = info;
    }

    public String method() {
        return method;
    }

    /** Path and query as sent. */
    public String uri() {
        return uri;
    }

    public String path() {
        return path;
    }

    public Map<String, String> queryParams() {
        return Collections.unmodifiableMap(queryParams);
    }

    void putPathParam(String name, String value) {
        pathParams.put(name, value);
    }

    /** A path parameter, or else a query parameter; null when absent. */
    public String param(String name) {
        String v = pathParams.get(name);
        return v != null ? v : queryParams.get(name);
    }

    public Map<String, String> pathParams() {
        return Collections.unmodifiableMap(pathParams);
    }

    public boolean hasParam(String name) {
        return pathParams.containsKey(name) || queryParams.containsKey(name);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Every value of a header, in the order sent. */
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    /** The authenticated principal, known before the request is read (set by {@link Endpoint#run}); null before. */
    public String principal() {
        return principal;
    }

    void principal(String principal) {
        this.principal = principal;
    }

    /** The raw body; reading it counts as consuming it (see {@link #bodyConsumed()}). */
    public byte[] body() {
        bodyConsumed = true;
        return body;
    }

    /**
     * Whether the endpoint read the body. As in Elasticsearch, a request with a body its endpoint never read is
     * refused, rather than the body being ignored silently.
     */
    public boolean bodyConsumed() {
        return bodyConsumed;
    }

    public boolean hasBody() {
        return body != null && body.length > 0;
    }

    /**
     * The body as a JSON object, read by {@link JsonBody}'s rule; 400 {@code parse_exception} when it is
     * missing or not an object.
     */
    public ObjectNode jsonBody() {
        bodyConsumed = true;
        if (!hasBody()) {
            throw new EsException(EsErrors.PARSE, 400, EsMessages.REQUEST_BODY_IS_REQUIRED);
        }
        JsonNode n = JsonBody.read(body);
        if (n == null || !n.isObject()) {
            throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.REQUEST_BODY_MUST_BE_AN_OBJECT);
        }
        return (ObjectNode) n;
    }

    /** The body after {@link JsonBody}'s rule, for an API that parses it itself (the role API); null when there is none. */
    public byte[] checkedJsonBody() {
        bodyConsumed = true;
        if (!hasBody()) {
            return null;
        }
        JsonBody.read(body);
        return body;
    }

    /** {@code ?pretty} or {@code ?pretty=true} (ES: any value but "false"). */
    /**
     * Elasticsearch's {@code paramAsBoolean}: absent is false, present without a value is true, otherwise
     * exactly {@code true} or {@code false}, else 400 {@code illegal_argument_exception}.
     */
    public boolean paramAsBoolean(String name) {
        String v = param(name);
        if (v == null) {
            return false;
        }
        if (!isBoolean(v)) {
            throw EsErrors.illegalArgument(ServerEsMessages.notABoolean(v));
        }
        return !v.equals("false");
    }

    /** A parameter value {@link #paramAsBoolean} accepts. */
    static boolean isBoolean(String v) {
        return v.isEmpty() || v.equals("true") || v.equals("false");
    }

    public boolean pretty() {
        String p = queryParams.get("pretty");
        return p != null && !"false".equals(p);
    }

    @Override
    public String toString() {
        return method + " " + path; // never headers: they carry credentials
    }
}
