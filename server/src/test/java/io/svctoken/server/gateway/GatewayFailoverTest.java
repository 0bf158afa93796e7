package io.svctoken.server.gateway;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two real OpenSearch upstreams taken in turn; one of them stops mid-traffic. */
class GatewayFailoverTest {

    @RegisterExtension
    static final OpenSearchUpstream FIRST = new OpenSearchUpstream();
    @RegisterExtension
    static final OpenSearchUpstream SECOND = new OpenSearchUpstream();

    @Test
    void idempotentRequestsKeepSucceedingWhenOneUpstreamStops(@TempDir Path home) throws Exception {
        try (TestNode gateway = TestNode.start(home, Map.of("svctoken.gateway.upstream", FIRST.url() + "," + SECOND.url()))) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                statuses.add(gateway.asElastic("GET", "/_cluster/health").status());
            }
            long t0 = System.nanoTime();
            FIRST.stop();
            long t1 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                statuses.add(gateway.asElastic("GET", "/_cluster/health").status());
            }
            long t2 = System.nanoTime();
            FIRST.start();
            long t3 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                statuses.add(gateway.asElastic("GET", "/_cluster/health").status());
            }

            System.out.printf("failover: stop %d ms, 20 requests with one upstream down %d ms, restart %d ms (first start %d ms)%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, SECOND.startMillis());
            assertThat(statuses).hasSize(40).containsOnly(200);
        }
    }
}
