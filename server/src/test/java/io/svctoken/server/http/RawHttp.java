package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One plain-HTTP connection written byte by byte, for what {@code java.net.http} cannot send: repeated
 * headers, malformed escapes, half a request. Reads answers framed by {@code Content-Length}.
 */
final class RawHttp implements AutoCloseable {

    record Answer(int status, Map<String, String> headers, String body) {
        /** A header by its lower-case name. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawHttp(TestNode node) throws IOException {
        URI u = URI.create(node.baseUrl());
        socket = new Socket(u.getHost(), u.getPort());
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    RawHttp send(String raw) throws IOException {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** The next answer; an AssertionError when the connection closes (or resets) first. */
    Answer answer() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int c;
            try {
                c = in.read();
            } catch (SocketException reset) {
                c = -1;
            }
            if (c < 0) {
                throw new AssertionError("the connection closed without an answer" + (head.length() == 0 ? "" : " after: " + head));
            }
            head.append((char) c);
        }
        String[] lines = head.toString().split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String length = headers.get("content-length");
        byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Milliseconds until the server closes (or resets) the connection, waiting at most {@code maxMillis};
     * -1 when it stays open that long. Bytes the server sends meanwhile fail the call.
     */
    long millisUntilClosed(int maxMillis) throws IOException {
        long t0 = System.nanoTime();
        socket.setSoTimeout(maxMillis);
        try {
            int c = in.read();
            if (c >= 0) {
                throw new AssertionError("expected a close, got bytes starting with [" + (char) c + "]");
            }
        } catch (SocketTimeoutException open) {
            return -1;
        } catch (SocketException reset) {
            // a reset is a close too
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(10_000);
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** {@code GET <path>} as the elastic user, kept alive. */
    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestNode.ELASTIC_BASIC + "\r\n\r\n";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
