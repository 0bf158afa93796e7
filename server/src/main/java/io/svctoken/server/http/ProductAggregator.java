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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's request aggregator, except that the answers it writes itself — {@code 413} for a body over the
 * limit, {@code 100 Continue} — carry {@code X-Elastic-Product} like every other answer (the official
 * clients refuse answers without it). A {@code 413} closes the connection: the rest of an oversized body
 * is never read, so the connection could not be reused anyway.
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

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse tooLarge = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.EMPTY_BUFFER);
        tooLarge.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(PRODUCT_HEADER, PRODUCT);
        ctx.writeAndFlush(tooLarge).addListener(ChannelFutureListener.CLOSE);
    }
}
