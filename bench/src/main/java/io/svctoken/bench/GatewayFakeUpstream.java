package io.svctoken.bench;

import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The upstream of bench/gateway-ab.sh: an answer costing next to nothing, so that what is measured is the gateway.
 * {@code GET /_resolve/index/...} names one index ({@code bench}); anything else gets a small {@code _search}
 * answer (one hit). Run with {@code -Dsun.net.httpserver.nodelay=true}: the JDK server writes head and body
 * separately, and with Nagle's algorithm on, the gateway's delayed ACKs would hold every answer ~40 ms.
 *
 * <p>{@code java io.svctoken.bench.GatewayFakeUpstream <port>}; runs until killed.
 */
public final class GatewayFakeUpstream {

    private GatewayFakeUpstream() {
    }

    public static void main(String[] args) throws Exception {
        byte[] names = "{\"indices\":[{\"name\":\"bench\",\"attributes\":[\"open\"]}],\"aliases\":[],\"data_streams\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] search = ("{\"took\":1,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},"
                + "\"hits\":{\"total\":{\"value\":10,\"relation\":\"eq\"},\"max_score\":1.0,\"hits\":[{\"_index\":\"bench\",\"_id\":\"1\","
                + "\"_score\":1.0,\"_source\":{\"msg\":\"document 1 of the gateway benchmark\",\"n\":1}}]}}").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 256);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().startsWith("/_resolve/index") ? names : search;
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
