package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TokenUsageTest {

    private static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");
    private static final long T0 = 1_800_000_000_000L;

    /** Counts the rows each flush asks to write, per token. */
    private static final class CountingRepository extends InMemoryTokenRepository {
        final Map<TokenId, AtomicInteger> writes = new ConcurrentHashMap<>();
        final AtomicInteger batches = new AtomicInteger();

        @Override
        public int recordLastUsed(Map<TokenId, Long> lastUsedMillis, String nodeName) {
            batches.incrementAndGet();
            lastUsedMillis.keySet().forEach(id -> writes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
            return super.recordLastUsed(lastUsedMillis, nodeName);
        }
    }

    /**
     * 8 threads authenticate 20 tokens 200 000 times over 30 simulated minutes, with a flush every simulated 10
     * seconds: each token is written at most once per 5-minute interval (7 times: at 0, 5, ..., 30 minutes), never per request.
     */
    @Test
    void underLoadEachTokenIsWrittenAtMostOncePerInterval() throws Exception {
        ManualClock clock = new ManualClock(T0);
        TokenUsage usage = new TokenUsage(Duration.ofMinutes(5), clock);
        CountingRepository repo = new CountingRepository();
        List<TokenId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TokenId id = new TokenId(FLEET, "t" + i);
            ids.add(id);
            repo.insert(new TokenRecord(id, "h", 1, 1, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger requests = new AtomicInteger();
        try {
            long end = T0 + Duration.ofMinutes(30).toMillis();
            while (clock.millis() <= end) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    fs.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < 200; i++) {
                            usage.used(ids.get((seed * 7 + i) % ids.size()));
                            requests.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : fs) {
                    f.get(30, TimeUnit.SECONDS);
                }
                usage.flush(repo, "node-1");
                clock.advance(10_000);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(requests.get()).isGreaterThan(200_000);
        for (TokenId id : ids) {
            assertThat(repo.writes.get(id).get()).as(id.tokenName()).isEqualTo(7);
            assertThat(repo.find(id).orElseThrow().lastUsedNode()).isEqualTo("node-1");
        }
        assertThat(repo.batches.get()).isLessThanOrEqualTo(7);
    }

    @Test
    void theStoredTimeIsTheNotedOneAndAFailedFlushIsRetried() throws Exception {
        ManualClock clock = new ManualClock(T0);
        TokenUsage usage = new TokenUsage(Duration.ofMinutes(5), clock);
        CountingRepository repo = new CountingRepository();
        TokenId id = new TokenId(FLEET, "t");
        repo.insert(new TokenRecord(id, "h", 1, 1, null));
        usage.used(id);
        repo.failWith = null;
        InMemoryTokenRepository broken = new InMemoryTokenRepository() {
            @Override
            public int recordLastUsed(Map<TokenId, Long> lastUsedMillis, String nodeName) {
                throw new StoreException("down");
            }
        };
        assertThat(usage.flush(broken, "node-1")).isZero();
        assertThat(usage.pending()).isEqualTo(1);
        assertThat(usage.flush(repo, "node-1")).isEqualTo(1);
        assertThat(repo.find(id).orElseThrow().lastUsedMillis()).isEqualTo(T0);
        assertThat(usage.flush(repo, "node-1")).isZero();
    }
}
