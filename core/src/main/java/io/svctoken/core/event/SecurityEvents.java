package io.svctoken.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.error.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

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

    /**
     * The caller was allowed an action ({@code authentication} is the effective subject). For a forwarded request
     * {@code access} names the upstream action and its index expressions.
     */
    default void accessGranted(RequestInfo request, Authentication authentication, Access access) {
    }

    /** The caller was refused an action (Elasticsearch's 403). */
    default void accessDenied(RequestInfo request, Authentication authentication, Access access) {
    }

    /** The authenticating user may act as the effective user ({@code authentication} is the run-as authentication). */
    default void runAsGranted(RequestInfo request, Authentication authentication, Access access) {
    }

    /** The authenticating user may not act as the effective user, or the effective user was not found. */
    default void runAsDenied(RequestInfo request, Authentication authentication, Access access) {
    }

    /** A write changed the security configuration (after it succeeded); {@code change} holds no secret. */
    default void securityConfigChange(RequestInfo request, ConfigChange change) {
    }

    /**
     * An action a request asked for.
     *
     * @param action      Elasticsearch's action name ({@code cluster:admin/xpack/security/user/authenticate})
     * @param requestName Elasticsearch's request class simple name ({@code AuthenticateRequest})
     * @param indices     the index expressions of an index action, else empty
     */
    record Access(String action, String requestName, List<String> indices) {
        public Access {
            indices = indices == null ? List.of() : List.copyOf(indices);
        }
    }

    /**
     * A change of the security configuration, as Elasticsearch's {@code security_config_change} describes it.
     *
     * @param action the event's {@code event.action} ({@code put_user}, {@code create_service_token}, …)
     * @param kind   the field holding the object: {@code put}, {@code delete}, {@code change}, {@code create} or {@code invalidate}
     * @param object the change object (never a password, hash, token value or API key secret)
     */
    record ConfigChange(String action, String kind, ObjectNode object) {
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

        @Override
        public void accessGranted(RequestInfo request, Authentication authentication, Access access) {
            each(l -> l.accessGranted(request, authentication, access));
        }

        @Override
        public void accessDenied(RequestInfo request, Authentication authentication, Access access) {
            each(l -> l.accessDenied(request, authentication, access));
        }

        @Override
        public void runAsGranted(RequestInfo request, Authentication authentication, Access access) {
            each(l -> l.runAsGranted(request, authentication, access));
        }

        @Override
        public void runAsDenied(RequestInfo request, Authentication authentication, Access access) {
            each(l -> l.runAsDenied(request, authentication, access));
        }

        @Override
        public void securityConfigChange(RequestInfo request, ConfigChange change) {
            each(l -> l.securityConfigChange(request, change));
        }

        private void each(Consumer<SecurityEvents> call) {
            for (SecurityEvents l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("security event listener [{}] failed", l.getClass().getName(), e);
                }
            }
        }
    }
}
