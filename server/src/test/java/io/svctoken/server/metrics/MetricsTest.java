package io.svctoken.server.metrics;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus scrape at /_svctoken/metrics, over real HTTP against a real node. */
class MetricsTest {

    @TempDir
    static Path home;
    static TestNode node;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of("xpack.security.authc.token.enabled", "true"));
        TestNode.Response created = node.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/metrics-test", null);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        token = created.json().at("/token/value").asText();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String scrape() throws Exception {
        TestNode.Response r = node.asElastic("GET", "/_svctoken/metrics");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        return r.body();
    }

    /** The value of the first series of {@code name} whose labels contain every one of {@code labels}; 0 when none. */
    static double value(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static List<String> series(String scrape, String prefix) {
        List<String> out = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(prefix)) {
                out.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return out;
    }

    static String serviceToken(String account, String name, String secret) {
        byte[] body = (account + "/" + name + ":" + secret).getBytes(StandardCharsets.UTF_8);
        byte[] raw = new byte[4 + body.length];
        raw[1] = 1;
        raw[3] = 1;
        System.arraycopy(body, 0, raw, 4, body.length);
        return "Bearer " + Base64.getEncoder().withoutPadding().encodeToString(raw);
    }

    @Test
    void theScrapeNeedsMonitor() throws Exception {
        assertThat(node.request("GET", "/_svctoken/metrics", null).status()).isEqualTo(401);
        assertThat(node.asElastic("POST", "/_security/user/nomon", "{\"password\":\"nomon-password\",\"roles\":[]}").status())
                .isEqualTo(200);
        TestNode.Response denied = node.request("GET", "/_svctoken/metrics", TestNode.basic("nomon", "nomon-password"));
        assertThat(denied.status()).isEqualTo(403);
        // fleet-server holds monitor: a scrape job may use a service token
        assertThat(node.request("GET", "/_svctoken/metrics", "Bearer " + token).status()).isEqualTo(200);
    }

    @Test
    void authenticationsAreCountedByCredentialAccountSourceAndResult() throws Exception {
        String before = scrape();
        String fleet = "credential=\"service_token\"";
        double ok = value(before, "svctoken_authentications_total", fleet, "account=\"elastic/fleet-server\"", "source=\"index\"",
                "result=\"success\"");
        for (int i = 0; i < 3; i++) {
            assertThat(node.request("GET", "/_security/_authenticate", "Bearer " + token).status()).isEqualTo(200);
        }
        assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic("elastic", "wrong")).status()).isEqualTo(401);
        assertThat(node.request("GET", "/_security/_authenticate", null).status()).isEqualTo(401);
        String after = scrape();
        assertThat(value(after, "svctoken_authentications_total", fleet, "account=\"elastic/fleet-server\"", "source=\"index\"",
                "result=\"success\"")).isEqualTo(ok + 3);
        assertThat(value(after, "svctoken_authentications_total", "credential=\"basic\"", "result=\"invalid\"")).isPositive();
        assertThat(value(after, "svctoken_authentications_total", "credential=\"none\"", "result=\"missing\"")).isPositive();
        assertThat(value(after, "svctoken_authentications_total", "credential=\"basic\"", "realm=\"reserved\"", "result=\"success\""))
                .isPositive();
    }

    @Test
    void oauth2AccessTokensAreCountedAsBearerCredentialsOfTheirUsersRealm() throws Exception {
        TestNode.Response made = node.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"client_credentials\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String bearer = TestNode.bearer(made.json().get("access_token").asText());
        double before = value(scrape(), "svctoken_authentications_total", "credential=\"bearer\"", "realm=\"reserved\"", "result=\"success\"");
        assertThat(node.request("GET", "/_security/_authenticate", bearer).status()).isEqualTo(200);
        assertThat(value(scrape(), "svctoken_authentications_total", "credential=\"bearer\"", "realm=\"reserved\"", "result=\"success\""))
                .isEqualTo(before + 1);
    }

    @Test
    void cachedAndColdChecksAreTimedApart() throws Exception {
        assertThat(node.asElastic("POST", "/_security/user/timed", "{\"password\":\"timed-password\",\"roles\":[]}").status())
                .isEqualTo(200);
        String before = scrape();
        double cold = value(before, "svctoken_authentication_duration_seconds_count", "cache=\"cold\"", "result=\"success\"");
        double cached = value(before, "svctoken_authentication_duration_seconds_count", "cache=\"cached\"", "result=\"success\"");
        for (int i = 0; i < 5; i++) {
            assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic("timed", "timed-password")).status()).isEqualTo(200);
        }
        String after = scrape();
        // the first login hashes; the next four are answered from the login cache
        assertThat(value(after, "svctoken_authentication_duration_seconds_count", "cache=\"cold\"", "result=\"success\""))
                .isGreaterThanOrEqualTo(cold + 1);
        assertThat(value(after, "svctoken_authentication_duration_seconds_count", "cache=\"cached\"", "result=\"success\""))
                .isGreaterThanOrEqualTo(cached + 4);
        assertThat(after).contains("svctoken_authentication_duration_seconds_bucket{cache=\"cached\",result=\"success\",le=\"0.001\"}");
    }

    @Test
    void workerPoolCachesStoreAndClusterAreMeasured() throws Exception {
        for (int i = 0; i < 2; i++) { // the second one is answered from the cache
            assertThat(node.request("GET", "/_security/_authenticate", "Bearer " + token).status()).isEqualTo(200);
        }
        String s = scrape();
        assertThat(s).contains("executor_queued_tasks{name=\"svctoken_worker\"}")
                .contains("executor_active_threads{name=\"svctoken_worker\"}")
                .contains("svctoken_worker_rejected_total ");
        assertThat(value(s, "cache_gets_total", "cache=\"service_tokens_index\"", "result=\"hit\"")).isPositive();
        assertThat(s).contains("cache_size{cache=\"api_keys\"}").contains("cache_size{cache=\"realm_reserved\"}")
                .contains("cache_size{cache=\"service_tokens_file\"}").contains("cache_size{cache=\"service_accounts\"}");
        assertThat(value(s, "svctoken_store_calls_seconds_count", "repository=\"tokens\"", "outcome=\"success\"")).isPositive();
        assertThat(s).contains("svctoken_cluster_invalidation_lag_events{node=\"node-0\"}");
        assertThat(s).contains("svctoken_cluster_nodes{state=\"live\"} 1.0");
    }

    @Test
    void labelsNeverCarryNamesOrSecretsFromTheRequests() throws Exception {
        List<String> sent = new ArrayList<>();
        sendRandomCredentials(sent);
        String first = scrape();
        List<String> seriesBefore = series(first, "svctoken_authentications_total{");
        sendRandomCredentials(sent);
        String second = scrape();
        assertThat(series(second, "svctoken_authentications_total{")).as("no new series for new names")
                .containsExactlyInAnyOrderElementsOf(seriesBefore);
        for (String s : sent) {
            assertThat(second).doesNotContain(s);
        }
        Matcher m = Pattern.compile("account=\"([^\"]*)\"").matcher(second);
        while (m.find()) {
            assertThat(m.group(1)).matches("none|other|elastic/[a-z-]+");
        }
    }

    private static void sendRandomCredentials(List<String> sent) throws Exception {
        for (int i = 0; i < 5; i++) {
            String user = "u" + UUID.randomUUID().toString().replace("-", "");
            String secret = "s" + UUID.randomUUID().toString().replace("-", "");
            String keyId = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 19);
            String tokenName = "t" + UUID.randomUUID().toString().replace("-", "");
            String ns = "n" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            sent.addAll(List.of(user, secret, keyId, tokenName, ns));
            assertThat(node.request("GET", "/_security/_authenticate", TestNode.basic(user, secret)).status()).isEqualTo(401);
            String apiKey = Base64.getEncoder().encodeToString((keyId + ":" + secret).getBytes(StandardCharsets.UTF_8));
            assertThat(node.request("GET", "/_security/_authenticate", "ApiKey " + apiKey).status()).isEqualTo(401);
            assertThat(node.request("GET", "/_security/_authenticate", serviceToken("elastic/fleet-server", tokenName, secret)).status())
                    .isEqualTo(401);
            assertThat(node.request("GET", "/_security/_authenticate", serviceToken(ns + "/svc", tokenName, secret)).status())
                    .isEqualTo(401);
            assertThat(node.request("GET", "/_security/_authenticate", "Bearer " + secret).status()).isEqualTo(401);
        }
    }
}
