package io.svctoken.core.role;

import java.util.ArrayList;
import java.util.List;

/**
 * A role definition Elasticsearch refuses, with the exception type it reports. Every one of these is
 * a 400 on the REST API; the {@link #esType()} is the {@code error.type} and {@link #getMessage()} the
 * {@code error.reason}. A wrapped exception ({@code failed to parse role [x]} around the reason why)
 * carries the inner one as its cause, which is also the {@code root_cause} Elasticsearch reports.
 */
public final class RoleParseException extends RuntimeException {

    /** Elasticsearch's exception classes, by their REST {@code type} names. */
    public enum Type {
        /** {@code ElasticsearchParseException}. */
        PARSE_EXCEPTION("parse_exception"),
        /** {@code XContentParseException}: syntax errors and {@code ObjectParser} refusals; the reason starts with {@code [line:col] }. */
        X_CONTENT_PARSE_EXCEPTION("x_content_parse_exception"),
        /** {@code ValidationException}: the role name in the URL. */
        VALIDATION_EXCEPTION("validation_exception"),
        /** {@code ActionRequestValidationException}: the request-level checks of {@code PutRoleRequest#validate}. */
        ACTION_REQUEST_VALIDATION_EXCEPTION("action_request_validation_exception"),
        /** {@code IllegalArgumentException}: builders refusing empty privilege lists and the like. */
        ILLEGAL_ARGUMENT_EXCEPTION("illegal_argument_exception"),

        PARSING_EXCEPTION("parsing_exception");

        private final String esName;

        Type(String esName) {
            this.esName = esName;
        }

        public String esName() {
            return esName;
        }
    }

    private final Type type;

    public RoleParseException(Type type, String message) {
        this(type, message, null);
    }

    public RoleParseException(Type type, String message, RoleParseException cause) {
        super(message, cause, false, false);
        this.type = type;
    }

    public Type type() {
        return type;
    }

    /** The REST {@code error.type}, e.g. {@code parse_exception}. */
    public String esType() {
        return type.esName();
    }

    /** Always 400 ({@code Bad Request}). */
    public int status() {
        return 400;
    }

    /** The wrapped reason, if any. */
    public RoleParseException wrapped() {
        return (RoleParseException) getCause();
    }

    /** The innermost exception: what Elasticsearch lists under {@code root_cause}. */
    public RoleParseException rootCause() {
        RoleParseException e = this;
        while (e.wrapped() != null) {
            e = e.wrapped();
        }
        return e;
    }

    /** This exception and its wrapped ones, outermost first. */
    public List<RoleParseException> chain() {
        List<RoleParseException> out = new ArrayList<>();
        for (RoleParseException e = this; e != null; e = e.wrapped()) {
            out.add(e);
        }
        return out;
    }
}
