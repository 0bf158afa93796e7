package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.error.AuthorizationDeniedException;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.audit.RequestNames;
import io.svctoken.server.http.Router.Method;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One endpoint, declared once: its routes, its query parameters, how its request record is read, who may call it
 * and its work. {@link RestDispatcher} runs every endpoint the same way, in Elasticsearch's order: the request
 * read (its body's errors first), its declared parameters checked (a bad {@code refresh}), unknown parameters
 * refused, a body it did not read refused, then the request {@link Request#validate() validated}, then
 * {@link Access authorized}, then the work, whose {@link Reply} is rendered. Checks that Elasticsearch makes after authorization (a reserved user, an unknown account) belong to
 * the work.
 */
public final class Endpoint<R extends Endpoint.Request> {

    /** The request record of an endpoint. */
    public interface Request {
        /** Request validation, before authorization (Elasticsearch's {@code ActionRequest.validate}); throws the 400. */
        default void validate() {
        }
    }

    /** The response record of an endpoint: its status and its JSON (null: no body, as for {@code HEAD}). */
    public interface Reply {
        default int status() {
            return 200;
        }

        JsonNode body();

        /** Response headers besides {@code X-Elastic-Product} and {@code Content-Type}. */
        default Map<String, List<String>> headers() {
            return Map.of();
        }

        /**
         * {@link #body()} already rendered compactly ({@link Json#bytes} without {@code pretty}), or null: a reply
         * given again and again (a cached principal's {@code _authenticate}) keeps its bytes rather than rendering them
         * per request. The dispatcher renders the body itself whenever a parameter reshapes it.
         */
        default byte[] compactJson() {
            return null;
        }
    }

    /** A reply whose body is not JSON (svctoken's own answers, as the Prometheus scrape). */
    public interface TextReply extends Reply {
        String contentType();

        byte[] text();

        @Override
        default JsonNode body() {
            return null;
        }
    }

    /** Reads the request record from path, query and body; throws Elasticsearch's parse errors. */
    @FunctionalInterface
    public interface Parser<R> {
        R parse(RestRequest request);
    }

    /** The work; never blocks the caller (slow work goes to the worker pool). */
    @FunctionalInterface
    public interface Work<R> {
        CompletableFuture<? extends Reply> run(R request, Authentication authentication);
    }

    /**
     * What a successful write changed in the security configuration (Elasticsearch's {@code security_config_change}),
     * from the request record, the caller and the reply; null when it changed nothing. Never a secret: at most {@code has_password}.
     */
    @FunctionalInterface
    public interface Change<R> {
        SecurityEvents.ConfigChange of(R request, Authentication authentication, Reply reply);
    }

    /** A method and a path template ({@code /_security/service/{namespace}}). */
    public record Route(Method method, String path) {
    }

    private final List<Route> routes;
    private final List<Param> params;
    private final Parser<R> parser;
    private final Access<? super R> access;
    private final Work<R> work;
    private final Change<R> change;
    private final Set<String> paramNames;
    private final boolean anyParams;

    private Endpoint(List<Route> routes, List<Param> params, Parser<R> parser, Access<? super R> access, Work<R> work, Change<R> change,
                     boolean anyParams) {
        this.anyParams = anyParams;
        this.routes = List.copyOf(routes);
        this.params = List.copyOf(params);
        this.parser = parser;
        this.access = access;
        this.work = work;
        this.change = change;
        Set<String> names = new LinkedHashSet<>();
        params.forEach(p -> names.add(p.name()));
        this.paramNames = Set.copyOf(names);
    }

    /** Starts a declaration answering these methods on these paths. */
    public static Builder on(Set<Method> methods, String... paths) {
        Builder b = new Builder();
        return b.on(methods, paths);
    }

    public static Builder on(Method method, String... paths) {
        return on(Set.of(method), paths);
    }

    /** A reply already known (the work did not need to wait). */
    public static <T extends Reply> CompletableFuture<T> done(T reply) {
        return CompletableFuture.completedFuture(reply);
    }

    public List<Route> routes() {
        return routes;
    }

    public List<Param> params() {
        return params;
    }

    /** The names of the declared query parameters (besides path parameters and the global ones). */
    public Set<String> paramNames() {
        return paramNames;
    }

    /** The Elasticsearch action whose privilege this endpoint needs. */
    public String action() {
        return access.action();
    }

    public Access<? super R> access() {
        return access;
    }

    /** Whether a successful run changes the security configuration (and says how, for the audit trail). */
    public boolean changesSecurity() {
        return change != null;
    }

    /** Checks the declared parameters' values, in declaration order (before unknown parameters are refused). */
    void checkParams(RestRequest request) {
        for (Param p : params) {
            p.check(request);
        }
    }

    /** As {@link #run(RestRequest, Authentication, Authorizer, SecurityEvents)} with no listener. */
    public CompletableFuture<RestResponse> run(RestRequest request, Authentication authentication, Authorizer authorizer) {
        return run(request, authentication, authorizer, SecurityEvents.NONE);
    }

    /**
     * Read, check parameters and body, validate, authorize, work, render (for a request already routed). {@code events}
     * hear the run-as and access decisions and, once the work succeeded, the security configuration change.
     */
    public CompletableFuture<RestResponse> run(RestRequest request, Authentication authentication, Authorizer authorizer,
                                               SecurityEvents events) {
        // Elasticsearch's BaseRestHandler order: the handler reads its request (its body first, then its parameters),
        // then parameters nobody read are refused, then a body nobody read; validation comes with the transport action.
        // Elasticsearch's REST handlers know the authenticated user while they read (has_privileges names it in its errors)
        if (authentication != null) {
            request.principal(authentication.principal());
        }
        R r = parser.parse(request);
        checkParams(request);
        if (!anyParams) {
            RestDispatcher.checkParams(request, paramNames);
        }
        if (request.hasBody() && !request.bodyConsumed()) {
            throw EsErrors.illegalArgument(ServerEsMessages.bodyNotSupported(request.method(),
                    UrlDecoding.pathComponent(request.path())));
        }
        r.validate();
        authorize(request, authentication, authorizer, events, r);
        if (change == null || events == SecurityEvents.NONE) {
            return work.run(r, authentication).thenApply(Endpoint::response);
        }
        return work.run(r, authentication).thenApply(reply -> {
            SecurityEvents.ConfigChange c = change.of(r, authentication, reply);
            if (c != null) {
                events.securityConfigChange(request.info(), c);
            }
            return response(reply);
        });
    }

    private static RestResponse response(Reply reply) {
        return new RestResponse(reply.status(), reply.body(), reply.headers(),
                reply instanceof TextReply t ? new RestResponse.Text(t.contentType(), t.text()) : null, reply.compactJson());
    }

    /** The access check, told to {@code events}: first the run-as (Elasticsearch audits it apart), then the action. */
    private void authorize(RestRequest request, Authentication authentication, Authorizer authorizer, SecurityEvents events, R r) {
        if (events == SecurityEvents.NONE) {
            access.check(authorizer, authentication, r);
            return;
        }
        String action = access.action(r);
        SecurityEvents.Access what = new SecurityEvents.Access(action, RequestNames.of(action), List.of());
        if (authentication instanceof UserAuthentication u && u.isRunAs()) {
            try {
                authorizer.authorizeRunAs(authentication, action);
            } catch (AuthorizationDeniedException e) {
                events.runAsDenied(request.info(), authentication, what);
                throw e;
            }
            events.runAsGranted(request.info(), authentication, what);
        }
        try {
            access.check(authorizer, authentication, r);
        } catch (AuthorizationDeniedException e) {
            events.accessDenied(request.info(), authentication, what);
            throw e;
        }
        events.accessGranted(request.info(), authentication, what);
    }

    /** Collects a declaration; {@link #execute} ends it. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private final List<Param> params = new ArrayList<>();
        private boolean anyParams;

        private Builder() {
        }

        /** Query parameters nobody declared are ignored, not refused (a proxy's check carrying the client's query). */
        public Builder anyParams() {
            this.anyParams = true;
            return this;
        }

        /** More routes: every method on every path (in this order). */
        public Builder on(Set<Method> methods, String... paths) {
            for (String path : paths) {
                for (Method m : Method.values()) {
                    if (methods.contains(m)) {
                        routes.add(new Route(m, path));
                    }
                }
            }
            return this;
        }

        public Builder on(Method method, String... paths) {
            return on(Set.of(method), paths);
        }

        /** Query parameters, checked in this order. */
        public Builder params(Param... ps) {
            params.addAll(List.of(ps));
            return this;
        }

        public <R extends Request> Typed<R> parse(Parser<R> parser) {
            return new Typed<>(this, parser);
        }

        /** An endpoint that reads nothing from its request. */
        public Typed<Request> noRequest() {
            Request none = new Request() {
            };
            return new Typed<>(this, r -> none);
        }
    }

    /** A declaration whose request record is known. */
    public static final class Typed<R extends Request> {
        private final Builder b;
        private final Parser<R> parser;
        private Access<? super R> access;
        private Change<R> change;

        private Typed(Builder b, Parser<R> parser) {
            this.b = b;
            this.parser = parser;
        }

        public Typed<R> access(Access<? super R> a) {
            this.access = a;
            return this;
        }

        /** A write of the security configuration: what it changed, for the audit trail. */
        public Typed<R> changes(Change<R> c) {
            this.change = c;
            return this;
        }

        public Endpoint<R> execute(Work<R> work) {
            if (access == null) {
                throw new IllegalStateException("an endpoint declares who may call it");
            }
            return new Endpoint<>(b.routes, b.params, parser, access, work, change, b.anyParams);
        }
    }
}
