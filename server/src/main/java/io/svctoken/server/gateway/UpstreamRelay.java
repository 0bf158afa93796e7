package io.svctoken.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands what the upstream sends to the request using the
 * connection. An idle pooled connection that receives anything is out of step and is closed.
 */
final class UpstreamRelay extends ChannelInboundHandlerAdapter {

    static final String NAME = "relay";

    /** What uses a pooled upstream connection: a forwarded request, or the gateway's own fetch of the index names. */
    interface User {
        void fromUpstream(Object msg);

        void upstreamFailed(Throwable cause);

        default void upstreamWritabilityChanged() {
        }

        /** The end of one read of the upstream connection (what it decoded was handed on before). */
        default void upstreamReadComplete() {
        }
    }

    /** The request using the connection; only touched on the connection's event loop. */
    User exchange;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (exchange != null) {
            exchange.fromUpstream(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamFailed(null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        User e = exchange;
        ctx.close();
        if (e != null) {
            e.upstreamFailed(cause);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.upstreamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }
}
