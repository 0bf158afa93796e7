package io.svctoken.server.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in upstream that records what reaches it: the headers of the last request, how many requests came,
 * and how many body bytes the last one had (the gateway's fetches of {@code /_resolve/index/*} and its health probes aside) (read and dropped as they come, in small pieces). It answers
 * {@code 200 {"recorded":true}}. Under {@code /slow} it reads the body slowly (a 5ms pause every 512kb, about 100mb/s at most), slower
 * than a client on loopback sends it; under {@code /chunked} it answers chunked. Used where the check is about what the upstream receives.
 */
final class RecordingUpstream implements AutoCloseable {

    private final HttpServer server;
    final AtomicReference<Headers> lastHeaders = new AtomicReference<>();
    final AtomicReference<String> lastPath = new AtomicReference<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicLong lastBodyBytes = new AtomicLong();
    /** Every request's method and raw path, the gateway's own fetches of the index names too. */
    final List<String> seen = new CopyOnWriteArrayList<>();

    RecordingUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
            boolean probe = ex.getRequestMethod().equals("GET") && ex.getRequestURI().getRawPath().equals("/");
            if (!ex.getRequestURI().getRawPath().startsWith("/_resolve/index/") && !probe) {
                // the gateway's own fetches of the index names and health probes (GET /, never forwarded) are not requests under test
                requests.incrementAndGet();
                lastHeaders.set(ex.getRequestHeaders());
                lastPath.set(ex.getRequestURI().getRawPath());
            }
            long n = 0;
            boolean slow = ex.getRequestURI().getRawPath().startsWith("/slow");
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = ex.getRequestBody()) {
                long nextPause = 512 * 1024;
                for (int r; (r = in.read(buf)) >= 0; ) {
                    n += r;
                    if (slow && n >= nextPause) {
                        nextPause += 512 * 1024;
                        sleep();
                    }
                }
            }
            lastBodyBytes.set(n);
            byte[] body = "{\"recorded\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            // under /chunked the answer has no length: it is sent chunked
            ex.sendResponseHeaders(200, ex.getRequestURI().getRawPath().startsWith("/chunked") ? 0 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
