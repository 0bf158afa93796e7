package io.svctoken.server.http;

import io.svctoken.core.authc.Authentication;

import java.util.concurrent.CompletableFuture;

/**
 * Authentication by the management console's session cookie, asked by {@link RestDispatcher} before the
 * {@code Authorization} header for the endpoints svctoken answers itself (never for a request the gateway forwards).
 */
public interface SessionCookies {

    /** No console: no cookie is read, no console header is sent. */
    SessionCookies NONE = new SessionCookies() {
        @Override
        public CompletableFuture<Authentication> authenticate(RestRequest request) {
            return null;
        }

        @Override
        public boolean consoleServed() {
            return false;
        }
    };

    /**
     * The session's principal (its events told), or a failure in Elasticsearch's envelope (401 for no usable session,
     * 403 for a change without the session's CSRF token); null when the cookie does not apply (none sent, or a credential
     * header sent with it): the headers decide then.
     */
    CompletableFuture<Authentication> authenticate(RestRequest request);

    /** Whether the console is served (its paths then carry the console's security headers). */
    boolean consoleServed();
}
