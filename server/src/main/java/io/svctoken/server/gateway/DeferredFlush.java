package io.svctoken.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;

/**
 * The client flushes of one event loop, deferred to the end of the loop's pass (a task runs after the pass's reads):
 * the answers a pass read from several upstream connections leave together, after the loop has read them all. A client
 * on the gateway's core (a load generator, a co-located application) otherwise wakes at the first answer and takes the
 * core from the loop before it has forwarded the rest; the system calls are the same, one write per connection.
 */
final class DeferredFlush implements Runnable {

    private static final FastThreadLocal<DeferredFlush> LOCAL = new FastThreadLocal<>() {
        @Override
        protected DeferredFlush initialValue() {
            return new DeferredFlush();
        }
    };

    private final ArrayList<ChannelHandlerContext> pending = new ArrayList<>();
    private boolean scheduled;

    /** Flushes {@code ctx} once the loop has handled what it read; called on {@code ctx}'s event loop. */
    static void flushSoon(ChannelHandlerContext ctx) {
        if (!ctx.executor().inEventLoop()) {
            ctx.flush();
            return;
        }
        DeferredFlush d = LOCAL.get();
        d.pending.add(ctx);
        if (!d.scheduled) {
            d.scheduled = true;
            ctx.executor().execute(d);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        for (int i = 0; i < pending.size(); i++) {
            pending.get(i).flush();
        }
        pending.clear();
    }
}
