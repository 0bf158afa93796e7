package io.svctoken.core.error;

/** The authenticated subject may not run the action (Elasticsearch's 403 {@code security_exception}, its wording). */
public final class AuthorizationDeniedException extends DomainException {

    public AuthorizationDeniedException(String reason) {
        super(reason, null);
    }
}
