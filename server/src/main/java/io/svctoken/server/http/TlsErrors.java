package io.svctoken.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * Right after the {@code SslHandler}: a failed TLS handshake closes that connection with Elasticsearch's log
 * lines ({@code SecurityNetty4HttpServerTransport}) and never reaches the REST layer. Plain HTTP sent to the
 * HTTPS port gets no answer (as in Elasticsearch: the client sees an empty reply).
 */
@ChannelHandler.Sharable
final class TlsErrors extends ChannelInboundHandlerAdapter {

    static final TlsErrors INSTANCE = new TlsErrors();
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private TlsErrors() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            Throwable cause = e.cause();
            if (has(cause, NotSslRecordException.class)) {
                LOG.warn("received plaintext http traffic on an https channel, closing connection {}", ctx.channel());
            } else if (certificateUnknown(cause)) {
                LOG.warn("http client did not trust this server's certificate, closing connection {}", ctx.channel());
            } else {
                LOG.debug("connection {} closed during ssl handshake: {}", ctx.channel(), rootMessage(cause));
            }
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (has(cause, NotSslRecordException.class) || has(cause, SSLException.class)) {
            ctx.close(); // reported once by the handshake event above, or a TLS error after the handshake
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** The client's alert when it rejects our certificate ({@code Received fatal alert: certificate_unknown}, or bad_certificate). */
    private static boolean certificateUnknown(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException && c.getMessage() != null
                    && (c.getMessage().contains("certificate_unknown") || c.getMessage().contains("bad_certificate"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.toString();
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
