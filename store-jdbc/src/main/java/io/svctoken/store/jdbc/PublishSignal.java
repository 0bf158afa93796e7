package io.svctoken.store.jdbc;

/**
 * How a node's listening thread learns that an invalidation may have been published. The default wakes
 * on publishes of this store object only (SQLite: the node is alone); the PostgreSQL store adds
 * {@code LISTEN}. Either way the listener also polls the log, so a lost wake-up only delays it.
 */
public interface PublishSignal extends AutoCloseable {

    /** Returns when signalled or after {@code timeoutMillis}. One listening thread. */
    void await(long timeoutMillis) throws InterruptedException;

    /** Called after this store committed a publish. */
    void published();

    @Override
    void close();

    /** Wakes on this store's own publishes. */
    final class Local implements PublishSignal {
        private final Object monitor = new Object();
        private boolean signalled;

        @Override
        public void await(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            synchronized (monitor) {
                while (!signalled) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    monitor.wait(Math.max(1, left / 1_000_000L));
                }
                signalled = false;
            }
        }

        @Override
        public void published() {
            synchronized (monitor) {
                signalled = true;
                monitor.notifyAll();
            }
        }

        @Override
        public void close() {
            published();
        }
    }
}
