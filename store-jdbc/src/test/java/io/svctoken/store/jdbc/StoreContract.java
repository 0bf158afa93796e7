package io.svctoken.store.jdbc;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.Store;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the repository contract tests: every store module runs each contract against its own
 * database by a subclass that says how to open a store. Each test starts on an empty database;
 * {@link #openStore()} called again opens another store on the same database (another node, or the
 * CLI beside the server), which the concurrency tests race against each other.
 */
public abstract class StoreContract {

    protected static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");
    protected static final ServiceAccountId KIBANA = new ServiceAccountId("elastic", "kibana");
    protected static final String HASH = "{PBKDF2_STRETCH}10000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==";
    protected static final String CREATOR = "{\"principal\":\"elastic\",\"full_name\":null,\"email\":null,"
            + "\"metadata\":{},\"realm\":\"reserved\",\"realm_type\":\"reserved\"}";

    /** The store of the test. */
    protected Store store;
    private final List<Store> opened = new ArrayList<>();

    /** Opens a store on the test's database; empty at the start of each test. */
    protected abstract Store openStore();

    @BeforeEach
    void openTheStore() {
        store = another();
    }

    @AfterEach
    void closeEveryStore() {
        opened.forEach(Store::close);
    }

    /** Another store on the same database, closed after the test. */
    protected Store another() {
        Store s = openStore();
        opened.add(s);
        return s;
    }

    protected static TokenRecord token(ServiceAccountId account, String name) {
        return new TokenRecord(new TokenId(account, name), HASH + name, 1_700_000_000_000L + name.length(), 9_05_00_99, CREATOR);
    }

    /** Runs the tasks at once (released together) and returns their results in order; fails on any exception. */
    protected static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
