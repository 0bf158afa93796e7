package io.svctoken.server.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.LogLines;
import io.svctoken.server.TestNode;
import io.svctoken.server.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Active health checks: two real OpenSearch upstreams probed every 200ms; one stops and comes back with no client traffic. */
class GatewayHealthCheckTest {

    @RegisterExtension
    static final OpenSearchUpstream FIRST = new OpenSearchUpstream();
    @RegisterExtension
    static final OpenSearchUpstream SECOND = new OpenSearchUpstream();

    static final long INTERVAL_MILLIS = 200;
    static final long TIMEOUT_MILLIS = 1000;

    private static JsonNode upstream(TestNode gateway, String url) throws Exception {
        TestNode.Response r = gateway.asElastic("GET", "/_svctoken/gateway/upstreams");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("X-elastic-product")).isEqualTo("Elasticsearch");
        assertThat(r.body()).doesNotContain("gw-upstream-secret").doesNotContain("Basic ");
        for (JsonNode u : r.json().get("upstreams")) {
            if (u.get("address").asText().equals(url)) {
                return u;
            }
        }
        throw new AssertionError("no upstream " + url + " in " + r.body());
    }

    /** Polls the endpoint (svctoken's own: no upstream traffic) until the upstream's entry matches; the time it took. */
    private static long awaitState(TestNode gateway, String url, Predicate<JsonNode> state, long maxMillis) throws Exception {
        long t0 = System.nanoTime();
        while (!state.test(upstream(gateway, url))) {
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertThat(waited).as("waited for " + url + ": " + upstream(gateway, url)).isLessThan(maxMillis);
            Thread.sleep(20);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String nodeId(String baseUrl) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/_nodes/_local")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body()).get("nodes").fieldNames().next();
    }

    @Test
    void aStoppedUpstreamIsMarkedDownWithoutTrafficSkippedWithoutAFailedRequestAndUsedAgainOnceBack(@TempDir Path home) throws Exception {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger gatewayLog = ctx.getLogger("io.svctoken.server.gateway");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.setContext(ctx);
        events.start();
        gatewayLog.addAppender(events);
        String first = FIRST.url();
        try (TestNode gateway = TestNode.start(home, Map.of("svctoken.gateway.upstream", first + "," + SECOND.url(),
                "svctoken.gateway.health_check.interval", INTERVAL_MILLIS + "ms",
                "svctoken.gateway.health_check.timeout", TIMEOUT_MILLIS + "ms",
                "svctoken.gateway.upstream_auth.basic.username", "gateway",
                "svctoken.gateway.upstream_auth.basic.password", "gw-upstream-secret"))) {
            awaitState(gateway, first, u -> u.get("state").asText().equals("up"), 10_000);
            JsonNode up = upstream(gateway, first);
            assertThat(up.get("since").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(up.get("last_error").isNull()).isTrue();

            FIRST.stop();
            long detected = awaitState(gateway, first, u -> u.get("state").asText().equals("down"), 10_000);
            JsonNode down = upstream(gateway, first);
            assertThat(down.get("last_error").asText()).isNotBlank();
            // a POST is never retried on another upstream: each one succeeds only if the stopped upstream is skipped
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                statuses.add(gateway.asElastic("POST", "/_search?size=0", "{\"query\":{\"match_all\":{}}}").status());
            }
            assertThat(statuses).containsOnly(200);

            FIRST.start();
            awaitState(gateway, first, u -> u.get("state").asText().equals("up"), 15_000);
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                served.add(gateway.asElastic("GET", "/_nodes/_local").json().get("nodes").fieldNames().next());
            }
            assertThat(served).contains(nodeId(first), nodeId(SECOND.url()));

            System.out.printf("health check: stopped upstream marked down in %d ms (interval %d ms, timeout %d ms)%n", detected,
                    INTERVAL_MILLIS, TIMEOUT_MILLIS);
            assertThat(detected).isLessThan(INTERVAL_MILLIS + TIMEOUT_MILLIS + 2_000);
        } finally {
            gatewayLog.detachAppender(events);
        }
        List<String> transitions = LogLines.copyOf(events).stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(first)).toList();
        assertThat(transitions).hasSize(2);
        assertThat(transitions.get(0)).contains("down");
        assertThat(transitions.get(1)).contains("up again");
        assertThat(String.join("\n", transitions)).doesNotContain("gw-upstream-secret");
    }

    @Test
    void theListNeedsTheMonitorPrivilege(@TempDir Path home) throws Exception {
        try (TestNode gateway = TestNode.start(home, Map.of("svctoken.gateway.upstream", SECOND.url()))) {
            assertThat(gateway.asElastic("PUT", "/_security/role/watcher", "{\"cluster\":[\"monitor\"]}").status()).isEqualTo(200);
            assertThat(gateway.asElastic("POST", "/_security/user/watch", "{\"password\":\"watch-password\",\"roles\":[\"watcher\"]}")
                    .status()).isEqualTo(200);
            assertThat(gateway.asElastic("POST", "/_security/user/nobody", "{\"password\":\"nobody-password\",\"roles\":[]}").status())
                    .isEqualTo(200);

            TestNode.Response allowed = gateway.request("GET", "/_svctoken/gateway/upstreams", TestNode.basic("watch", "watch-password"));
            TestNode.Response denied = gateway.request("GET", "/_svctoken/gateway/upstreams", TestNode.basic("nobody", "nobody-password"));

            assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
            assertThat(allowed.json().at("/upstreams/0/address").asText()).isEqualTo(SECOND.url());
            assertThat(denied.status()).as(denied.body()).isEqualTo(403);
            assertThat(denied.json().at("/error/reason").asText()).isEqualTo("action [cluster:monitor/svctoken/gateway/upstreams] is"
                    + " unauthorized for user [nobody] with effective roles [], this action is granted by the cluster privileges"
                    + " [monitor,manage,all]");
        }
    }
}
