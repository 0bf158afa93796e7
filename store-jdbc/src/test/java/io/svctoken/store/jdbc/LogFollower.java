package io.svctoken.store.jdbc;

import io.svctoken.core.cluster.InvalidationEvent;
import io.svctoken.core.store.Store;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a store's invalidation log on its own thread, as a node's listener does, collecting every sequence
 * number it reads; after {@link #stop()} it has read the log to its end once more, so nothing committed before
 * the stop is missed unless the log's order skipped it.
 */
final class LogFollower {

    private final AtomicBoolean done = new AtomicBoolean();
    private final Set<Long> seen = new TreeSet<>();
    private final Thread reader;

    LogFollower(Store store) {
        reader = new Thread(() -> {
            long last = 0;
            while (true) {
                boolean finished = done.get();
                for (InvalidationEvent e : store.cluster().invalidationsAfter(last, 1000)) {
                    seen.add(e.seq());
                    last = e.seq();
                }
                if (finished) {
                    return;
                }
            }
        });
        reader.start();
    }

    /** Stops following and answers every sequence number read. */
    Set<Long> stop() throws InterruptedException {
        done.set(true);
        reader.join(30_000);
        return seen;
    }
}
