package io.svctoken.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * Sequential token creations over one kept-alive HTTP/1.1 connection (bench/load.sh, C1): {@code POST
 * /_security/service/elastic/fleet-server/credential/token/<name>} as elastic, one at a time, each waiting for
 * its answer. The JDK client keeps its one connection open between sequential requests.
 *
 * <p>The client is a blocking socket writing each request and reading its answer (by its {@code Content-Length}) on
 * the calling thread, so the client's own CPU and thread hand-offs, on the machine the server shares, are as small as
 * wrk's; with {@code jdk} as the sixth argument, the JDK's {@code HttpClient} (which passes each exchange between its
 * selector thread and executor: more client CPU and wake-ups per creation).
 *
 * <p>{@code java io.svctoken.bench.CreateRate <port> <password> <warmup> <count> <name prefix> [socket|jdk]} prints
 * {@code ops=<count> seconds=<s> ms_per_op=<ms> client=<socket|jdk>}; exits 1 on any answer other than 200.
 */
public final class CreateRate {

    private CreateRate() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String auth = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + args[1]).getBytes(StandardCharsets.UTF_8));
        int warmup = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        String prefix = args[4];
        boolean jdk = args.length > 5 && args[5].equals("jdk");
        String path = "/_security/service/elastic/fleet-server/credential/token/" + prefix;
        Creator creator;
        if (jdk) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            creator = name -> create(client, "http://127.0.0.1:" + port + path + name, auth);
        } else {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            creator = name -> create(out, in, port, path + name, auth);
        }
        for (int i = 0; i < warmup; i++) {
            creator.create("-w" + i);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            creator.create("-" + i);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "ops=%d seconds=%.3f ms_per_op=%.3f client=%s%n", count, secs, secs * 1000 / count,
                jdk ? "jdk" : "socket");
    }

    private interface Creator {
        void create(String nameSuffix) throws Exception;
    }

    /** One request on the kept-alive socket; its answer read to the end of its {@code Content-Length} body. */
    private static void create(OutputStream out, InputStream in, int port, String path, String auth) throws IOException {
        out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: " + auth
                + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String status = line(in);
        int length = -1;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length: " + status);
        }
        byte[] body = in.readNBytes(length);
        if (!status.startsWith("HTTP/1.1 200 ")) {
            System.err.println("creating " + path + " answered " + status + ": " + new String(body, StandardCharsets.UTF_8));
            System.exit(1);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the server closed the connection");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static void create(HttpClient client, String url, String auth) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.err.println("creating " + url + " answered " + r.statusCode() + ": " + r.body());
            System.exit(1);
        }
    }
}
