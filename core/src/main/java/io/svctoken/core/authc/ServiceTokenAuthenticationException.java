package io.svctoken.core.authc;

/**
 * A parsed service token was rejected. The message is Elasticsearch's (it never reveals why, nor
 * the secret). When {@link #getCause()} is set, a store failed ("error attempting to authenticate
 * request" in Elasticsearch); otherwise the credentials were wrong, or {@link #reason()} says why a
 * right secret was refused (for the log only).
 */
public class ServiceTokenAuthenticationException extends RuntimeException {

    private final String reason;

    public ServiceTokenAuthenticationException(String message) {
        this(message, (String) null);
    }

    /** @param reason {@code expired} or {@code disabled}: the secret matched; null: it did not, or the token is unknown */
    public ServiceTokenAuthenticationException(String message, String reason) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ServiceTokenAuthenticationException(String message, Throwable cause) {
        super(message, cause, false, true);
        this.reason = null;
    }

    public boolean isStoreError() {
        return getCause() != null;
    }

    /** Why a right secret was refused ({@code expired}, {@code disabled}); null otherwise. Never shown to the client. */
    public String reason() {
        return reason;
    }
}
