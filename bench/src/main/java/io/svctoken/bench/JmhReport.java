package io.svctoken.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON result ({@code -rf json}) into the Markdown table of docs/benchmarks.md: each
 * benchmark {@code x} next to {@code x_baseline} from the same run, and the ratio (time per operation,
 * so {@code 1.00×} = as fast as the baseline, {@code 2.00×} = twice the time).
 *
 * <p>{@code java io.svctoken.bench.JmhReport <result.json> <out.md>}
 */
public final class JmhReport {

    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put("CoreBenchmarks.decode", "token decode (`TokenCodec.decode`) vs Base64 decode of the same header");
        LABELS.put("CoreBenchmarks.secret", "secret generation (`SecretGenerator.newSecret`) vs SecureRandom 16 B + Base64url");
        LABELS.put("CoreBenchmarks.cacheHit", "cache hit (`CachingServiceAccountTokenStore.authenticate`) vs SSHA256 verify alone");
        LABELS.put("CoreBenchmarks.storeChain", "cached token through Node's store chain (file-token cache miss, then index cache hit) vs index cache alone, 2-thread pool");
        LABELS.put("CoreBenchmarks.authenticateLastUsed", "cached service-token authentication (`ServiceAccountAuthenticator`) noting the last use vs with recording off");
        LABELS.put("CoreBenchmarks.pbkdf2StretchVerify", "PBKDF2_STRETCH verify (10000 it., core's `Pbkdf2Sha512`) vs raw JDK `PBKDF2WithHmacSHA512` (same input, salt, it., 256 bit)");
        LABELS.put("CoreBenchmarks.ssha256Hash", "SSHA256 hash (`Hasher.hash`) vs SHA-256(secret‖salt) + Base64");
        LABELS.put("StoreBenchmarks.find", "store lookup by id (`SqliteStore.find`) vs same SELECT, one connection, prepared once");
    }

    private JmhReport() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode results = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode r : results) {
            String name = r.get("benchmark").asText().replace("io.svctoken.bench.", "");
            String params = r.has("params") ? r.get("params").toString() : "";
            byKey.put(name + params, r);
        }
        StringBuilder md = new StringBuilder();
        md.append("| benchmark | svctoken | baseline | ratio |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, String> l : LABELS.entrySet()) {
            for (Map.Entry<String, JsonNode> e : byKey.entrySet()) {
                String key = e.getKey();
                if (!key.startsWith(l.getKey()) || key.startsWith(l.getKey() + "_")
                        || !(key.length() == l.getKey().length() || key.charAt(l.getKey().length()) == '{')) {
                    continue;
                }
                String params = key.substring(l.getKey().length());
                JsonNode base = byKey.get(l.getKey() + "_baseline" + params);
                JsonNode m = e.getValue().get("primaryMetric");
                String label = l.getValue() + (params.isEmpty() ? "" : " " + params.replaceAll("[{}\"]", "").replace(":", "="));
                md.append("| ").append(label).append(" | ").append(score(m)).append(" | ");
                if (base != null) {
                    JsonNode b = base.get("primaryMetric");
                    md.append(score(b)).append(" | ")
                            .append(String.format(Locale.ROOT, "%.2f×", m.get("score").asDouble() / b.get("score").asDouble()));
                } else {
                    md.append("– | –");
                }
                md.append(" |\n");
            }
        }
        JsonNode small = byKey.get("StoreBenchmarks.find{\"tokens\":\"1000\"}");
        JsonNode large = byKey.get("StoreBenchmarks.find{\"tokens\":\"1000000\"}");
        if (small != null && large != null) {
            double s = small.get("primaryMetric").get("score").asDouble();
            double g = large.get("primaryMetric").get("score").asDouble();
            md.append(String.format(Locale.ROOT, "| store lookup growth, 1M tokens vs 1k tokens | %s | %s | %.2f× |%n",
                    score(large.get("primaryMetric")), score(small.get("primaryMetric")), g / s));
        }
        Files.writeString(Path.of(args[1]), md.toString());
        System.out.print(md);
    }

    private static String score(JsonNode m) {
        double v = m.get("score").asDouble();
        double err = m.get("scoreError").asDouble();
        String unit = m.get("scoreUnit").asText();
        String fmt = v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f";
        String e = Double.isNaN(err) ? "" : " ± " + String.format(Locale.ROOT, fmt, err);
        return String.format(Locale.ROOT, fmt, v) + e + " " + unit;
    }
}
