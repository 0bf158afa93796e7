package io.svctoken.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The common request's short way past the decompressor, the compressor and the aggregator: a request without a body
 * and without {@code Content-Encoding}, {@code Accept-Encoding} or {@code Expect} (what those three handlers act on) is
 * made whole here and handed straight to the dispatcher, and its answer, written from here, skips the compressor (which
 * pairs every answer with the {@code Accept-Encoding} of a request it saw). Every other request, and anything unexpected,
 * takes the general way unchanged. The request handed on is the aggregator's would-be result: same head, no body,
 * {@code Content-Length: 0} added when absent. One instance per connection, placed before the decompressor.
 */
final class BodilessRequests extends ChannelInboundHandlerAdapter {

    /** A request made whole here; its answer is written from {@link #answerFrom}. */
    static final class Request extends DefaultFullHttpRequest {
        final ChannelHandlerContext answerFrom;

        Request(HttpRequest head, ChannelHandlerContext answerFrom) {
            super(head.protocolVersion(), head.method(), head.uri(), Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE);
            this.answerFrom = answerFrom;
        }
    }

    /** Where the answer to {@code request} is written from: here for a request made whole here, else the dispatcher's own. */
    static ChannelHandlerContext answerContext(ChannelHandlerContext dispatcher, FullHttpRequest request) {
        return request instanceof Request r ? r.answerFrom : dispatcher;
    }

    /** A bodiless head waiting for its (empty) end, which the decoder sends right after it. */
    private HttpRequest held;
    /** The aggregator's context: a request made whole goes on from there, to the dispatcher. */
    private ChannelHandlerContext aggregator;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (held != null) {
            HttpRequest head = held;
            held = null;
            if (msg == LastHttpContent.EMPTY_LAST_CONTENT) {
                if (!head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, "0"); // as the aggregator sets it
                }
                aggregator.fireChannelRead(new Request(head, ctx));
                return;
            }
            ctx.fireChannelRead(head);
        } else if (msg instanceof HttpRequest head && !(msg instanceof HttpContent) && bodiless(head) && aggregator(ctx) != null) {
            held = head;
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private ChannelHandlerContext aggregator(ChannelHandlerContext ctx) {
        if (aggregator == null) {
            aggregator = ctx.pipeline().context(ProductAggregator.class);
        }
        return aggregator;
    }

    private static boolean bodiless(HttpRequest head) {
        if (!head.decoderResult().isSuccess()) {
            return false;
        }
        HttpHeaders h = head.headers();
        String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
        return (length == null || length.equals("0")) && !h.contains(HttpHeaderNames.TRANSFER_ENCODING)
                && !h.contains(HttpHeaderNames.CONTENT_ENCODING) && !h.contains(HttpHeaderNames.ACCEPT_ENCODING)
                && !h.contains(HttpHeaderNames.EXPECT);
    }
}
