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
 * decoded. One instance per connection; everything runs on its event loop.
 */
final class RequestHeadTimeout {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadTimeout.class);

    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
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
                if (timer == null && !inMessage && msg instanceof ByteBuf b && b.isReadable()) {
                    start(ctx);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                stop();
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
        timer = ctx.executor().schedule(() -> {
            timer = null;
            LOG.debug("closing an HTTP connection from [{}]: no complete request head within [{}] ([{}])", ctx.channel().remoteAddress(),
                    Duration.ofNanos(timeoutNanos), NodeSettings.HTTP_REQUEST_HEAD_TIMEOUT);
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
