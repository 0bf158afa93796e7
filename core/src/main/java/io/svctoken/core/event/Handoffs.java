package io.svctoken.core.event;

import java.util.concurrent.Executor;

/**
 * Counts, per thread, the tasks that thread handed to the worker pool: an authentication that handed none was answered
 * from a cache (or refused without hashing), one that handed any waited for the pool. Asking whether its future was
 * already done instead would call a quick hash "cached" whenever the pool finished first.
 */
public final class Handoffs {

    private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[1]);

    private Handoffs() {
    }

    /** Called by the worker pool as a task is handed to it, on the handing thread. */
    public static void noteHandoff() {
        COUNT.get()[0]++;
    }

    /** How many tasks this thread has handed to the worker pool so far. */
    public static long count() {
        return COUNT.get()[0];
    }

    /** {@code worker}, noting each task handed to it. */
    public static Executor counting(Executor worker) {
        return task -> {
            noteHandoff();
            worker.execute(task);
        };
    }
}
