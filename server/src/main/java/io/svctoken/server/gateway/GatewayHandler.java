package io.svctoken.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Splits one client connection's requests after the head: a request svctoken serves goes on down the
 * pipeline (decompression, the aggregator, the dispatcher) as without the gateway; any other is forwarded
 * by an {@link Exchange}, its body passed on piece by piece, never aggregated or decompressed. What arrives
 * of a next (pipelined) request while a forwarded one is still answered waits here, in order.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {

    private final Gateway gateway;
    private boolean forwarding;
    private Exchange current;
    private ArrayDeque<Object> parked;
    private ChannelHandlerContext ctx;
    /**
     * The connection's one check of the forwarded request's response timeout, kept from request to request while they
     * come (a scheduled task per request cost more than the check); null when none is armed.
     */
    private ScheduledFuture<?> watchdog;

    GatewayHandler(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (current != null && !forwarding || parked != null && !parked.isEmpty()) {
            park(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (!request.decoderResult().isSuccess() || gateway.servesLocally(request)) {
                forwarding = false;
                ctx.fireChannelRead(msg);
                return;
            }
            forwarding = true;
            current = new Exchange(gateway, this, ctx, request);
            if (msg instanceof HttpContent || !Exchange.bodiless(request)) {
                // authenticated on its head, before its body is read, as Elasticsearch does
                current.start();
            }
            // else it starts at its end, which the decoder gives right after its head
            if (msg instanceof HttpContent c) {
                if (current != null) {
                    fromClient(c);
                } else {
                    c.release(); // answered at once (a refusal): nothing more of it goes anywhere
                }
            }
            return;
        }
        if (forwarding && msg instanceof HttpContent c) {
            fromClient(c);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void fromClient(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (last) {
            forwarding = false;
        }
        Exchange e = current;
        e.fromClient(c);
        if (!e.started()) {
            e.start();
        }
    }

    private void park(Object msg) {
        if (parked == null) {
            parked = new ArrayDeque<>();
        }
        parked.add(msg);
        // a pipelined request while one is forwarded: no more is read until that one is answered
        ctx.channel().config().setAutoRead(false);
    }

    /** The forwarded request is answered: the next one may come. */
    void exchangeDone(Exchange e, boolean keepAlive) {
        if (current != e) {
            return;
        }
        current = null;
        forwarding = false;
        if (!keepAlive) {
            ctx.flush(); // its answer may wait for the loop's end-of-pass flush (DeferredFlush)
            ctx.close();
            return;
        }
        ArrayDeque<Object> waiting = parked;
        parked = null;
        while (waiting != null && !waiting.isEmpty()) {
            if (current != null && !forwarding) {
                // the replayed request is being answered: the rest waits again, in order
                parked = waiting;
                return;
            }
            channelRead(ctx, waiting.poll());
        }
        if ((current == null || forwarding) && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    /**
     * Not passed on while a request is forwarded: the local path's decompressor asks for the next read on every
     * read-complete it sees without a message, which would undo the pause of the client's reads.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (current == null) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.clientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The current request awaits its answer: the check runs within the response timeout. */
    void watch() {
        if (watchdog == null) {
            watchdog = ctx.executor().schedule(this::checkTimeout, gateway.responseTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkTimeout() {
        watchdog = null;
        long next = current == null ? -1 : current.checkTimeout();
        if (next > 0 && watchdog == null) {
            watchdog = ctx.executor().schedule(this::checkTimeout, next, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
        if (current != null) {
            current.clientClosed();
            current = null;
        }
        if (parked != null) {
            parked.forEach(ReferenceCountUtil::release);
            parked = null;
        }
        ctx.fireChannelInactive();
    }
}
