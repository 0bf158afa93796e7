package io.svctoken.server.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in upstream on a plain socket that records how a request body is framed on the wire, which
 * {@code com.sun.net.httpserver} hides: the size of every chunk of a chunked body (or the Content-Length of one with a
 * length), per request under test. Answers {@code 200 {"errors":false,"took":1,"items":[]}}; the gateway's own
 * {@code GET /} probes and {@code _resolve/index} fetches get an empty answer and are not recorded.
 */
final class ChunkRecordingUpstream implements AutoCloseable {

    /** One request under test: its path, its chunk sizes (empty when it had a Content-Length), its Content-Length or -1. */
    record Framing(String path, List<Integer> chunks, long contentLength) {
        long bodyBytes() {
            return contentLength >= 0 ? contentLength : chunks.stream().mapToLong(Integer::longValue).sum();
        }
    }

    private final ServerSocket server;
    final List<Framing> requests = new CopyOnWriteArrayList<>();

    ChunkRecordingUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "chunk-recording-upstream");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "chunk-recording-accept");
        accept.setDaemon(true);
        accept.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void serve(Socket s) {
        try (s; InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 64 * 1024); OutputStream out = s.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String path = requestLine.split(" ")[1];
                long length = -1;
                boolean chunked = false;
                for (String h; !(h = line(in)).isEmpty(); ) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(h.substring(15).trim());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    }
                }
                List<Integer> chunks = new ArrayList<>();
                if (chunked) {
                    for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                        chunks.add(size);
                        in.skipNBytes(size);
                        line(in);
                    }
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                } else if (length > 0) {
                    in.skipNBytes(length);
                }
                boolean own = path.equals("/") || path.startsWith("/_resolve/index/");
                if (!own) {
                    requests.add(new Framing(path, List.copyOf(chunks), length));
                }
                byte[] body = (own ? "{}" : "{\"errors\":false,\"took\":1,\"items\":[]}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the gateway closed the connection
        }
    }

    /** One CRLF-ended line without its end, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        if (b.size() == 0) {
            return null;
        }
        throw new IOException("the stream ended within a line");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
