package io.svctoken.core.authc;

/**
 * A parsed service token was rejected. The message is Elasticsearch's (it never reveals why, nor
 * the secret). When {@link #getCause()} is set, a store failed ("error attempting to authenticate
 * request" in Elasticsearch); otherwise the credentials were wrong.
 */
public class ServiceTokenAuthenticationException extends RuntimeException {

    public ServiceTokenAuthenticationException(String message) {
        super(message, null, false, false);
    }

    public ServiceTokenAuthenticationException(String message, Throwable cause) {
        super(message, cause, false, true);
    }

    public boolean isStoreError() {
        return getCause() != null;
    }
}
