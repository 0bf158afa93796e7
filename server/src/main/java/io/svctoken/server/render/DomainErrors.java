package io.svctoken.server.render;

import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.error.AuthorizationDeniedException;
import io.svctoken.core.error.DomainException;
import io.svctoken.core.error.InvalidRequestException;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;

import java.util.List;

/**
 * The one place the identity domain's refusals become Elasticsearch errors: type, status and headers
 * (the reason texts are Elasticsearch's already).
 */
public final class DomainErrors {

    /** Challenges sent with every 401, in the order commonly seen from Elasticsearch. */
    public static final List<String> CHALLENGES = List.of("Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey");

    private DomainErrors() {
    }

    public static EsException toEs(DomainException e) {
        if (e instanceof AuthenticationException a) {
            if (a.kind() == AuthenticationException.Kind.THROTTLED) {
                // security_exception, not es_rejected_execution_exception: a decision about one name and client, not an
                // overloaded node (svctoken answers a full worker pool with the latter, and monitoring must tell the two apart).
                return new EsException(EsErrors.SECURITY_EXCEPTION, 429, a.getMessage())
                        .withHeader("Retry-After", List.of(Long.toString(a.retryAfterSeconds())));
            }
            EsException out = a.getCause() == null ? new EsException(EsErrors.SECURITY_EXCEPTION, 401, a.getMessage())
                    : new EsException(EsErrors.SECURITY_EXCEPTION, 401, a.getMessage(), EsException.from(a.getCause()));
            if (a.unsuccessfulCredentials() != null) {
                out.withMetadata("additional_unsuccessful_credentials", a.unsuccessfulCredentials());
            }
            if (a.challenge() != null) {
                List<String> challenges = new java.util.ArrayList<>(CHALLENGES.size() + 1);
                challenges.add(a.challenge());
                challenges.addAll(CHALLENGES);
                return out.withHeader("WWW-Authenticate", challenges);
            }
            return out.withHeader("WWW-Authenticate", CHALLENGES);
        }
        if (e instanceof AuthorizationDeniedException) {
            return EsErrors.forbidden(e.getMessage());
        }
        InvalidRequestException r = (InvalidRequestException) e;
        return switch (r.kind()) {
            case ILLEGAL_ARGUMENT -> EsErrors.illegalArgument(r.getMessage());
            case VALIDATION -> new EsException(EsErrors.VALIDATION, 400, r.getMessage());
            case NOT_FOUND -> new EsException("resource_not_found_exception", 404, r.getMessage());
        };
    }
}
