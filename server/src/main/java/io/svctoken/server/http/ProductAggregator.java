package io.svctoken.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's request aggregator, except that the answers it writes itself — {@code 413} for a body over the
 * limit, {@code 100 Continue} — carry {@code X-Elastic-Product} like every other answer (the official
 * clients refuse answers without it).
 */
final class ProductAggregator extends HttpObjectAggregator {

    static final String PRODUCT_HEADER = "X-elastic-product";
    static final String PRODUCT = "Elasticsearch";

    /** Closes after refusing a {@code 100-continue} request as too large, as after any 413. */
    ProductAggregator(int maxContentLength) {
        super(maxContentLength, true);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object r = super.newContinueResponse(start, maxContentLength, pipeline);
        if (r instanceof FullHttpResponse netty) {
            // Netty's are shared constants: answer a copy with the header
            FullHttpResponse own = new DefaultFullHttpResponse(netty.protocolVersion(), netty.status(), Unpooled.EMPTY_BUFFER);
            own.headers().set(netty.headers()).set(PRODUCT_HEADER, PRODUCT);
            ReferenceCountUtil.release(netty);
            return own;
        }
        return r;
    }

    /**
     * Netty's rule, with the header: a request whose body already arrived, or that will not keep the
     * connection, gets the 413 and a close; otherwise the 413 is sent, the rest of the body is read and
     * dropped, and the connection stays usable. (Closing while the client is still sending makes the kernel
     * reset the connection, and the client may then never read the 413.)
     */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean close = oversized instanceof FullHttpMessage
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        FullHttpResponse tooLarge = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.EMPTY_BUFFER);
        tooLarge.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(PRODUCT_HEADER, PRODUCT);
        if (close) {
            tooLarge.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(tooLarge).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(tooLarge).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    f.channel().close();
                }
            });
        }
    }
}
