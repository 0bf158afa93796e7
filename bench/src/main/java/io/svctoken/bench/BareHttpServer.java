package io.svctoken.bench;

import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The start-time floor of bench/load.sh (S1, S2): the JDK's own {@code com.sun.net.httpserver} answering
 * {@code GET /} with {@code 200} and a small JSON body, nothing else loaded. Started the way bin/svctoken
 * starts the server ({@code java [SVCTOKEN_JAVA_OPTS] -cp ...}), so launch to its first 200 is what a JVM
 * plus an HTTP listener cost on this machine.
 *
 * <p>{@code java io.svctoken.bench.BareHttpServer <port>}; runs until killed.
 */
public final class BareHttpServer {

    private BareHttpServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] body = "{\"tagline\":\"You Know, for Search\"}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
