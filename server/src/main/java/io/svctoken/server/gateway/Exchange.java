package io.svctoken.server.gateway;

import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.svctoken.core.Futures;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authz.index.Need;
import io.svctoken.core.authz.index.RestRequests;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.gateway.bulk.AnswerMerger;
import io.svctoken.server.gateway.bulk.BodyInflater;
import io.svctoken.server.gateway.bulk.BulkAnswer;
import io.svctoken.server.gateway.bulk.BulkStream;
import io.svctoken.server.gateway.bulk.MultiGetAnswer;
import io.svctoken.server.gateway.bulk.MultiGetBody;
import io.svctoken.server.gateway.bulk.MultiSearchAnswer;
import io.svctoken.server.gateway.bulk.MultiSearchStream;
import io.svctoken.server.gateway.bulk.Outcome;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.FilterPath;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestDispatcher;
import io.svctoken.server.http.UrlDecoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One forwarded request, on the client connection's event loop: authenticate on the head (the body is not
 * read meanwhile), ask the policy, take a pooled upstream connection, then pass the body on piece by piece
 * and the answer back the same way. Neither side is read faster than the other is written: a side whose
 * write buffer is full stops the other side's reads until it drains, so memory stays at a few buffers
 * whatever the size of the bodies. Bodies pass as they are (compressed ones too); only the framing is redone; a gzip or
 * deflate item-by-item body is inflated as it streams ({@link BodyInflater}) and its allowed items go on uncompressed. The
 * decision waits for the upstream's index names when they are out of date ({@link UpstreamCatalog}); a wildcard
 * Elasticsearch would narrow to the caller's names is forwarded narrowed. {@code _bulk}, {@code _msearch} and
 * {@code _mget} bodies are read item by item: only allowed items reach the upstream, and the denied ones are put back
 * into its answer as Elasticsearch's 403 entries (package {@code bulk}). {@code POST /_aliases} and {@code _reindex}, whose
 * names are only in their bodies, are read whole (bounded), decided, then forwarded unchanged ({@link NamedBody}).
 *
 * <p>Failures before the answer started are Elasticsearch-shaped errors: an upstream that cannot be reached
 * is a 502 ({@code connect_exception}), one that does not answer within {@code response_timeout} (no byte
 * sent or received for that long) a 504 ({@code timeout_exception}). GET and HEAD requests without a body are
 * tried once more on another upstream when the first could not be reached or closed before answering.
 */
final class Exchange implements UpstreamRelay.User {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);
    private static final String REINDEX = "indices:data/write/reindex";
    /** The size of the chunks an item-by-item body goes upstream in (the last one aside). */
    static final int CHUNK = 64 * 1024;
    /** A refused request's body up to this size is read to its end before the refusal, which then keeps the connection. */
    private static final long SMALL_BODY = 64 * 1024;

    private final Gateway gateway;
    private final GatewayHandler handler;
    private final ChannelHandlerContext client;
    private final HttpRequest head;
    private final boolean clientKeepAlive;
    private final boolean idempotent;
    private final String accept;
    /** The URI sent upstream: the client's, or one naming the narrowed index list. */
    private String forwardUri;
    /** Body pieces that arrived before an upstream connection was ready. */
    private final ArrayDeque<HttpContent> pending = new ArrayDeque<>(2); // mostly empty: a bodiless request fills none

    private Upstreams.Upstream upstream;
    private Channel up;
    private boolean started;
    /** A refusal waiting for the rest of a small body (read and dropped) before it is sent; else null. */
    private FullHttpResponse refusalAfterBody;
    private boolean clientDone;
    private boolean bodySeen;
    private boolean lastSent;
    private boolean retried;
    private boolean skippingInterim;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean upstreamKeepAlive;
    private boolean finished;
    private long lastActivity;
    /** The answer is awaited: the connection's timeout check ({@link GatewayHandler#watch}) looks at this request. */
    private boolean watched;
    private long inFlight;
    /** A _bulk read item by item, else null; its outcome once the body ended; the answer's merger when items were denied. */
    private BulkStream bulk;
    /** A _msearch read search by search, else null. */
    private MultiSearchStream msearch;
    /** A _mget read whole (bounded), then decided document by document, else null. */
    private MultiGetBody mget;
    /** Inflates a gzip or deflate item-by-item body before its reader, else null. */
    private BodyInflater inflater;
    private Outcome outcome;
    private AnswerMerger merger;
    /** A request decided from its body (_aliases, _reindex), read whole first, else null; the caller, for that decision. */
    private NamedBody named;
    private Authentication caller;
    private long bulkStart;
    /** Allowed bytes of an item-by-item body not yet sent upstream (fewer than {@link #CHUNK}), else null. */
    private ByteBuf coalesced;
    /** A _bulk's filter_path, applied here; its answer held whole meanwhile. */
    private String filterPath;
    private HttpResponse heldHead;
    private CompositeByteBuf held;
    private boolean connecting;
    /** What the security events say of this request (its id joins them). */
    private RequestInfo info;

    Exchange(Gateway gateway, GatewayHandler handler, ChannelHandlerContext client, HttpRequest head) {
        this.gateway = gateway;
        this.handler = handler;
        this.client = client;
        this.head = head;
        this.clientKeepAlive = HttpUtil.isKeepAlive(head);
        this.idempotent = head.method().equals(HttpMethod.GET) || head.method().equals(HttpMethod.HEAD);
        this.accept = head.headers().get(HttpHeaderNames.ACCEPT);
        this.forwardUri = head.uri();
    }

    /**
     * Authenticates on the head alone, with the client's reads paused when a body may follow, as Elasticsearch does
     * before it reads a body. A request without one starts at its end (the decoder gives it right after the head) and is
     * not paused (two changes of the connection's read interest per request): what arrives meanwhile is a next request,
     * which {@link GatewayHandler} holds, pausing the reads then.
     */
    void start() {
        started = true;
        if (!bodiless(head)) {
            client.channel().config().setAutoRead(false);
        }
        try {
            InetSocketAddress addr = client.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
            info = new RequestInfo(RequestInfo.newId(), head.method().name(), head.uri(), addr, head.headers().get("X-Opaque-Id"),
                    head.headers().get("traceparent"), head.headers().get("X-Forwarded-For"), true);
            EsException refused = gateway.audit.refusal();
            if (refused != null) {
                fail(refused);
                return;
            }
            then(gateway.authentication.authenticate(head.headers().get(HttpHeaderNames.AUTHORIZATION),
                    head.headers().get(AuthenticationService.RUN_AS_HEADER), info), this::authenticated);
        } catch (RuntimeException e) {
            authenticated(null, e);
        }
    }

    /** Whether nothing of the request is left to read after its head: it starts at its end ({@link GatewayHandler}). */
    static boolean bodiless(HttpRequest head) {
        return !HttpUtil.isTransferEncodingChunked(head) && HttpUtil.getContentLength(head, 0L) == 0;
    }

    boolean started() {
        return started;
    }

    /**
     * The next step with a future's outcome: at once when the whole request is read and the future is complete (a
     * cached check: the upstream gets the request while its client's read is handled, not after a hop through the
     * loop's task queue), else on this loop when it completes. A request with a body keeps the hop: it is decided on
     * its head with the body's reads paused, and its refusal closes the connection, as before.
     */
    private <T> void then(CompletableFuture<T> f, BiConsumer<T, Throwable> next) {
        if (clientDone && f.isDone()) {
            T value = null;
            Throwable error = null;
            try {
                value = f.join();
            } catch (CompletionException | CancellationException e) {
                error = e;
            }
            next.accept(value, error);
            return;
        }
        f.whenComplete((value, error) -> client.executor().execute(() -> next.accept(value, error)));
    }

    private void authenticated(Authentication who, Throwable error) {
        if (finished) {
            return;
        }
        if (error != null) {
            fail(EsException.from(Futures.unwrap(error)));
            return;
        }
        caller = who;
        String method = head.method().name();
        String rawPath = UrlDecoding.rawPath(head.uri());
        Map<String, String> query = UrlDecoding.queryParams(head.uri());
        try {
            // classified once: the names to look up, the decision and the audit's action all read it
            Need need = RestRequests.classify(method, rawPath, query);
            // the upstream's names first (a short wait at most once per refresh interval, or for a name not seen yet)
            then(gateway.catalog.current(client.channel().eventLoop(), TablePolicy.concreteNames(need)),
                    (names, e) -> decide(who, method, rawPath, query, need));
        } catch (RuntimeException e) {
            fail(EsException.from(e));
        }
    }

    private void decide(Authentication who, String method, String rawPath, Map<String, String> query, Need classified) {
        if (finished) {
            return;
        }
        ForwardPolicy.Verdict verdict;
        NamedBody.Kind bodyKind = NamedBody.of(method, rawPath);
        try {
            if (bodyKind != null) {
                // its names are in its body: decided once that is read (a reindex's name-only action first, as Elasticsearch)
                verdict = bodyKind == NamedBody.Kind.REINDEX ? gateway.policy.decide(who, new Need.NameOnly(REINDEX)) : new ForwardPolicy.Verdict.Allow();
            } else {
                TablePolicy.Forward forward = gateway.policy.decideRewriting(who, method, rawPath, query, classified);
                verdict = forward.verdict();
                if (!forward.rawPath().equals(rawPath)) {
                    // a wildcard narrowed to the caller's names: that list is what the upstream gets, as Elasticsearch searches it
                    String uri = head.uri();
                    int q = uri.indexOf('?');
                    forwardUri = forward.rawPath() + (q >= 0 ? uri.substring(q) : "");
                }
            }
        } catch (RuntimeException e) {
            fail(EsException.from(e));
            return;
        }
        SecurityEvents.Access asked = NeedAccess.of(classified);
        if (verdict instanceof ForwardPolicy.Verdict.Deny deny) {
            // a 403 is a refused action; another status (a missing index) is an allowed action answered with its error
            if (deny.status() == 403) {
                gateway.events.accessDenied(info, who, asked);
            } else {
                gateway.events.accessGranted(info, who, asked);
            }
            fail(new EsException(deny.type(), deny.status(), deny.reason()));
            return;
        }
        gateway.events.accessGranted(info, who, asked);
        // _bulk, _msearch and _mget are allowed as a whole, then decided item by item from their bodies
        if (verdict instanceof ForwardPolicy.Verdict.AllowBulk b && !startItems(who, new Need.Bulk(b.defaultIndex()), query)) {
            return;
        }
        if (bodyKind != null && !startNamed(who, bodyKind)) {
            return;
        }
        Need need = verdict instanceof ForwardPolicy.Verdict.Allow && bodyKind == null ? classified : null;
        if ((need instanceof Need.Msearch || need instanceof Need.Mget) && !startItems(who, need, query)) {
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            // Expect is answered here, not passed on: the client learns it may send once svctoken has decided
            FullHttpResponse cont = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
            cont.headers().set(ProxyHeaders.PRODUCT_HEADER, ProxyHeaders.PRODUCT);
            client.writeAndFlush(cont);
        }
        lastActivity = System.nanoTime();
        watched = true;
        handler.watch();
        if (itemized()) {
            // the upstream is asked at the first allowed item: a body of denied items only never reaches it
            List<HttpContent> early = List.copyOf(pending);
            pending.clear();
            for (HttpContent c : early) {
                fromClient(c);
            }
            resumeClient();
            return;
        }
        connect(null);
    }

    /**
     * A {@code _bulk} or {@code _msearch} decided item by item as its body streams ({@link BulkStream},
     * {@link MultiSearchStream}), an {@code _mget} once its (small) body is read ({@link MultiGetBody}); false when it
     * is refused. The body is read here (uncompressed) and only what is allowed goes on, chunked.
     */
    private boolean startItems(Authentication who, Need need, Map<String, String> query) {
        String encoding = head.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            // inflated here to read the items; the upstream gets the allowed ones uncompressed (upstreamHead)
            inflater = BodyInflater.of(encoding, this::feedItems);
            if (inflater == null) {
                fail(EsErrors.illegalArgument(ServerEsMessages.gatewayCannotReadEncodedItems(UrlDecoding.rawPath(head.uri()), encoding)));
                return false;
            }
        }
        if (query.containsKey("filter_path")) {
            // it would change the answer the denials are merged into: applied here to the merged answer instead
            filterPath = query.get("filter_path");
            forwardUri = withoutParameter(forwardUri, "filter_path");
        }
        bulkStart = System.nanoTime();
        if (need instanceof Need.Msearch m) {
            msearch = new MultiSearchStream(m.defaultIndex(), gateway.policy.msearchSearches(who), MultiSearchStream.DEFAULT_MAX_HEADER_LINE,
                    this::allowedBytes);
        } else if (need instanceof Need.Mget m) {
            Function<String, String> check = gateway.policy.mgetItems(who);
            mget = new MultiGetBody(m.defaultIndex(), (op, index) -> check.apply(index), gateway.maxDecidedBody);
        } else {
            bulk = new BulkStream(((Need.Bulk) need).defaultIndex(), gateway.policy.bulkItems(who), this::allowedBytes);
        }
        return true;
    }

    /** A request decided from its (bounded) body: read whole here, then decided, then forwarded unchanged; false when refused. */
    private boolean startNamed(Authentication who, NamedBody.Kind kind) {
        String encoding = head.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            fail(EsErrors.illegalArgument(ServerEsMessages.gatewayCannotReadEncodedItems(UrlDecoding.rawPath(head.uri()), encoding)));
            return false;
        }
        caller = who;
        named = new NamedBody(kind, gateway.maxDecidedBody);
        return true;
    }

    /** A piece of an _aliases or _reindex body; at its end, the decision on its names. */
    private void namedFromClient(HttpContent c, boolean last) {
        try {
            named.feed(c.content().nioBuffer());
        } catch (EsException e) {
            fail(e);
            return;
        } finally {
            c.release();
        }
        lastActivity = System.nanoTime();
        if (!last) {
            return;
        }
        NamedBody.NeedOrRemote read;
        try {
            read = named.end();
        } catch (EsException e) {
            fail(e);
            return;
        }
        if (read instanceof NamedBody.Decided d) {
            gateway.catalog.current(client.channel().eventLoop(), TablePolicy.concreteNames(d.need()))
                    .whenComplete((names, e) -> client.executor().execute(() -> namedDecided(gateway.policy.decide(caller, d.need()))));
        } else {
            // a reindex from a remote cluster: outside the table (the all cluster privilege)
            namedDecided(gateway.policy.requireAllClusterPrivilege(caller, head.method().name(), UrlDecoding.rawPath(head.uri()), Map.of()));
        }
    }

    private void namedDecided(ForwardPolicy.Verdict verdict) {
        if (finished) {
            return;
        }
        if (verdict instanceof ForwardPolicy.Verdict.Deny deny) {
            fail(new EsException(deny.type(), deny.status(), deny.reason()));
            return;
        }
        allowedBytes(ByteBuffer.wrap(named.bytes()));
        sendCoalesced();
        if (up == null) {
            pending.add(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            sendUp(LastHttpContent.EMPTY_LAST_CONTENT);
            up.flush();
        }
    }

    /** {@code uri} without the query parameter {@code name}. */
    private static String withoutParameter(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return uri;
        }
        StringBuilder out = new StringBuilder(uri.substring(0, q));
        char sep = '?';
        for (String p : uri.substring(q + 1).split("&")) {
            int eq = p.indexOf('=');
            if (p.isEmpty() || UrlDecoding.queryParams("?" + (eq >= 0 ? p.substring(0, eq) : p)).containsKey(name)) {
                continue;
            }
            out.append(sep).append(p);
            sep = '&';
        }
        return out.toString();
    }

    /** The whole answer, merged with the denials when it is a 200, shaped by the request's {@code filter_path}. */
    private byte[] shaped(byte[] answer, int status) {
        byte[] merged = status == 200 && outcome != null && !outcome.denied().isEmpty()
                ? bulk != null ? BulkAnswer.merge(answer, outcome)
                : msearch != null ? MultiSearchAnswer.merge(answer, outcome) : MultiGetAnswer.merge(answer, outcome) : answer;
        try {
            JsonNode filtered = FilterPath.apply(filterPath, Json.MAPPER.readTree(merged));
            return filtered == null ? "{}".getBytes(StandardCharsets.US_ASCII) : Json.bytes(filtered, false);
        } catch (IOException | RuntimeException e) {
            return merged; // not JSON: as the upstream sent it
        }
    }

    /**
     * Bytes of allowed items: to the upstream, whose exchange opens at the first of them. They go on in chunks of
     * {@link #CHUNK} bytes ({@link #sendCoalesced} sends the rest at the body's end), not one per piece the client's
     * connection gave: an upstream pays per chunk (OpenSearch spent 1.8 times the CPU per MB on a body in 8 KB chunks).
     */
    private void allowedBytes(ByteBuffer bytes) {
        if (up == null && !connecting) {
            connecting = true;
            client.channel().config().setAutoRead(false);
            connect(null);
        }
        while (bytes.hasRemaining()) {
            if (coalesced == null) {
                coalesced = client.alloc().buffer(CHUNK, CHUNK);
            }
            int n = Math.min(bytes.remaining(), coalesced.writableBytes());
            ByteBuffer part = bytes.duplicate();
            part.limit(part.position() + n);
            coalesced.writeBytes(part);
            bytes.position(bytes.position() + n);
            if (!coalesced.isWritable()) {
                sendCoalesced();
            }
        }
    }

    /** The allowed bytes gathered so far, as one chunk: when {@link #CHUNK} are gathered, and before the body's end. */
    private void sendCoalesced() {
        if (coalesced == null) {
            return;
        }
        HttpContent c = new DefaultHttpContent(coalesced);
        coalesced = null;
        if (up != null) {
            sendUp(c);
        } else {
            pending.add(c);
        }
    }

    private void releaseCoalesced() {
        if (coalesced != null) {
            coalesced.release();
            coalesced = null;
        }
    }

    /** A piece of a {@code _bulk} body: its allowed items go on; at its end, all denied is answered here. */
    private void bulkFromClient(HttpContent c, boolean last) {
        if (named != null) {
            namedFromClient(c, last);
            return;
        }
        try {
            if (inflater != null) {
                inflater.feed(c.content().nioBuffer());
                if (last) {
                    inflater.end();
                }
            } else {
                feedItems(c.content().nioBuffer());
            }
            if (last && mget != null) {
                MultiGetBody.Result read = mget.end();
                outcome = read.outcome();
                if (read.forward() != null) {
                    allowedBytes(ByteBuffer.wrap(read.forward()));
                }
            } else if (last) {
                outcome = bulk != null ? bulk.end() : msearch.end();
            }
        } catch (EsException e) {
            abortUpstream();
            fail(e);
            return;
        } finally {
            c.release();
        }
        lastActivity = System.nanoTime();
        if (last && outcome.allDenied()) {
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bulkStart);
            byte[] local = bulk != null ? BulkAnswer.local(outcome, took)
                    : msearch != null ? MultiSearchAnswer.local(outcome, took) : MultiGetAnswer.local(outcome);
            answer(HttpResponseStatus.OK, filterPath == null ? local : shaped(local, 0));
            return;
        }
        if (last) {
            sendCoalesced();
        }
        if (up == null) {
            if (last) {
                pending.add(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            if (!connecting) {
                client.read(); // nothing allowed yet: the next piece
            }
            return;
        }
        if (last) {
            sendUp(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        up.flush();
        if (!up.isWritable()) {
            client.channel().config().setAutoRead(false);
        }
    }

    /** Plain bytes of a _bulk, _msearch or _mget body to its item reader. */
    private void feedItems(ByteBuffer bytes) {
        if (bulk != null) {
            bulk.feed(bytes);
        } else if (msearch != null) {
            msearch.feed(bytes);
        } else {
            mget.feed(bytes);
        }
    }

    /** A _bulk, _msearch or _mget read item by item. */
    private boolean itemized() {
        return bulk != null || msearch != null || mget != null || named != null;
    }

    /** The upstream gets no complete request: its connection is closed, never returned to the pool. */
    private void abortUpstream() {
        Channel ch = up;
        detach();
        if (ch != null) {
            ch.close();
        }
        pending.forEach(HttpContent::release);
        pending.clear();
        releaseCoalesced();
    }

    private void connect(Upstreams.Upstream not) {
        upstream = gateway.upstreams.pick(not);
        Upstreams.Upstream target = upstream;
        Channel idle = client.executor().inEventLoop() ? gateway.upstreams.idle(target, client.channel().eventLoop()) : null;
        if (idle != null) {
            // the common case: a kept-alive connection is waiting on this loop, taken at once
            acquired(target, idle);
            return;
        }
        gateway.upstreams.acquire(target, client.channel().eventLoop()).addListener((Future<Channel> f) -> acquired(target, f));
    }

    private void acquired(Upstreams.Upstream target, Future<Channel> f) {
        if (!f.isSuccess()) {
            target.markDown(f.cause());
            if (finished) {
                return;
            }
            if (mayRetry() && gateway.upstreams.size() > 1) {
                retried = true;
                connect(target);
                return;
            }
            Throwable cause = f.cause();
            fail(new EsException("connect_exception", 502, "cannot reach the upstream [" + target + "]: "
                    + (cause == null ? "failed" : cause.getMessage())));
            return;
        }
        acquired(target, f.getNow());
    }

    private void acquired(Upstreams.Upstream target, Channel ch) {
        if (finished) {
            gateway.upstreams.release(target, ch);
            return;
        }
        up = ch;
        up.pipeline().get(UpstreamRelay.class).exchange = this;
        up.config().setAutoRead(true);
        lastSent = false;
        writeUp(upstreamHead());
        while (!pending.isEmpty()) {
            sendUp(pending.poll());
        }
        if (clientDone && !lastSent && !itemized()) {
            // an item-by-item body ends when its reader has read it all (this may run in the middle of its last piece)
            sendUp(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        up.flush();
        resumeClient();
    }

    private HttpRequest upstreamHead() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, head.method(), forwardUri);
        ProxyHeaders.copyRequest(head.headers(), r.headers());
        r.headers().set(HttpHeaderNames.HOST, upstream.authority);
        if (HttpUtil.isTransferEncodingChunked(head) || itemized()) {
            // a _bulk body without its denied items is shorter than the client's Content-Length
            r.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            HttpUtil.setTransferEncodingChunked(r, true);
        }
        if (itemized()) {
            r.headers().remove(HttpHeaderNames.ACCEPT_ENCODING); // its answer may have to be merged: uncompressed
            r.headers().remove(HttpHeaderNames.CONTENT_ENCODING); // the allowed items go on as read: inflated
        }
        if (gateway.identity != null) {
            // whatever the client sent under that name never passes: only the gateway says who the caller is
            r.headers().remove(gateway.identity.name);
            r.headers().set(gateway.identity.name, gateway.identity.value(caller));
        }
        Secret auth = gateway.upstreams.authorization();
        if (auth != null) {
            r.headers().set(HttpHeaderNames.AUTHORIZATION, auth.revealAsString(SecretAccess.plaintext()));
        }
        return r;
    }

    /** A GET or HEAD whose body (none) was not yet consumed may be sent again. */
    private boolean mayRetry() {
        return idempotent && !retried && !bodySeen;
    }

    /** A piece of the client's body. */
    void fromClient(HttpContent c) {
        if (c.content().isReadable()) {
            bodySeen = true;
        }
        boolean last = c instanceof LastHttpContent;
        if (last) {
            clientDone = true;
        }
        if (finished || responseDone) {
            // refused, or answered before the body ended: the rest of the body is read and dropped
            c.release();
            if (last && responseDone && !finished) {
                done();
            }
            if (last && refusalAfterBody != null) {
                FullHttpResponse r = refusalAfterBody;
                refusalAfterBody = null;
                send(r, true);
            }
            return;
        }
        if (itemized()) {
            bulkFromClient(c, last);
            return;
        }
        if (up == null) {
            pending.add(c);
            return;
        }
        sendUp(c);
        up.flush();
        if (!up.isWritable()) {
            client.channel().config().setAutoRead(false);
        }
    }

    private void sendUp(HttpContent c) {
        if (c instanceof LastHttpContent) {
            lastSent = true;
        }
        writeUp(c);
    }

    private void writeUp(Object msg) {
        track(msg, up.write(msg));
    }

    /** From this handler's place in the client's pipeline: past the codec, not through the local path's handlers. */
    private void writeClient(Object msg) {
        track(msg, client.write(msg));
    }

    /** Counts what is queued and not yet on the wire; a finished write is activity for the timeout. */
    private void track(Object msg, ChannelFuture write) {
        long n = msg instanceof HttpContent c ? c.content().readableBytes() : 0;
        inFlight += n;
        if (inFlight > Gateway.MAX_IN_FLIGHT_BYTES.get()) {
            // read first: a write to the value every event loop shares only when it grows
            Gateway.MAX_IN_FLIGHT_BYTES.accumulateAndGet(inFlight, Math::max);
        }
        write.addListener((ChannelFutureListener) f -> {
            inFlight -= n;
            if (f.isSuccess()) {
                lastActivity = System.nanoTime();
            }
        });
    }

    private void resumeClient() {
        if (!clientDone && !finished && (up != null && up.isWritable() || itemized() && up == null && !connecting)) {
            client.channel().config().setAutoRead(true);
            client.read();
        }
    }

    @Override
    public void upstreamWritabilityChanged() {
        resumeClient();
    }

    void clientWritabilityChanged() {
        if (up != null && !responseDone && client.channel().isWritable()) {
            up.config().setAutoRead(true);
            up.read();
        }
    }

    /** A piece of the upstream's answer. */
    @Override
    public void fromUpstream(Object msg) {
        lastActivity = System.nanoTime();
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse r) {
            if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL
                    && r.status().code() != 101) {
                skippingInterim = true; // 100 Continue and the like: the client got its own
            } else {
                upstream.markUp();
                upstreamKeepAlive = HttpUtil.isKeepAlive(r);
                if (r.status().codeClass() == HttpStatusClass.SUCCESS && UpstreamCatalog.changesNames(head.method().name(), forwardUri)) {
                    gateway.catalog.invalidate();
                }
                if (filterPath != null) {
                    // the whole answer is needed to shape it: held until its end
                    heldHead = clientHead(r);
                    held = client.alloc().compositeBuffer();
                } else {
                    if (outcome != null && !outcome.denied().isEmpty() && r.status().code() == 200) {
                        // denied items go back in their places among the upstream's
                        Consumer<ByteBuffer> sink = bytes -> writeClient(new DefaultHttpContent(Unpooled.copiedBuffer(bytes)));
                        merger = bulk != null ? AnswerMerger.bulk(outcome, sink)
                                : msearch != null ? AnswerMerger.multiSearch(outcome, sink) : AnswerMerger.multiGet(outcome, sink);
                    }
                    HttpResponse out = clientHead(r);
                    if (merger != null) {
                        out.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                        HttpUtil.setTransferEncodingChunked(out, true);
                    }
                    writeClient(out);
                    responseStarted = true;
                }
            }
        }
        if (msg instanceof HttpContent c) {
            boolean last = c instanceof LastHttpContent;
            if (skippingInterim) {
                c.release();
                if (last) {
                    skippingInterim = false;
                }
                return;
            }
            if (held != null) {
                lastActivity = System.nanoTime();
                held.addComponent(true, c.content().retain());
                c.release();
                if (!last) {
                    return;
                }
                byte[] answer = new byte[held.readableBytes()];
                held.readBytes(answer);
                held.release();
                held = null;
                byte[] body = shaped(answer, heldHead.status().code());
                heldHead.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                heldHead.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
                HttpUtil.setContentLength(heldHead, body.length);
                writeClient(heldHead);
                responseStarted = true;
                writeClient(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
            } else if (merger != null) {
                try {
                    merger.feed(c.content().nioBuffer());
                    if (last) {
                        merger.end();
                    }
                } catch (RuntimeException e) {
                    // the answer is out in part: the client can only learn it from the closed connection
                    LOG.warn("gateway cannot merge the upstream's _bulk or _msearch answer with the denied items: {}", e.getMessage());
                    c.release();
                    upstreamFailed(e);
                    return;
                }
                c.release();
                if (last) {
                    writeClient(LastHttpContent.EMPTY_LAST_CONTENT);
                }
            } else {
                writeClient(c);
            }
            if (last) {
                DeferredFlush.flushSoon(client);
                responseDone = true;
                responseComplete();
            } else if (!client.channel().isWritable()) {
                // written but not yet flushed counts too: the flush at the end of this read sends it
                up.config().setAutoRead(false);
            }
        }
    }

    /**
     * What one read of the upstream gave goes to the client in one flush: a small answer's head and body in one
     * write, not one system call each.
     */
    @Override
    public void upstreamReadComplete() {
        if (!finished) {
            DeferredFlush.flushSoon(client);
        }
    }

    private HttpResponse clientHead(HttpResponse r) {
        HttpResponse out;
        if (r instanceof HttpContent) {
            // a decoder's failed message carries its content: a head of its own, the content written after it
            out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, r.status());
            ProxyHeaders.copyResponse(r.headers(), out.headers());
        } else {
            // the upstream's head made the caller's in place: no second head and header map per answer
            out = r.setProtocolVersion(HttpVersion.HTTP_1_1);
            ProxyHeaders.stripResponse(out.headers());
        }
        out.headers().set(ProxyHeaders.PRODUCT_HEADER, ProxyHeaders.PRODUCT);
        int code = r.status().code();
        boolean bodyless = head.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        if (!bodyless && !HttpUtil.isContentLengthSet(out)) {
            HttpUtil.setTransferEncodingChunked(out, true);
        }
        if (!clientKeepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return out;
    }

    private void responseComplete() {
        cancelTimer();
        Channel ch = up;
        detach();
        if (upstreamKeepAlive && lastSent) {
            ch.config().setAutoRead(true);
            gateway.upstreams.release(upstream, ch);
        } else {
            ch.close();
        }
        if (clientDone) {
            done();
        } else {
            readRestOfBody(); // answered before the body ended
        }
    }

    private void done() {
        finished = true;
        releaseCoalesced(); // answered before the body ended: what was still gathered never goes
        handler.exchangeDone(this, clientKeepAlive);
    }

    /** The upstream connection closed or failed before its answer ended. */
    @Override
    public void upstreamFailed(Throwable cause) {
        if (finished || responseDone) {
            return;
        }
        if (abandonUpstream()) {
            return;
        }
        if (mayRetry()) {
            retried = true;
            connect(gateway.upstreams.size() > 1 ? upstream : null);
            return;
        }
        fail(new EsException("connect_exception", 502, ServerEsMessages.upstreamClosedBeforeAnswering(String.valueOf(upstream),
                cause == null ? null : cause.getMessage())));
    }

    /**
     * From the connection's timeout check: the nanoseconds until this request would time out, or -1 when it is not
     * awaited (any more), or timed out now (a 504, or the connection closed when the answer had started).
     */
    long checkTimeout() {
        if (!watched || finished || responseDone) {
            return -1;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle < gateway.responseTimeoutNanos) {
            return gateway.responseTimeoutNanos - idle;
        }
        if (abandonUpstream()) {
            return -1;
        }
        fail(new EsException("timeout_exception", 504, ServerEsMessages.upstreamDidNotAnswer(String.valueOf(upstream),
                TimeUnit.NANOSECONDS.toMillis(gateway.responseTimeoutNanos))));
        return -1;
    }

    /**
     * Drops the upstream connection. True when part of the answer already went to the client, which can then only
     * learn of the failure from its connection being closed (done here); false when the client may still get an answer.
     */
    private boolean abandonUpstream() {
        Channel ch = up;
        detach();
        if (ch != null) {
            ch.close();
        }
        if (responseStarted) {
            finished = true;
            cancelTimer();
            releaseCoalesced();
            client.close();
            return true;
        }
        return false;
    }

    void clientClosed() {
        if (refusalAfterBody != null) {
            refusalAfterBody.release();
            refusalAfterBody = null;
        }
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        Channel ch = up;
        detach();
        if (ch != null) {
            ch.close();
        }
        pending.forEach(HttpContent::release);
        pending.clear();
        releaseCoalesced();
        releaseInflater();
    }

    private void releaseInflater() {
        if (inflater != null) {
            inflater.release();
        }
    }

    private void detach() {
        if (held != null) {
            held.release();
            held = null;
        }
        if (up != null) {
            up.pipeline().get(UpstreamRelay.class).exchange = null;
            up = null;
        }
    }

    private void cancelTimer() {
        watched = false;
    }

    /** A whole answer of the gateway's own (a _bulk whose items were all denied). */
    private void answer(HttpResponseStatus status, byte[] body) {
        finished = true;
        cancelTimer();
        send(ownAnswer(status, body, Map.of()), clientKeepAlive);
    }

    /** An answer of the gateway's own: Elasticsearch's product header, the caller's content type, {@code extra}, the length. */
    private FullHttpResponse ownAnswer(HttpResponseStatus status, byte[] body, Map<String, List<String>> extra) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(ProxyHeaders.PRODUCT_HEADER, ProxyHeaders.PRODUCT);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, RestDispatcher.contentType(accept));
        for (Map.Entry<String, List<String>> h : extra.entrySet()) {
            r.headers().add(h.getKey(), h.getValue());
        }
        HttpUtil.setContentLength(r, body.length);
        return r;
    }

    /**
     * Answers with Elasticsearch's error envelope. The connection is closed after it unless the whole request was read
     * and the client keeps it alive (the unread rest of a body cannot be told from a next request), or the rest of a
     * small body can be read and dropped first.
     */
    private void fail(EsException e) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        pending.forEach(HttpContent::release);
        pending.clear();
        releaseCoalesced();
        releaseInflater();
        FullHttpResponse r = ownAnswer(HttpResponseStatus.valueOf(e.status()), Json.bytes(Json.errorEnvelope(e), false), e.headers());
        LOG.debug("gateway refused or failed [{} {}]: {} {}", head.method(), UrlDecoding.rawPath(head.uri()), e.status(), e.type());
        if (!clientDone && clientKeepAlive && !HttpUtil.is100ContinueExpected(head) && !HttpUtil.isTransferEncodingChunked(head)
                && HttpUtil.getContentLength(head, Long.MAX_VALUE) <= SMALL_BODY) {
            // the rest of a small body is read and dropped first, then answered on the kept connection: closed under
            // a client still sending its body, the connection may reach it as a reset that loses the answer
            refusalAfterBody = r;
            readRestOfBody();
            return;
        }
        send(r, clientKeepAlive && clientDone);
    }

    /** Reads what is left of the client's body; {@link #fromClient} drops it once the request is answered or refused. */
    private void readRestOfBody() {
        client.channel().config().setAutoRead(true);
        client.read();
    }

    private void send(FullHttpResponse r, boolean keep) {
        if (!keep) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture written = client.writeAndFlush(r);
        written.addListener((ChannelFutureListener) f -> handler.exchangeDone(this, keep && f.isSuccess()));
    }
}
