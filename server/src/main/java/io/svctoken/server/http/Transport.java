package io.svctoken.server.http;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The socket transport of the event loops: Linux's epoll through Netty's native library where it loads (fewer
 * system calls and no selected-key sets per wake-up than the JDK's selector), else the JDK's NIO. A channel must
 * be of its event loop's kind, so channels are chosen from the group they are registered with.
 */
public enum Transport {
    NIO, EPOLL;

    /** {@code svctoken.http.transport}: {@code auto} (epoll where available), {@code epoll} (required) or {@code nio}. */
    public static Transport choose(String setting) {
        switch (setting.toLowerCase(Locale.ROOT)) {
            case "nio":
                return NIO;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("the epoll transport is not available here: "
                            + Epoll.unavailabilityCause().getMessage());
                }
                return EPOLL;
            case "auto":
                return Epoll.isAvailable() ? EPOLL : NIO;
            default:
                throw new IllegalArgumentException("unknown transport [" + setting + "], expected auto, epoll or nio");
        }
    }

    public EventLoopGroup group(int threads, ThreadFactory threadFactory) {
        return this == EPOLL ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client channel for connections made on {@code group}'s event loops. */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        EventLoopGroup owner = group instanceof EventLoop loop && loop.parent() != null ? loop.parent() : group;
        return owner instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
