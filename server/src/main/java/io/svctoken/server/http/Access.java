package io.svctoken.server.http;

import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.ApiKeyRequestScope;
import io.svctoken.core.authz.Authorizer;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Who may call an endpoint, declared with it and checked by the dispatcher after request validation: always an
 * Elasticsearch action name, and for the few endpoints whose check depends on the request, the rule that says how.
 */
public sealed interface Access<R> {

    /** The Elasticsearch action (cluster privilege check, audit name). */
    String action();

    /** The action this request is checked and audited as: {@link #action()}, unless the access routes by request. */
    default String action(R request) {
        return action();
    }

    void check(Authorizer authorizer, Authentication authentication, R request);

    /** The caller needs a privilege that grants the action. */
    static <R> Access<R> action(String action) {
        return new Action<>(action);
    }

    /** Any authenticated caller (only a run-as is checked), as {@code _authenticate}. */
    static <R> Access<R> anyUser(String action) {
        return new AnyUser<>(action);
    }

    /**
     * No credentials are read and nothing is checked: the dispatcher runs the endpoint before authentication, with no
     * {@link Authentication} ({@code null}). Only for answers that reveal nothing (health probes a load balancer sends
     * without credentials); {@code EndpointDeclarationsTest} lists every endpoint declared so.
     */
    static <R> Access<R> unauthenticated(String action) {
        return new Unauthenticated<>(action);
    }

    /**
     * Like {@link #anyUser}, and every action the request names must be granted as well (forward authentication's
     * {@code ?action=}): each is checked as Elasticsearch checks a cluster action.
     */
    static <R> Access<R> anyUserAnd(String action, Function<? super R, List<String>> requested) {
        return new AnyUserAnd<>(action, requested);
    }

    /** The action, scoped by what the request asks for (API keys: own keys need no {@code manage_api_key}). */
    static <R> Access<R> apiKeys(String action, Function<? super R, ApiKeyRequestScope> scope) {
        return new ApiKeys<>(action, scope);
    }

    /** Like {@link #anyUser} when {@code own} holds for the request (changing one's own password), else {@link #action}. */
    static <R> Access<R> ownOrAction(String action, BiPredicate<Authentication, ? super R> own) {
        return new OwnOrAction<>(action, own);
    }

    /**
     * The action the request is routed to before authorization ({@link #action()} names the endpoint): service tokens go
     * to the built-in accounts' action or the user-managed accounts' by their namespace, as Elasticsearch's REST layer
     * sends them; the OAuth2 token endpoint runs create, or refresh for the {@code refresh_token} grant.
     */
    static <R> Access<R> routed(String action, Function<? super R, String> routedAction) {
        return new Routed<>(action, routedAction);
    }

    record Routed<R>(String action, Function<? super R, String> routedAction) implements Access<R> {
        @Override
        public String action(R request) {
            return routedAction.apply(request);
        }

        @Override
        public void check(Authorizer authorizer, Authentication authentication, R request) {
            authorizer.authorize(authentication, routedAction.apply(request));
        }
    }

    record Action<R>(String action) implements Access<R> {
        @Override
        public void check(Authorizer authorizer, Authentication authentication, R request) {
            authorizer.authorize(authentication, action);
        }
    }

    record AnyUser<R>(String action) implements Access<R> {
        @Override
        public void check(Authorizer authorizer, Authentication authentication, R request) {
            authorizer.authorizeRunAs(authentication, action);
        }
    }

    record AnyUserAnd<R>(String action, Function<? super R, List<String>> requested) implements Access<R> {
        @Override
        public void check(Authorizer authorizer, Authentication authentication, R request) {
            authorizer.authorizeRunAs(authentication, action);
            for (String a : requested.apply(request)) {
                authorizer.authorize(authentication, a);
            }
        }
    }

    record Unauthenticated<R>(String action) implements Access<R> {
        @Override
        public void check(Authorizer authorizer, Authentication authentication, R request) {
        }
    }

    record ApiKeys<R>(String action, Function<? super R, ApiKeyRequestScope> scope) implements Access<R> {
        @Override
        public void check(Authorizer authorizer, Authentication authentication, R request) {
            authorizer.authorize(authentication, action, scope.apply(request));
        }
    }

    record OwnOrAction<R>(String action, BiPredicate<Authentication, ? super R> own) implements Access<R> {
        @Override
        public void check(Authorizer authorizer, Authentication authentication, R request) {
            if (own.test(authentication, request)) {
                authorizer.authorizeRunAs(authentication, action);
            } else {
                authorizer.authorize(authentication, action);
            }
        }
    }
}
