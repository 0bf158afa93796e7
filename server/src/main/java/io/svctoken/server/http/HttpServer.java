package io.svctoken.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Netty HTTP/1.1 (optionally over TLS) with keep-alive on epoll or NIO ({@link Transport}). Limits as Elasticsearch's
 * defaults, except the body: 10mb, not 100mb (svctoken's bodies are small, and every connection may
 * buffer one); and two bounds Elasticsearch does not have, on open connections and on the time to send a
 * request head, so that clients that never finish a request cannot hold the server ({@link Limits}).
 */
public final class HttpServer implements AutoCloseable {

    /**
     * Request limits: longest request line, all headers together, a body (after inflating), how long a
     * connection may go without sending anything before it is closed (zero: no limit), how many
     * connections may be open (more are closed at once: {@link ConnectionLimit}), and how long a request
     * line and headers may take to arrive (zero or less: no limit; {@link RequestHeadTimeout}).
     */
    public record Limits(int initialLine, int headerSize, int content, Duration readTimeout, int maxOpenConnections,
                         Duration requestHeadTimeout) {
        public static final Limits DEFAULT = new Limits(4 * 1024, 16 * 1024, 10 * 1024 * 1024, Duration.ZERO, 1000,
                Duration.ofSeconds(30));
    }

    /** Elasticsearch's {@code http.compression_level} default. */
    private static final int COMPRESSION_LEVEL = 3;

    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private Channel channel;

    public HttpServer(int eventLoops) {
        this(eventLoops, Transport.choose("auto"));
    }

    public HttpServer(int eventLoops, Transport transport) {
        this.transport = transport;
        this.boss = transport.group(1, new DefaultThreadFactory("svctoken-http-boss", true));
        this.workers = transport.group(eventLoops, new DefaultThreadFactory("svctoken-http", true));
    }

    public InetSocketAddress start(String host, int port, RestDispatcher dispatcher) throws InterruptedException {
        return start(host, port, dispatcher, null);
    }

    /**
     * Binds and serves; with an {@code sslContext} every connection starts with a TLS handshake (Netty's
     * {@link SslHandler} over the JDK's {@link SSLEngine}) and plain-text requests are refused.
     */
    public InetSocketAddress start(String host, int port, RestDispatcher dispatcher, SSLContext sslContext) throws InterruptedException {
        return start(host, port, dispatcher, sslContext, sslContext == null, Limits.DEFAULT);
    }

    /**
     * @param compression {@code http.compression}: gzip/deflate answers for clients that send
     *                    {@code Accept-Encoding} (Elasticsearch's default: on without TLS, off with it).
     *                    Compressed request bodies ({@code Content-Encoding: gzip}, as the official clients
     *                    send with compression on) are always accepted; the size limit applies after inflating.
     */
    public InetSocketAddress start(String host, int port, RestDispatcher dispatcher, SSLContext sslContext, boolean compression,
                                   Limits limits) throws InterruptedException {
        return start(host, port, dispatcher, sslContext, compression, limits, null);
    }

    /**
     * @param gateway null, or a handler per connection placed right after the codec: it passes on the requests
     *                served here and takes the others (gateway mode), before any body is decompressed or aggregated
     */
    public InetSocketAddress start(String host, int port, RestDispatcher dispatcher, SSLContext sslContext, boolean compression,
                                   Limits limits, Supplier<ChannelHandler> gateway) throws InterruptedException {
        return start(host, PortRange.of(port), dispatcher, sslContext, compression, limits, gateway);
    }

    /** @param ports {@code http.port}: the first free one is bound, in order, as Elasticsearch binds */
    public InetSocketAddress start(String host, PortRange ports, RestDispatcher dispatcher, SSLContext sslContext, boolean compression,
                                   Limits limits, Supplier<ChannelHandler> gateway) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .handler(new ConnectionLimit(limits.maxOpenConnections()))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (sslContext != null) {
                            SSLEngine engine = sslContext.createSSLEngine();
                            engine.setUseClientMode(false);
                            ch.pipeline().addLast("tls", new SslHandler(engine)).addLast("tls-errors", TlsErrors.INSTANCE);
                        }
                        if (limits.readTimeout().toMillis() > 0) {
                            ch.pipeline().addLast(new ReadTimeoutHandler(limits.readTimeout().toMillis(),
                                    TimeUnit.MILLISECONDS));
                        }
                        RequestHeadTimeout headTimeout = limits.requestHeadTimeout().toNanos() > 0
                                ? new RequestHeadTimeout(limits.requestHeadTimeout()) : null;
                        if (headTimeout != null) {
                            ch.pipeline().addLast(headTimeout.bytes());
                        }
                        ch.pipeline().addLast(new HttpServerCodec(limits.initialLine(), limits.headerSize(), 8192));
                        if (headTimeout != null) {
                            ch.pipeline().addLast(headTimeout.heads());
                        }
                        ch.pipeline().addLast(new HttpServerKeepAliveHandler());
                        if (gateway != null) {
                            ch.pipeline().addLast("gateway", gateway.get());
                        }
                        // bodiless requests without encodings skip the three handlers below (and their answers the compressor)
                        ch.pipeline().addLast(new BodilessRequests());
                        ch.pipeline().addLast(new HttpContentDecompressor());
                        if (compression) {
                            ch.pipeline().addLast(new HttpContentCompressor(COMPRESSION_LEVEL));
                        }
                        ch.pipeline()
                                .addLast(new ProductAggregator(limits.content()))
                                .addLast(dispatcher);
                    }
                });
        for (int port : ports.ports()) {
            try {
                channel = b.bind(host, port).sync().channel();
                break;
            } catch (Exception e) {
                if (!addressInUse(e)) {
                    throw e;
                }
            }
        }
        if (channel == null) {
            throw new IllegalStateException("failed to bind HTTP to [" + host + ":" + ports + "]: address already in use"
                    + " (set http.port to a free port, or stop the process using it)");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * NIO reports a taken port as the JDK's {@link BindException}; epoll as Netty's native I/O error carrying the
     * negative errno, EADDRINUSE being 98 on Linux (the only system with epoll).
     */
    private boolean addressInUse(Exception e) {
        return e instanceof BindException
                || transport == Transport.EPOLL && e instanceof Errors.NativeIoException n && n.expectedErr() == -98;
    }

    /** Accepts no new connection; the open ones are still read and answered until {@link #close()}. */
    public void stopAccepting() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        stopAccepting();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
