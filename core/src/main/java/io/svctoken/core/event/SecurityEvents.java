package io.svctoken.core.event;

import io.svctoken.core.authc.Authentication;
import io.svctoken.core.error.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What happened to a request, security-wise, for the listeners that record it (the audit trail, metrics).
 * Listeners are called on the thread that decided (often an event loop): they must be quick and must not
 * block or throw; a listener that throws is logged and the others still run. No event carries a secret.
 */
public interface SecurityEvents {

    /** No listener. */
    SecurityEvents NONE = new SecurityEvents() {
    };

    /** The request's credentials were accepted ({@code authentication} is the effective subject, after run-as lookup). */
    default void authenticationSuccess(RequestInfo request, Authentication authentication) {
    }

    /**
     * The request's credentials were missing, refused, throttled or could not be checked. {@code failure.attempt()}
     * tells which credential was tried and by what name ({@link io.svctoken.core.authc.CredentialAttempt.Type#NONE}
     * when the request had none: Elasticsearch audits that as {@code anonymous_access_denied}).
     */
    default void authenticationFailed(RequestInfo request, AuthenticationException failure) {
    }

    /** Several listeners as one; each is isolated from the others' failures. */
    static SecurityEvents of(List<SecurityEvents> listeners) {
        List<SecurityEvents> all = listeners.stream().filter(l -> l != NONE).toList();
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new Fanout(all);
    }

    /** Calls each listener in turn; a throwing listener is logged and skipped. */
    final class Fanout implements SecurityEvents {
        private static final Logger LOG = LoggerFactory.getLogger(SecurityEvents.class);
        private final List<SecurityEvents> listeners;

        Fanout(List<SecurityEvents> listeners) {
            this.listeners = List.copyOf(listeners);
        }

        @Override
        public void authenticationSuccess(RequestInfo request, Authentication authentication) {
            for (SecurityEvents l : listeners) {
                try {
                    l.authenticationSuccess(request, authentication);
                } catch (RuntimeException e) {
                    LOG.warn("security event listener [{}] failed", l.getClass().getName(), e);
                }
            }
        }

        @Override
        public void authenticationFailed(RequestInfo request, AuthenticationException failure) {
            for (SecurityEvents l : listeners) {
                try {
                    l.authenticationFailed(request, failure);
                } catch (RuntimeException e) {
                    LOG.warn("security event listener [{}] failed", l.getClass().getName(), e);
                }
            }
        }
    }
}
