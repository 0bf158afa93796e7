package io.svctoken.server;

import io.svctoken.core.store.Store;
import io.svctoken.server.metrics.StoreMetrics;
import io.svctoken.server.settings.NodeSettings;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The store's open (its connection, and Flyway's check or creation of the schema) on a thread of its own, while the
 * start builds what needs nothing from the store (metrics, reserved roles, built-in accounts, the event loops).
 * Nothing is served before {@link #await()} returned: the node binds after it.
 */
final class StoreOpening {

    static final String THREAD_NAME = "svctoken-store-open";

    private final CompletableFuture<Store> opened = new CompletableFuture<>();

    private StoreOpening() {
    }

    /** Starts opening the store {@code settings} name (a daemon thread: it never holds the JVM up). */
    static StoreOpening start(NodeSettings settings, Map<String, String> env) {
        StoreOpening opening = new StoreOpening();
        Thread t = new Thread(() -> {
            try {
                Store store = StoreFactory.open(settings, env);
                // Also beside the start: the metrics' proxy classes, generated at run time (not in the class-data archive)
                StoreMetrics.prepare();
                opening.opened.complete(store);
            } catch (Throwable e) {
                opening.opened.completeExceptionally(e);
            }
        }, THREAD_NAME);
        t.setDaemon(true);
        t.start();
        return opening;
    }

    /** The opened store; a failed open throws what {@link StoreFactory#open} threw, as if it had run on this thread. */
    Store await() throws InterruptedException {
        try {
            return opened.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** When the start stops before {@link #await()}: waits for the open to end and closes a store that opened. */
    void abandon() {
        try {
            opened.join().close();
        } catch (RuntimeException e) {
            // the open failed: nothing to close; the start's own failure is the one reported
        }
    }
}
