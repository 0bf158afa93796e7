package io.svctoken.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.svctoken.server.settings.NodeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code svctoken.http.request_head_timeout}: a connection whose request line and headers are not complete
 * within the timeout is closed (without an answer, as a read timeout closes). The timer starts when the
 * connection is accepted (so it covers the TLS handshake and a client that never sends), and after an answer
 * at the first byte of the next request: a kept-alive connection may stay idle between requests, which
 * only {@code http.read_timeout} bounds. Bodies are not timed either. Two handlers share one timer:
 * {@link #bytes()} before the HTTP decoder sees the first byte, {@link #heads()} after it sees the head
 * decoded. One instance per connection; everything runs on its event loop. The timer is not made and cancelled per
 * request (a scheduled task each, on the event loop's queue): a request sets a deadline, and the one timer of the
 * connection, when it fires, closes the connection if the deadline passed, waits for it if it is still ahead, or ends
 * if no head is awaited.
 */
final class RequestHeadTimeout {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadTimeout.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    /** {@link System#nanoTime} by which the awaited head must be complete; 0: none awaited. */
    private long deadline;
    /** Between a decoded head and the end of its body: bytes then are the body, not a next request. */
    private boolean inMessage;

    RequestHeadTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                start(ctx);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (deadline == 0 && !inMessage && msg instanceof ByteBuf b && b.isReadable()) {
                    start(ctx);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                super.channelInactive(ctx);
            }
        };
    }

    ChannelHandler heads() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    stop();
                    inMessage = true;
                }
                if (msg instanceof LastHttpContent) {
                    inMessage = false;
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void start(ChannelHandlerContext ctx) {
        deadline = System.nanoTime() + timeoutNanos;
        if (deadline == 0) {
            deadline = 1; // 0 means none
        }
        if (timer == null) {
            schedule(ctx, timeoutNanos);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> fire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void fire(ChannelHandlerContext ctx) {
        timer = null;
        if (deadline == 0) {
            return; // the head came; the next request's first byte sets a new deadline and timer
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(ctx, left); // set by a later request than the one this timer was made for
            return;
        }
        LOG.debug("closing an HTTP connection from [{}]: no complete request head within [{}] ([{}])", ctx.channel().remoteAddress(),
                Duration.ofNanos(timeoutNanos), NodeSettings.HTTP_REQUEST_HEAD_TIMEOUT);
        ctx.close();
    }

    /** The awaited head came; the timer, if any, ends when it fires. */
    private void stop() {
        deadline = 0;
    }

    private void cancel() {
        deadline = 0;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
