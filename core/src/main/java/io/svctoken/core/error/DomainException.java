package io.svctoken.core.error;

/**
 * A refusal of the identity domain, in its own terms. The server maps each kind to Elasticsearch's error
 * envelope (type, status, headers) in one place; the reason texts are Elasticsearch's already. No stack
 * trace is filled: these are answers, not faults. Messages never carry secrets.
 */
public abstract sealed class DomainException extends RuntimeException
        permits AuthenticationException, AuthorizationDeniedException, InvalidRequestException {

    DomainException(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
