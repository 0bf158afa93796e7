package io.svctoken.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * Revocation across two nodes (bench/cluster.sh): per round, a token is created on node A and used once on
 * node B (now cached there), then deleted on A; the time the delete takes to answer (A waits until every live
 * node applied the invalidation), and the time from that answer to the first 401 on B, are recorded. Any 200
 * from B after A answered is a stale acceptance and is counted. Sequential, one kept-alive connection per node.
 *
 * <p>{@code java io.svctoken.bench.RevocationLatency <port A> <port B> <password> <warmup> <count>} prints
 * {@code rounds=<n> delete_p50_ms=.. delete_p99_ms=.. delete_max_ms=.. to401_p50_ms=.. to401_p99_ms=.. to401_max_ms=..
 * stale_after_ack=<n>}; exits 1 on an unexpected answer.
 */
public final class RevocationLatency {

    private static final String PATH = "/_security/service/elastic/fleet-server/credential/token/";

    private RevocationLatency() {
    }

    public static void main(String[] args) throws Exception {
        String a = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        String b = "http://127.0.0.1:" + Integer.parseInt(args[1]);
        String elastic = "Basic " + Base64.getEncoder().encodeToString(("elastic:" + args[2]).getBytes(StandardCharsets.UTF_8));
        int warmup = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        HttpClient ca = client();
        HttpClient cb = client();
        double[] delete = new double[count];
        double[] to401 = new double[count];
        int stale = 0;
        for (int i = -warmup; i < count; i++) {
            String name = "rev" + (i < 0 ? "w" + -i : String.valueOf(i)) + "-" + ProcessHandle.current().pid();
            HttpResponse<String> created = send(ca, "POST", a + PATH + name, elastic, 200);
            String value = created.body().replaceAll(".*\"value\":\"([^\"]+)\".*", "$1");
            String bearer = "Bearer " + value;
            send(cb, "GET", b + "/_security/_authenticate", bearer, 200);
            long t0 = System.nanoTime();
            send(ca, "DELETE", a + PATH + name, elastic, 200);
            long answered = System.nanoTime();
            int staleHere = 0;
            while (true) {
                int status = cb.send(request("GET", b + "/_security/_authenticate", bearer), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 401) {
                    break;
                }
                if (status != 200) {
                    throw new IllegalStateException("node B answered " + status);
                }
                staleHere++;
                if (System.nanoTime() - answered > 30_000_000_000L) {
                    throw new IllegalStateException("node B still accepts a token deleted 30 s ago");
                }
            }
            long first401 = System.nanoTime();
            if (i >= 0) {
                delete[i] = (answered - t0) / 1e6;
                to401[i] = (first401 - answered) / 1e6;
                stale += staleHere > 0 ? 1 : 0;
            }
        }
        Arrays.sort(delete);
        Arrays.sort(to401);
        System.out.printf(Locale.ROOT, "rounds=%d delete_p50_ms=%.2f delete_p99_ms=%.2f delete_max_ms=%.2f to401_p50_ms=%.2f to401_p99_ms=%.2f"
                        + " to401_max_ms=%.2f stale_after_ack=%d%n", count, pct(delete, 50), pct(delete, 99), delete[count - 1],
                pct(to401, 50), pct(to401, 99), to401[count - 1], stale);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest request(String method, String url, String authorization) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("Authorization", authorization)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    private static HttpResponse<String> send(HttpClient c, String method, String url, String authorization, int expected) throws Exception {
        HttpResponse<String> r = c.send(request(method, url, authorization), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    /** Nearest-rank percentile of sorted values. */
    private static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
