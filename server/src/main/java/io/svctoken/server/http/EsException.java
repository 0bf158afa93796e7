package io.svctoken.server.http;

import io.svctoken.core.error.DomainException;
import io.svctoken.server.render.DomainErrors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An error answered the way Elasticsearch renders exceptions: {@code type} (snake case), {@code reason},
 * metadata fields, {@code caused_by}, {@code header}, and the HTTP status. Messages never carry secrets.
 */
public class EsException extends RuntimeException {

    private final String type;
    private final int status;
    private final Map<String, List<String>> metadata = new LinkedHashMap<>();
    private final Map<String, Long> numericMetadata = new LinkedHashMap<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final boolean rootCauseCandidate;
    private com.fasterxml.jackson.databind.JsonNode body;

    public EsException(String type, int status, String reason) {
        this(type, status, reason, null, true);
    }

    public EsException(String type, int status, String reason, Throwable cause) {
        this(type, status, reason, cause, true);
    }

    private EsException(String type, int status, String reason, Throwable cause, boolean rootCauseCandidate) {
        super(reason, cause, false, false);
        this.type = type;
        this.status = status;
        this.rootCauseCandidate = rootCauseCandidate;
    }

    /** Renders any exception as Elasticsearch does: its type ({@link EsErrors#typeOf}), its message, its causes; the domain's refusals as mapped by {@code DomainErrors}. */
    public static EsException from(Throwable t) {
        if (t instanceof EsException e) {
            return e;
        }
        if (t instanceof DomainException d) {
            return DomainErrors.toEs(d);
        }
        int status = t instanceof IllegalArgumentException ? 400 : 500;
        return new EsException(EsErrors.typeOf(t), status, t.getMessage(), t.getCause() == null ? null : from(t.getCause()), false);
    }

    /**
     * A cause that Elasticsearch renders under {@code caused_by} but never lists as a root cause (a
     * non-Elasticsearch exception inside one, such as Jackson's {@code json_parse_exception}).
     */
    public static EsException nestedCause(String type, String reason) {
        return nestedCause(type, reason, null);
    }

    /** {@link #nestedCause(String, String)} with a cause of its own. */
    public static EsException nestedCause(String type, String reason, EsException cause) {
        return new EsException(type, 500, reason, cause, false);
    }

    static String snakeCase(String simpleName) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simpleName.length(); i++) {
            char c = simpleName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public EsException withMetadata(String key, String... values) {
        metadata.put(key, List.of(values));
        return this;
    }

    /** A number beside {@code reason}, e.g. the {@code line} and {@code col} of a {@code parsing_exception}. */
    public EsException withMetadata(String key, long value) {
        numericMetadata.put(key, value);
        return this;
    }

    /**
     * A body of its own instead of Elasticsearch's error envelope: the few answers Elasticsearch writes in another form (the
     * OAuth2 token endpoint's {@code {"error":..., "error_description":...}}).
     */
    public EsException withBody(com.fasterxml.jackson.databind.JsonNode body) {
        this.body = body;
        return this;
    }

    /** Null: the error envelope. */
    public com.fasterxml.jackson.databind.JsonNode body() {
        return body;
    }

    public EsException withHeader(String key, List<String> values) {
        headers.put(key, List.copyOf(values));
        return this;
    }

    public Map<String, List<String>> metadata() {
        return metadata;
    }

    public Map<String, Long> numericMetadata() {
        return numericMetadata;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Elasticsearch's guess: follow causes while they are Elasticsearch exceptions. */
    public EsException rootCause() {
        Throwable c = getCause();
        if (c instanceof EsException e && e.rootCauseCandidate) {
            return e.rootCause();
        }
        return this;
    }
}
