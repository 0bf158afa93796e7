package io.svctoken.server.gateway;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: every interval, each upstream gets {@code GET /} with the upstream credentials on a
 * keep-alive connection of the checks' own thread (no client's event loop is used, and no client traffic is needed).
 * An answer below 500 is up (the upstream serves HTTP; a 401 is a credentials problem its requests will show); a
 * refused or closed connection, a 5xx or no answer within the timeout is down. A probe still running when the next
 * round comes is not doubled.
 */
final class HealthChecks implements AutoCloseable {

    private final Upstreams upstreams;
    private final long timeoutNanos;
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("svctoken-gateway-health", true));
    private final EventLoop loop = group.next();
    /** Upstreams with a probe in flight; only touched on {@code loop}. */
    private final Set<Upstreams.Upstream> probing = new HashSet<>();
    private final ScheduledFuture<?> rounds;
    /** Probes cut short by the close say nothing about the upstream. */
    private volatile boolean closed;

    HealthChecks(Upstreams upstreams, long intervalNanos, long timeoutNanos) {
        this.upstreams = upstreams;
        this.timeoutNanos = timeoutNanos;
        this.rounds = loop.scheduleWithFixedDelay(this::round, 0, intervalNanos, TimeUnit.NANOSECONDS);
    }

    private void round() {
        for (Upstreams.Upstream u : upstreams.all()) {
            if (probing.add(u)) {
                new Probe(u).start();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        rounds.cancel(false);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** One {@code GET /} to one upstream. */
    private final class Probe implements UpstreamRelay.User {
        private final Upstreams.Upstream upstream;
        private Channel ch;
        private int status;
        private boolean keepAlive;
        private boolean done;
        private ScheduledFuture<?> timer;

        Probe(Upstreams.Upstream upstream) {
            this.upstream = upstream;
        }

        void start() {
            timer = loop.schedule(() -> finish("TimeoutException"), timeoutNanos, TimeUnit.NANOSECONDS);
            upstreams.acquire(upstream, loop).addListener((Future<Channel> f) -> acquired(f));
        }

        private void acquired(Future<Channel> f) {
            if (!f.isSuccess()) {
                finish(Upstreams.errorName(f.cause()));
                return;
            }
            ch = f.getNow();
            if (done) {
                upstreams.release(upstream, ch);
                ch = null;
                return;
            }
            ch.pipeline().get(UpstreamRelay.class).exchange = this;
            ch.config().setAutoRead(true);
            ch.writeAndFlush(upstreams.ownGet(upstream, "/"));
        }

        @Override
        public void fromUpstream(Object msg) {
            try {
                if (msg instanceof HttpResponse r) {
                    status = r.status().code();
                    keepAlive = HttpUtil.isKeepAlive(r);
                }
                if (msg instanceof LastHttpContent) {
                    finish(status >= 500 ? "status [" + status + "]" : null);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void upstreamFailed(Throwable cause) {
            finish(cause == null ? "ClosedChannelException" : Upstreams.errorName(cause));
        }

        /** {@code error} null: the upstream answered. */
        private void finish(String error) {
            if (done) {
                return;
            }
            done = true;
            timer.cancel(false);
            if (ch != null) {
                ch.pipeline().get(UpstreamRelay.class).exchange = null;
                if (error == null && keepAlive) {
                    upstreams.release(upstream, ch);
                } else {
                    ch.close();
                }
            }
            probing.remove(upstream);
            if (!closed) {
                upstream.probed(error);
            }
        }
    }
}
