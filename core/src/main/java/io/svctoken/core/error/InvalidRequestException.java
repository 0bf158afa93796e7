package io.svctoken.core.error;

import io.svctoken.core.EsMessages;

import java.util.List;

/** A request the domain refuses as given: a bad argument, failed validation, or a user that does not exist. */
public final class InvalidRequestException extends DomainException {

    public enum Kind {
        /** Elasticsearch's {@code illegal_argument_exception}. */
        ILLEGAL_ARGUMENT,
        /** Elasticsearch's {@code action_request_validation_exception} ({@code Validation Failed: 1: ...;}). */
        VALIDATION,
        /** Elasticsearch's {@code resource_not_found_exception}. */
        NOT_FOUND
    }

    private final Kind kind;

    private InvalidRequestException(Kind kind, String reason) {
        super(reason, null);
        this.kind = kind;
    }

    public static InvalidRequestException illegalArgument(String reason) {
        return new InvalidRequestException(Kind.ILLEGAL_ARGUMENT, reason);
    }

    public static InvalidRequestException validation(List<String> errors) {
        return new InvalidRequestException(Kind.VALIDATION, EsMessages.validationFailed(errors));
    }

    public static InvalidRequestException notFound(String reason) {
        return new InvalidRequestException(Kind.NOT_FOUND, reason);
    }

    public Kind kind() {
        return kind;
    }
}
