package io.svctoken.store.sqlite;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteStoreConcurrencyTest {

    static final int THREADS = 100;
    static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");

    @TempDir
    Path dir;

    @Test
    void hundredConcurrentInsertsOfOneIdGiveExactlyOneSuccess() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            raceOneId(List.of(store), "same");
        }
    }

    /**
     * Two stores on one file stand in for two processes (server and CLI): their writers contend
     * inside SQLite, so this exercises busy_timeout; still no SQLITE_BUSY may leak out.
     */
    @Test
    void hundredConcurrentInsertsThroughTwoStoresOnOneFileGiveExactlyOneSuccess() throws Exception {
        try (SqliteStore a = SqliteStore.open(dir); SqliteStore b = SqliteStore.open(dir)) {
            for (int round = 0; round < 3; round++) {
                raceOneId(List.of(a, b), "same-" + round);
            }
        }
    }

    private static void raceOneId(List<SqliteStore> stores, String name) throws Exception {
        TokenId id = new TokenId(FLEET, name);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger dup = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> other = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                SqliteStore store = stores.get(i % stores.size());
                String hash = "{PBKDF2_STRETCH}hash-of-thread-" + i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        store.insert(new TokenRecord(id, hash, System.currentTimeMillis(), 1, null));
                        ok.incrementAndGet();
                        winners.add(hash);
                    } catch (DuplicateTokenException e) {
                        assertThat(e.tokenId()).isEqualTo(id);
                        dup.incrementAndGet();
                    } catch (Throwable t) {
                        other.add(t);
                    }
                    return null;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(other).as("unexpected failures").isEmpty();
        assertThat(ok.get()).isEqualTo(1);
        assertThat(dup.get()).isEqualTo(THREADS - 1);
        for (SqliteStore s : stores) {
            assertThat(s.find(id).orElseThrow().passwordHash()).isEqualTo(winners.peek());
        }
    }

    /** Many writers and readers at once, through two stores on one file: everything lands, nothing fails. */
    @Test
    void mixedLoadOfDistinctInsertsReadsAndDeletes() throws Exception {
        int perThread = 10;
        try (SqliteStore a = SqliteStore.open(dir); SqliteStore b = SqliteStore.open(dir)) {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    SqliteStore store = t % 2 == 0 ? a : b;
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        try {
                            for (int i = 0; i < perThread; i++) {
                                TokenId id = new TokenId(FLEET, "t" + thread + "-" + i);
                                store.insert(new TokenRecord(id, "{PBKDF2_STRETCH}h", i, 1, null));
                                assertThat(store.find(id)).isPresent();
                                assertThat(store.tokenNames(FLEET)).contains(id.tokenName());
                                store.putMetadataIfAbsent("shared", "from-" + thread);
                                if (i % 5 == 4) {
                                    assertThat(store.delete(id)).isTrue();
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(failures).as("unexpected failures").isEmpty();
            List<String> names = a.tokenNames(FLEET);
            assertThat(names).hasSize(THREADS * (perThread - 2));
            assertThat(new HashSet<>(names)).hasSize(names.size());
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(String::compareTo);
            assertThat(names).isEqualTo(sorted);
            assertThat(b.tokenNames(FLEET)).isEqualTo(names);
            assertThat(a.getMetadata("shared")).isPresent().isEqualTo(b.getMetadata("shared"));
        }
    }

    @Test
    void concurrentPutMetadataIfAbsentAgreesOnOneValue() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(50);
            List<Future<?>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    String value = "uuid-" + i;
                    futures.add(pool.submit(() -> {
                        go.await();
                        seen.add(store.putMetadataIfAbsent("cluster_uuid", value));
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(seen).hasSize(50);
            assertThat(new HashSet<>(seen)).hasSize(1).containsExactly(store.getMetadata("cluster_uuid").orElseThrow());
        }
    }

    /** Server and CLI starting at once on a fresh data dir: both opens succeed, the schema is migrated once. */
    @Test
    void concurrentFirstOpensOfAFreshDirectoryBothSucceed() throws Exception {
        for (int round = 0; round < 10; round++) {
            Path fresh = dir.resolve("fresh-" + round);
            int n = 4;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<Future<SqliteStore>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return SqliteStore.open(fresh);
                    }));
                }
                go.countDown();
                List<SqliteStore> stores = new ArrayList<>();
                try {
                    for (Future<SqliteStore> f : futures) {
                        stores.add(f.get(60, TimeUnit.SECONDS));
                    }
                    stores.get(0).insert(new TokenRecord(new TokenId(FLEET, "t"), "{PBKDF2_STRETCH}h", 1, 1, null));
                    for (SqliteStore s : stores) {
                        assertThat(s.tokenNames(FLEET)).containsExactly("t");
                    }
                } finally {
                    for (SqliteStore s : stores) {
                        s.close();
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(SqliteStoreTest.history(fresh)).hasSize(SqliteStoreTest.migrationFiles());
        }
    }
}
