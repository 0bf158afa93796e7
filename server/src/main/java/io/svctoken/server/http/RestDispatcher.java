package io.svctoken.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.svctoken.core.Futures;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.error.DomainException;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.core.text.Levenshtein;
import io.svctoken.server.ServerEsMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * Turns HTTP requests into endpoint calls: authenticate, route (400/405 like Elasticsearch), check
 * parameters, then the endpoint's read, validate, authorize, work and render ({@link Endpoint}), write the JSON answer with {@code X-Elastic-Product}. Nothing here
 * blocks: authentication and endpoints answer with futures. One request per connection is in
 * flight at a time: while an answer is pending, reads pause until it is written, and requests already read meanwhile
 * (pipelined in the same packets) wait their turn, which keeps pipelined answers in order. An answer ready at once (a
 * cached authentication's) is written at once and reading goes on, unless the connection's outbound buffer is full (a
 * client that sends without reading its answers).
 */
@ChannelHandler.Sharable
public final class RestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(RestDispatcher.class);
    // Header names and the common values pre-encoded once, not per answer.
    private static final AsciiString PRODUCT_HEADER = AsciiString.cached(ProductAggregator.PRODUCT_HEADER);
    private static final AsciiString PRODUCT = AsciiString.cached(ProductAggregator.PRODUCT);
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final byte[] NO_BODY = new byte[0];
    /**
     * For JSON answers that carry only the headers set here (names and values that are constants, digits, or the media type
     * built from digits): nothing to check per answer. Answers with an endpoint's or an error's headers, and text answers,
     * are checked.
     */
    private static final HttpHeadersFactory OWN_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    /** Parameters every endpoint accepts (Elasticsearch's response parameters). */
    private static final Set<String> GLOBAL_PARAMS = Set.of("pretty", "human", "error_trace", "filter_path");
    private static final String[] BOOLEAN_FLAGS = {"pretty", "human", "error_trace"};
    /**
     * The headers Elasticsearch copies into a request's context as one value (core's and security's, with
     * run-as on): sent several times with different values they are a 400, before authentication.
     */
    private static final List<String> SINGLE_VALUED_HEADERS = List.of("Authorization", AuthenticationService.RUN_AS_HEADER,
            "es-secondary-authorization", "ES-Client-Authentication", "X-Opaque-Id", "traceparent", "tracestate",
            "X-elastic-product-origin");

    /** A connection's pending answer and the requests read while it was pending; made on the first pause. */
    private static final AttributeKey<Waiting> WAITING = AttributeKey.valueOf(RestDispatcher.class, "waiting");

    private static final class Waiting {
        boolean pending;
        final ArrayDeque<Queued> requests = new ArrayDeque<>();
    }

    private record Queued(ChannelHandlerContext own, FullHttpRequest http) {
    }

    private final Router router;
    private final AuthenticationService authentication;
    private final Authorizer authorizer;
    private final SecurityEvents events;
    private final AuditGate audit;
    private final SessionCookies sessions;

    /**
     * What the dispatcher tells the audit trail beyond the security events: a request's body before its authentication
     * (only when bodies are audited), and whether requests must be refused because the audit log cannot be written.
     */
    public interface AuditGate {
        AuditGate NONE = new AuditGate() {
        };

        /** Whether {@link #body} wants the bodies. */
        default boolean wantsBodies() {
            return false;
        }

        default void body(String requestId, byte[] body) {
        }

        /** The error to answer every request with while the audit log cannot be written, else null. */
        default EsException refusal() {
            return null;
        }
    }

    public RestDispatcher(Router router, AuthenticationService authentication, Authorizer authorizer) {
        this(router, authentication, authorizer, SecurityEvents.NONE, AuditGate.NONE);
    }

    /** @param events who hears each request's access decisions and security changes (the authentication's are told by the service) */
    public RestDispatcher(Router router, AuthenticationService authentication, Authorizer authorizer, SecurityEvents events, AuditGate audit) {
        this(router, authentication, authorizer, events, audit, SessionCookies.NONE);
    }

    /** @param sessions the console's session cookie, asked before the {@code Authorization} header ({@link SessionCookies#NONE}: none) */
    public RestDispatcher(Router router, AuthenticationService authentication, Authorizer authorizer, SecurityEvents events, AuditGate audit,
                          SessionCookies sessions) {
        this.router = router;
        this.authentication = authentication;
        this.authorizer = authorizer;
        this.events = events;
        this.audit = audit;
        this.sessions = sessions;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext own, FullHttpRequest http) {
        Waiting waiting = own.channel().attr(WAITING).get();
        if (waiting != null && waiting.pending) {
            // read in the same packets as one whose answer is pending (pipelined): answered after it, in order
            waiting.requests.add(new Queued(own, http.retain()));
            return;
        }
        serve(own, http);
    }

    private void serve(ChannelHandlerContext own, FullHttpRequest http) {
        // a request made whole by the short way is answered from there, past the compressor
        ChannelHandlerContext ctx = BodilessRequests.answerContext(own, http);
        // Netty's isKeepAlive iterates the Connection header's values even when there is none (most requests)
        boolean keepAlive = http.headers().contains(HttpHeaderNames.CONNECTION) ? HttpUtil.isKeepAlive(http)
                : http.protocolVersion().isKeepAliveDefault();
        String accept = http.headers().get(HttpHeaderNames.ACCEPT);
        if (!http.decoderResult().isSuccess()) {
            // Close after answering: Netty's decoder discards everything after a bad request line or headers,
            // so a kept-alive connection would swallow the client's next request.
            write(ctx, false, false, false, accept, simpleError(400, "bad HTTP request: " + http.decoderResult().cause().getMessage()));
            return;
        }
        Map<String, String> query;
        EsException badParameter = null;
        try {
            query = UrlDecoding.queryParams(http.uri());
        } catch (IllegalArgumentException e) {
            // As Elasticsearch: the request goes on without parameters, and is answered with the error once authenticated.
            query = new LinkedHashMap<>();
            badParameter = EsErrors.badParameter(e);
        }
        // The headers outlive the release of the request (only its content is reference-counted, and the
        // decoder makes new headers for every request), so they are used as they are, not copied.
        RestRequest request = new RestRequest(http.method().name(), http.uri(), UrlDecoding.rawPath(http.uri()), query,
                new NettyHeaders(http.headers()),
                ByteBufUtil.getBytes(http.content()));
        String repeated = repeatedSingleValuedHeader(http.headers());
        if (repeated != null) {
            // Elasticsearch checks these as it prepares authentication: a 400 for anyone, the connection kept.
            respond(ctx, keepAlive, false, accept, request,
                    errorResponse(request, EsErrors.illegalArgument(ServerEsMessages.multipleValuesForSingleValuedHeader(repeated))));
            return;
        }
        String badFlag = badBooleanFlag(query);
        if (badFlag != null) {
            // Elasticsearch parses these while it sets up the response channel, before authentication: a 400 for anyone.
            write(ctx, keepAlive, false, false, accept, consoleHeaders(ctx, request,
                    errorResponse(request, EsErrors.illegalArgument(ServerEsMessages.notABoolean(badFlag)))));
            return;
        }
        CompletableFuture<RestResponse> answer;
        try {
            InetSocketAddress client = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
            request.info(new RequestInfo(RequestInfo.newId(), request.method(), request.uri(), client, request.header("X-Opaque-Id"),
                    request.header("traceparent"), request.header("X-Forwarded-For"), false));
            EsException refused = audit.refusal();
            if (refused != null) {
                respond(ctx, keepAlive, false, accept, request, errorResponse(request, refused));
                return;
            }
            if (audit.wantsBodies()) {
                audit.body(request.info().id(), request.body());
            }
            EsException undecodable = badParameter;
            Router.Routing routing;
            try {
                routing = route(request);
            } catch (IllegalArgumentException e) {
                routing = null; // a malformed escape: its 400 comes after authentication, as before
            }
            Router.Routing routed = routing;
            if (routing != null && routing.endpoint() != null && routing.endpoint().access() instanceof Access.Unauthenticated<?>) {
                // declared so (health probes): no credentials read, no authentication event
                answer = undecodable != null ? CompletableFuture.failedFuture(undecodable) : dispatch(request, routing, null);
            } else {
                // the console's cookie, when it is the request's only credential; else the headers
                CompletableFuture<Authentication> bySession = sessions.authenticate(request);
                answer = (bySession != null ? bySession
                        : authentication.authenticate(request.header("Authorization"), request.header(AuthenticationService.RUN_AS_HEADER),
                                request.info()))
                        .thenCompose(authn -> undecodable != null ? CompletableFuture.failedFuture(undecodable)
                                : dispatch(request, routed, authn));
            }
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // Ready at once (a cached authentication, a refusal): written now, without pausing reads, which would cost two
        // changes of the selector's interest set per request; unless answers already wait in the outbound buffer.
        boolean pause = !answer.isDone() || !ctx.channel().isWritable();
        if (pause) {
            ctx.channel().config().setAutoRead(false);
            Waiting waiting = ctx.channel().attr(WAITING).get();
            if (waiting == null) {
                waiting = new Waiting();
                ctx.channel().attr(WAITING).set(waiting);
            }
            waiting.pending = true;
        }
        answer.whenComplete((response, error) ->
                respond(ctx, keepAlive, pause, accept, request, error == null ? response : errorResponse(request, error)));
    }

    /**
     * Writes the answer shaped by the request's {@code filter_path} and {@code pretty}; {@code resume}: reads were
     * paused for it and go on once it is written.
     */
    private void respond(ChannelHandlerContext ctx, boolean keepAlive, boolean resume, String accept, RestRequest request, RestResponse r) {
        if (r.body() != null && request.queryParams().containsKey("filter_path")) {
            r = new RestResponse(r.status(), FilterPath.apply(request.queryParams().get("filter_path"), r.body()), r.headers());
        }
        write(ctx, keepAlive, resume, request.pretty(), accept, consoleHeaders(ctx, request, r));
    }

    /** Every answer under the console's prefix carries its security headers (one place: {@link ConsoleHeaders}). */
    private RestResponse consoleHeaders(ChannelHandlerContext ctx, RestRequest request, RestResponse r) {
        if (!sessions.consoleServed() || !ConsoleHeaders.applies(request.path())) {
            return r;
        }
        return ConsoleHeaders.add(r, ctx.pipeline().get(SslHandler.class) != null);
    }

    private Router.Routing route(RestRequest request) {
        Router.Method method;
        try {
            method = Router.Method.valueOf(request.method());
        } catch (IllegalArgumentException e) {
            method = null;
        }
        return router.route(method, request.path());
    }

    /** Runs the routed endpoint ({@code routing} null: routed here), or answers Elasticsearch's 400/405. */
    private CompletableFuture<RestResponse> dispatch(RestRequest request, Router.Routing routing, Authentication authn) {
        if (routing == null) {
            routing = route(request);
        }
        boolean options = request.method().equals(Router.Method.OPTIONS.name());
        Set<Router.Method> allowed = routing.allowed();
        if (options && !allowed.isEmpty()) {
            return CompletableFuture.completedFuture(new RestResponse(200, null, Map.of("Allow", List.of(join(allowed)))));
        }
        Endpoint<?> endpoint = routing.endpoint();
        if (endpoint == null) {
            if (!allowed.isEmpty()) {
                String msg = ServerEsMessages.incorrectHttpMethod(request.uri(), request.method(), join(allowed));
                return CompletableFuture.completedFuture(simpleError(405, msg).withHeader("Allow", List.of(join(allowed))));
            }
            return CompletableFuture.completedFuture(simpleError(400, ServerEsMessages.noHandlerFound(request.uri(), request.method())));
        }
        routing.pathParams().forEach(p -> request.putPathParam(p[0], p[1]));
        return endpoint.run(request, authn, authorizer, events);
    }

    private static String join(Set<Router.Method> methods) {
        return methods.stream().sorted(Comparator.naturalOrder()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Elasticsearch's unrecognized-parameter error, with its "did you mean" suggestions. */
    static void checkParams(RestRequest request, Set<String> declared) {
        // Hot path: most requests carry no query parameter, or only known ones; build nothing for them.
        TreeSet<String> invalid = null;
        for (String p : request.queryParams().keySet()) {
            if (!GLOBAL_PARAMS.contains(p) && !declared.contains(p) && !request.pathParams().containsKey(p)) {
                if (invalid == null) {
                    invalid = new TreeSet<>();
                }
                invalid.add(p);
            }
        }
        if (invalid == null) {
            return;
        }
        Set<String> consumed = new HashSet<>(GLOBAL_PARAMS);
        consumed.addAll(declared);
        consumed.addAll(request.pathParams().keySet());
        StringBuilder sb = new StringBuilder(ServerEsMessages.unrecognizedParameters(request.path(), invalid.size()));
        boolean first = true;
        for (String bad : invalid) {
            if (!first) {
                sb.append(", ");
            }
            sb.append('[').append(bad).append(']');
            // Elasticsearch's parameter suggestions read " -> did you mean ..." (with an arrow)
            String hint = Levenshtein.didYouMean(bad, consumed);
            if (!hint.isEmpty()) {
                sb.append(" ->").append(hint);
            }
            first = false;
        }
        throw EsErrors.illegalArgument(sb.toString());
    }

    /** Netty's headers behind the request's own accessor (handlers never see Netty's types). */
    private record NettyHeaders(HttpHeaders headers) implements RestRequest.Headers {
        @Override
        public String get(String name) {
            return headers.get(name);
        }

        @Override
        public List<String> getAll(String name) {
            return headers.getAll(name);
        }
    }

    /** The first of {@link #SINGLE_VALUED_HEADERS} sent with two different values (names ignore case), else null. */
    private static String repeatedSingleValuedHeader(HttpHeaders headers) {
        for (String name : SINGLE_VALUED_HEADERS) {
            if (!headers.contains(name)) {
                continue; // most are absent: no list made for them
            }
            List<String> values = headers.getAll(name);
            for (int i = 1; i < values.size(); i++) {
                if (!values.get(i).equals(values.get(0))) {
                    return name;
                }
            }
        }
        return null;
    }

    /** The value of {@code pretty}, {@code human} or {@code error_trace} that is not a boolean (empty means true), else null. */
    private static String badBooleanFlag(Map<String, String> query) {
        for (String flag : BOOLEAN_FLAGS) {
            String v = query.get(flag);
            if (v != null && !RestRequest.isBoolean(v)) {
                return v;
            }
        }
        return null;
    }

    private static RestResponse simpleError(int status, String message) {
        ObjectNode o = Json.object();
        o.put("error", message);
        o.put("status", status);
        return RestResponse.of(status, o);
    }

    private static RestResponse errorResponse(RestRequest request, Throwable error) {
        Throwable t = Futures.unwrap(error);
        EsException e;
        if (t instanceof EsException es) {
            e = es;
        } else if (t instanceof DomainException) {
            e = EsException.from(t);
        } else if (t instanceof RejectedExecutionException) {
            e = EsErrors.rejected(request.toString());
        } else if (t instanceof IllegalArgumentException) {
            e = EsException.from(t);
        } else {
            LOG.error("unexpected failure serving [{}]", request, t);
            e = new EsException("exception", 500, "internal error while serving " + request.method() + " " + request.path());
        }
        RestResponse r = RestResponse.of(e.status(), e.body() != null ? e.body() : Json.errorEnvelope(e));
        // As Elasticsearch: an exception's headers are response headers too (WWW-Authenticate, Retry-After).
        for (Map.Entry<String, List<String>> h : e.headers().entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }

    /** Writes the answer; {@code resume}: reading was paused for it, and goes on once it is written. */
    private void write(ChannelHandlerContext ctx, boolean keepAlive, boolean resume, boolean pretty, String accept, RestResponse r) {
        byte[] body = r.text() != null ? r.text().bytes() : r.body() == null ? NO_BODY
                : !pretty && r.compact() != null ? r.compact() : Json.bytes(r.body(), pretty);
        FullHttpResponse resp = r.headers().isEmpty() && r.text() == null
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(body),
                        OWN_HEADERS, DefaultHttpHeadersFactory.trailersFactory())
                : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(body));
        resp.headers().set(PRODUCT_HEADER, PRODUCT);
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.text() != null ? r.text().contentType() : contentTypeValue(accept));
        if (!r.headers().isEmpty()) {
            r.headers().forEach((k, v) -> resp.headers().add(k, v));
        }
        HttpUtil.setContentLength(resp, body.length);
        HttpUtil.setKeepAlive(resp, keepAlive);
        if (!keepAlive) {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        } else if (!resume) {
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
            ctx.writeAndFlush(resp).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    f.channel().close();
                } else {
                    resume(f.channel());
                }
            });
        }
    }

    /** The pending answer is written: the requests that waited for it are served in order, then reading goes on. */
    private void resume(Channel channel) {
        Waiting waiting = channel.attr(WAITING).get();
        waiting.pending = false;
        while (!waiting.pending && channel.isActive() && !waiting.requests.isEmpty()) {
            Queued q = waiting.requests.poll();
            try {
                serve(q.own(), q.http());
            } finally {
                q.http().release();
            }
        }
        if (!waiting.pending) {
            channel.config().setAutoRead(true);
            channel.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Waiting waiting = ctx.channel().attr(WAITING).get();
        if (waiting != null) {
            for (Queued q; (q = waiting.requests.poll()) != null; ) {
                q.http().release();
            }
        }
        super.channelInactive(ctx);
    }

    /** {@link #contentType}, the common answer pre-encoded. */
    private static CharSequence contentTypeValue(String accept) {
        return accept == null || !accept.contains("application/vnd.elasticsearch+json") ? APPLICATION_JSON : contentType(accept);
    }

    /** Answers in the versioned media type when the client asked for it (the official clients do). */
    public static String contentType(String accept) {
        if (accept != null && accept.contains("application/vnd.elasticsearch+json")) {
            int i = accept.indexOf("compatible-with=");
            String v = i < 0 ? "8" : accept.substring(i + "compatible-with=".length()).replaceAll("[^0-9].*$", "");
            return "application/vnd.elasticsearch+json;compatible-with=" + (v.isEmpty() ? "8" : v);
        }
        return "application/json";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && !(cause.getCause() instanceof SSLException)
                && ctx.channel().isActive()) {
            // A body that cannot be decoded (a corrupt gzip body): say why, then close, as the rest of it cannot be read.
            Throwable why = cause.getCause() != null ? cause.getCause() : cause;
            LOG.debug("refusing an HTTP request whose body cannot be decoded: {}", why.toString());
            write(ctx, false, false, false, null, simpleError(400, "bad HTTP request: the body cannot be decoded (" + why.getMessage() + ")"));
            return;
        }
        LOG.debug("closing HTTP channel after an I/O error: {}", cause.toString());
        ctx.close();
    }
}
