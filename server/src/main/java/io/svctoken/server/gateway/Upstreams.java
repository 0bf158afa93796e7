package io.svctoken.server.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.http.Transport;
import io.svctoken.server.settings.GatewaySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The upstreams, taken in turn (round robin), with keep-alive connection pools: one pool per upstream and
 * event loop, so that a forwarded request and its upstream connection share a thread. An upstream that
 * refuses a connection is marked down and skipped for a backoff (500ms, doubling up to 30s, reset by the next
 * answer); when all are down the next one in turn is tried anyway, so the gateway recovers as soon as one is back.
 * With health checks on ({@link HealthChecks}), an upstream whose probe failed is skipped until a probe succeeds.
 * Each change between up and down is one WARN line, never one per request.
 */
public final class Upstreams implements AutoCloseable {

    private static final long MIN_BACKOFF_NANOS = 500_000_000L;
    private static final long MAX_BACKOFF_NANOS = 30_000_000_000L;

    /** One upstream: its address, its pools, its health. */
    final class Upstream {
        final URI uri;
        final String host;
        final int port;
        final boolean tls;
        final String authority;
        private final Map<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
        private volatile long downUntil;
        private volatile long backoff = MIN_BACKOFF_NANOS;
        /** The state shown and logged: down since a failed probe or connection, up since an answer. */
        private volatile boolean down;
        private long sinceMillis = clock.millis();
        private String lastError;
        /** Set by a failed probe, cleared by a good one or an answer: skipped meanwhile (health checks on only). */
        private volatile boolean probedDown;

        Upstream(URI uri) {
            this.uri = uri;
            this.host = uri.getHost();
            this.tls = "https".equalsIgnoreCase(uri.getScheme());
            this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            this.authority = uri.getPort() > 0 ? host + ":" + port : host;
        }

        LoopPool pool(EventLoop loop) {
            LoopPool p = pools.get(loop);
            return p != null ? p : pools.computeIfAbsent(loop, l -> new LoopPool(l, new Bootstrap().group(l).channel(Transport.socketChannel(l))
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .remoteAddress(host, port)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (tls) {
                                SSLEngine engine = sslContext.newEngine(ch.alloc(), host, port);
                                if (verifyHostname) {
                                    SSLParameters p = engine.getSSLParameters();
                                    p.setEndpointIdentificationAlgorithm("HTTPS");
                                    engine.setSSLParameters(p);
                                }
                                ch.pipeline().addLast("tls", new SslHandler(engine));
                            }
                            ch.pipeline().addLast("http", new HttpClientCodec()).addLast(UpstreamRelay.NAME, new UpstreamRelay());
                        }
                    })));
        }

        boolean isDown() {
            return probedDown || System.nanoTime() - downUntil < 0;
        }

        /** A request could not connect: skipped for the backoff. */
        void markDown(Throwable cause) {
            downUntil = System.nanoTime() + backoff;
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            transition(true, errorName(cause));
        }

        /** The upstream answered a request. */
        void markUp() {
            if (backoff != MIN_BACKOFF_NANOS) {
                backoff = MIN_BACKOFF_NANOS;
            }
            downUntil = 0;
            if (probedDown) {
                probedDown = false;
            }
            if (down) {
                transition(false, null);
            }
        }

        /** A probe's result: {@code error} null when the upstream answered it. */
        void probed(String error) {
            if (error == null) {
                markUp();
            } else {
                probedDown = true;
                transition(true, error);
            }
        }

        private synchronized void transition(boolean nowDown, String error) {
            if (nowDown) {
                lastError = error;
            }
            if (down == nowDown) {
                return;
            }
            down = nowDown;
            sinceMillis = clock.millis();
            if (nowDown) {
                LOG.warn("gateway upstream [{}] is down ({}): requests go to the other upstreams until it answers again", uri, error);
            } else {
                LOG.warn("gateway upstream [{}] is up again", uri);
            }
        }

        synchronized Status status() {
            return new Status(uri.toString(), !down, Instant.ofEpochMilli(sinceMillis), lastError);
        }

        @Override
        public String toString() {
            return uri.toString();
        }
    }

    /** One upstream as {@code GET /_svctoken/gateway/upstreams} shows it: no credentials. */
    public record Status(String address, boolean up, Instant since, String lastError) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

    private final Clock clock;
    private final List<Upstream> upstreams;
    private final AtomicInteger next = new AtomicInteger();
    private final int connectTimeoutMillis;
    private final SslContext sslContext;
    private final boolean verifyHostname;
    private final Secret authorization;

    Upstreams(GatewaySettings settings, Clock clock) {
        this.clock = clock;
        this.upstreams = settings.upstreams().stream().map(Upstream::new).toList();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
        this.sslContext = upstreams.stream().anyMatch(u -> u.tls) ? UpstreamTls.clientContext(settings) : null;
        this.verifyHostname = settings.verificationMode() == GatewaySettings.VerificationMode.FULL;
        this.authorization = authorization(settings);
    }

    /** The {@code Authorization} value for the upstream, or null: Basic or ApiKey from the secure settings. */
    private static Secret authorization(GatewaySettings s) {
        if (s.apiKey().isPresent()) {
            return Secret.of("ApiKey " + s.apiKey().get().revealAsString(SecretAccess.plaintext()));
        }
        if (s.basicUsername().isPresent()) {
            byte[] pair = (s.basicUsername().get() + ":" + s.basicPassword().orElseThrow().revealAsString(SecretAccess.plaintext()))
                    .getBytes(StandardCharsets.UTF_8);
            return Secret.of("Basic " + Base64.getEncoder().encodeToString(pair));
        }
        return null;
    }

    /** The header value to send upstream, or null; read at the line that sends it. */
    Secret authorization() {
        return authorization;
    }

    /** A bodiless {@code GET} of the gateway's own to {@code upstream} (a health probe, the name catalog), with the upstream credentials. */
    FullHttpRequest ownGet(Upstream upstream, String path) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        r.headers().set(HttpHeaderNames.HOST, upstream.authority);
        r.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (authorization != null) {
            r.headers().set(HttpHeaderNames.AUTHORIZATION, authorization.revealAsString(SecretAccess.plaintext()));
        }
        return r;
    }

    /** The next upstream in turn that is not down, other than {@code not} when there is another; when all are down, the next in turn. */
    Upstream pick(Upstream not) {
        int n = upstreams.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        Upstream fallback = null;
        for (int i = 0; i < n; i++) {
            Upstream u = upstreams.get((start + i) % n);
            if (u == not && n > 1) {
                continue;
            }
            if (!u.isDown()) {
                return u;
            }
            if (fallback == null) {
                fallback = u;
            }
        }
        return fallback != null ? fallback : upstreams.get(start);
    }

    List<Upstream> all() {
        return upstreams;
    }

    List<Status> statuses() {
        return upstreams.stream().map(Upstream::status).toList();
    }

    /** The class of what went wrong, as the status shows it ({@code ConnectException}), never its message. */
    static String errorName(Throwable cause) {
        Throwable t = cause;
        while (t != null && t.getCause() != null && t.getCause() != t && t.getClass().getName().startsWith("io.netty.")) {
            t = t.getCause(); // Netty's wrappers name less than what they wrap
        }
        return t == null ? "unknown" : t.getClass().getSimpleName();
    }

    int size() {
        return upstreams.size();
    }

    /** A kept-alive connection to {@code u} for {@code loop}, or a new one; completes on {@code loop}. */
    Future<Channel> acquire(Upstream u, EventLoop loop) {
        return u.pool(loop).acquire();
    }

    /**
     * An idle kept-alive connection to {@code u} on {@code loop}, or null when there is none (then {@link #acquire}):
     * on {@code loop}'s thread only. A forwarded request takes one so, without a promise and its listener.
     */
    Channel idle(Upstream u, EventLoop loop) {
        return u.pool(loop).poll();
    }

    /** Back to the pool for the next request (the connection is idle and kept alive). */
    void release(Upstream u, Channel ch) {
        u.pool(ch.eventLoop()).release(ch);
    }

    /**
     * One upstream's idle connections on one event loop, the most recently used first. Only that loop's thread touches
     * them (what comes from another thread goes through the loop), so taking and returning one costs no lock, no promise
     * and no health-check future, as a general pool's do. A connection found closed when taken is dropped; one
     * returned closed is not kept.
     */
    static final class LoopPool {
        private final EventLoop loop;
        private final Bootstrap bootstrap;
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();
        private volatile boolean closed;

        LoopPool(EventLoop loop, Bootstrap bootstrap) {
            this.loop = loop;
            this.bootstrap = bootstrap;
        }

        /** An idle connection, or null (none, or the pool is closed). */
        Channel poll() {
            if (closed) {
                return null;
            }
            Channel ch;
            while ((ch = idle.pollLast()) != null) {
                if (ch.isActive()) {
                    return ch;
                }
                ch.close();
            }
            return null;
        }

        Future<Channel> acquire() {
            Promise<Channel> promise = loop.newPromise();
            if (loop.inEventLoop()) {
                acquire(promise);
            } else {
                loop.execute(() -> acquire(promise));
            }
            return promise;
        }

        private void acquire(Promise<Channel> promise) {
            Channel ch = poll();
            if (ch != null) {
                promise.setSuccess(ch);
                return;
            }
            ChannelFuture connect = bootstrap.connect();
            connect.addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                } else if (!promise.trySuccess(f.channel())) {
                    f.channel().close();
                }
            });
        }

        void release(Channel ch) {
            if (!loop.inEventLoop()) {
                loop.execute(() -> release(ch));
                return;
            }
            if (closed || !ch.isActive()) {
                ch.close();
                return;
            }
            idle.addLast(ch);
        }

        void close() {
            closed = true;
            try {
                loop.execute(() -> {
                    for (Channel ch; (ch = idle.poll()) != null; ) {
                        ch.close();
                    }
                });
            } catch (RejectedExecutionException e) {
                // the loop is shut down: its channels were closed with it
            }
        }
    }

    @Override
    public void close() {
        for (Upstream u : upstreams) {
            u.pools.values().forEach(LoopPool::close);
        }
        if (authorization != null) {
            authorization.wipe();
        }
    }
}
