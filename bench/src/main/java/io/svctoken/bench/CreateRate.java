package io.svctoken.bench;

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
 * <p>{@code java io.svctoken.bench.CreateRate <port> <password> <warmup> <count> <name prefix>} prints
 * {@code ops=<count> seconds=<s> ms_per_op=<ms> connections=<n>}; exits 1 on any answer other than 200.
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
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port + "/_security/service/elastic/fleet-server/credential/token/" + prefix;
        for (int i = 0; i < warmup; i++) {
            create(client, base + "-w" + i, auth);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            create(client, base + "-" + i, auth);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "ops=%d seconds=%.3f ms_per_op=%.3f%n", count, secs, secs * 1000 / count);
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
