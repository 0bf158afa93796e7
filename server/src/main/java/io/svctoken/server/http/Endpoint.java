package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.ServerEsMessages;
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

    /** A method and a path template ({@code /_security/service/{namespace}}). */
    public record Route(Method method, String path) {
    }

    private final List<Route> routes;
    private final List<Param> params;
    private final Parser<R> parser;
    private final Access<? super R> access;
    private final Work<R> work;
    private final Set<String> paramNames;

    private Endpoint(List<Route> routes, List<Param> params, Parser<R> parser, Access<? super R> access, Work<R> work) {
        this.routes = List.copyOf(routes);
        this.params = List.copyOf(params);
        this.parser = parser;
        this.access = access;
        this.work = work;
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

    /** Checks the declared parameters' values, in declaration order (before unknown parameters are refused). */
    void checkParams(RestRequest request) {
        for (Param p : params) {
            p.check(request);
        }
    }

    /** Read, check parameters and body, validate, authorize, work, render (for a request already routed). */
    public CompletableFuture<RestResponse> run(RestRequest request, Authentication authentication, Authorizer authorizer) {
        // Elasticsearch's BaseRestHandler order: the handler reads its request (its body first, then its parameters),
        // then parameters nobody read are refused, then a body nobody read; validation comes with the transport action.
        // Elasticsearch's REST handlers know the authenticated user while they read (has_privileges names it in its errors)
        request.principal(authentication.principal());
        R r = parser.parse(request);
        checkParams(request);
        RestDispatcher.checkParams(request, paramNames);
        if (request.hasBody() && !request.bodyConsumed()) {
            throw EsErrors.illegalArgument(ServerEsMessages.bodyNotSupported(request.method(),
                    UrlDecoding.pathComponent(request.path())));
        }
        r.validate();
        access.check(authorizer, authentication, r);
        return work.run(r, authentication).thenApply(reply -> new RestResponse(reply.status(), reply.body(), Map.of()));
    }

    /** Collects a declaration; {@link #execute} ends it. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private final List<Param> params = new ArrayList<>();

        private Builder() {
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

        private Typed(Builder b, Parser<R> parser) {
            this.b = b;
            this.parser = parser;
        }

        public Typed<R> access(Access<? super R> a) {
            this.access = a;
            return this;
        }

        public Endpoint<R> execute(Work<R> work) {
            if (access == null) {
                throw new IllegalStateException("an endpoint declares who may call it");
            }
            return new Endpoint<>(b.routes, b.params, parser, access, work);
        }
    }
}
