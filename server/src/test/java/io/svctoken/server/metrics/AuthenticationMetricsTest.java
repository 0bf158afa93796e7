package io.svctoken.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.svctoken.core.authc.CredentialAttempt;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.event.RequestInfo;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics listener on the authentication path: counters resolved in advance, nothing allocated per event. */
class AuthenticationMetricsTest {

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void countingAndTimingAnAuthenticationAllocatesNothing() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AuthenticationMetrics m = new AuthenticationMetrics(registry, List.of("elastic/fleet-server"));
        RequestInfo request = RequestInfo.of("/_security/_authenticate", null);
        AuthenticationException wrong = AuthenticationException.unauthenticated("x")
                .withAttempt(new CredentialAttempt(CredentialAttempt.Type.SERVICE_TOKEN, "elastic/fleet-server", "t", CredentialAttempt.Reason.INVALID));
        AuthenticationException unknown = AuthenticationException.unauthenticated("x")
                .withAttempt(new CredentialAttempt(CredentialAttempt.Type.BASIC, "someone", null, CredentialAttempt.Reason.INVALID));
        for (int i = 0; i < 200_000; i++) { // warm-up: compiled, escape analysis done
            m.authenticationFailed(request, wrong);
            m.authenticationFailed(request, unknown);
            m.record(true, true, 1_000);
        }
        long before = allocated();
        for (int i = 0; i < 100_000; i++) {
            m.authenticationFailed(request, wrong);
            m.authenticationFailed(request, unknown);
            m.record(true, true, 1_000);
        }
        long bytes = allocated() - before;
        // nothing per event: the 300,000 events above would be megabytes at even a few bytes each
        assertThat(bytes).isLessThan(64 * 1024);
        assertThat(registry.scrape()).contains("svctoken_authentications_total{account=\"elastic/fleet-server\",credential=\"service_token\","
                + "realm=\"none\",result=\"invalid\",source=\"none\"} 300000.0");
    }
}
