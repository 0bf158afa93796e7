package io.svctoken.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.svctoken.server.settings.NodeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code svctoken.http.max_open_connections} on the listening channel: a connection accepted over the
 * limit is closed at once, before anything is read from it (no TLS handshake, no answer: a 503 would
 * need the very reading and handshaking the limit saves, and an answer written before the request is
 * read is often lost to the TCP reset the close then causes). Refusals are logged at most once per
 * {@link #LOG_INTERVAL_SECONDS}, with their count, so that a flood does not flood the log too.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
    static final int LOG_INTERVAL_SECONDS = 10;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    // the listening channel's event loop (one thread) is the only one to touch these
    private boolean logWindowOpen;
    private long refusedInWindow;

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            // not yet registered with a worker loop: closed here as Netty closes a child it cannot register
            child.unsafe().closeForcibly();
            refused(ctx, child);
            return;
        }
        child.closeFuture().addListener((ChannelFutureListener) f -> open.decrementAndGet());
        ctx.fireChannelRead(child);
    }

    private void refused(ChannelHandlerContext ctx, Channel child) {
        if (logWindowOpen) {
            refusedInWindow++;
            return;
        }
        logWindowOpen = true;
        LOG.warn("refused an HTTP connection from [{}]: [{}] connections are open, the most [{}] allows;"
                        + " further refusals are counted and logged every [{}s]",
                child.remoteAddress(), max, NodeSettings.HTTP_MAX_OPEN_CONNECTIONS, LOG_INTERVAL_SECONDS);
        ctx.executor().schedule(() -> endLogWindow(ctx), LOG_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    private void endLogWindow(ChannelHandlerContext ctx) {
        if (refusedInWindow == 0) {
            logWindowOpen = false;
            return;
        }
        LOG.warn("refused [{}] more HTTP connections in the last [{}s]: [{}] connections are open, the most [{}] allows",
                refusedInWindow, LOG_INTERVAL_SECONDS, open.get(), NodeSettings.HTTP_MAX_OPEN_CONNECTIONS);
        refusedInWindow = 0;
        ctx.executor().schedule(() -> endLogWindow(ctx), LOG_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }
}
