package io.svctoken.store.sqlite;

import io.svctoken.core.store.StoreException;
import io.svctoken.store.jdbc.ConnectionSource;
import io.svctoken.store.jdbc.SqlWork;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite's connections: writes go through one writer connection, taken under a lock, so writers of
 * this process never contend inside SQLite (no {@code SQLITE_BUSY} however many threads write); reads
 * use a small pool of read-only ({@code query_only}) connections that, thanks to WAL, run beside the
 * writer. A transaction is {@code BEGIN IMMEDIATE} on the writer.
 */
final class SqliteConnections implements ConnectionSource {

    private static final long READER_WAIT_SECONDS = 30;

    private final Path dbFile;
    private final String url;

    /** The only connection that writes; guarded by {@link #writeLock}. */
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Idle read connections; guarded by {@code this}. At most {@link SqliteStore#MAX_READERS} exist. */
    private final ArrayDeque<Connection> idleReaders = new ArrayDeque<>();
    private final Semaphore readerPermits = new Semaphore(SqliteStore.MAX_READERS);

    private volatile boolean closed;

    SqliteConnections(Path dbFile, String url, Connection writer) {
        this.dbFile = dbFile;
        this.url = url;
        this.writer = writer;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String where() {
        return "database " + dbFile;
    }

    @Override
    public <T> T write(String op, SqlWork<T> work) {
        lockWriter(op);
        try {
            return work.run(writer);
        } catch (SQLException e) {
            throw failure(op, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T transaction(String op, SqlWork<T> work) {
        return write(op, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                boolean committed = false;
                try {
                    T result = work.run(c);
                    st.execute("COMMIT");
                    committed = true;
                    return result;
                } finally {
                    if (!committed) {
                        try {
                            st.execute("ROLLBACK");
                        } catch (SQLException ignored) {
                            // no transaction left to roll back (SQLite may have rolled back itself)
                        }
                    }
                }
            }
        });
    }

    private void lockWriter(String op) {
        writeLock.lock();
        if (closed) {
            writeLock.unlock();
            throw closedFailure(op);
        }
    }

    @Override
    public <T> T read(String op, SqlWork<T> work) {
        Connection c = borrowReader(op);
        boolean healthy = true;
        try {
            return work.run(c);
        } catch (SQLException e) {
            healthy = !isFatal(e);
            throw failure(op, e);
        } finally {
            returnReader(c, healthy);
        }
    }

    private Connection borrowReader(String op) {
        if (closed) {
            throw closedFailure(op);
        }
        boolean acquired;
        try {
            acquired = readerPermits.tryAcquire(READER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("could not " + op + ": interrupted while waiting for a connection to " + dbFile, e);
        }
        if (!acquired) {
            throw new StoreException("could not " + op + ": no free connection to " + dbFile + " within "
                    + READER_WAIT_SECONDS + " s");
        }
        try {
            synchronized (this) {
                if (closed) {
                    throw closedFailure(op);
                }
                Connection idle = idleReaders.pollFirst();
                if (idle != null) {
                    return idle;
                }
            }
            return SqliteStore.openConnection(url, true);
        } catch (SQLException e) {
            readerPermits.release();
            throw failure(op, e);
        } catch (RuntimeException e) {
            readerPermits.release();
            throw e;
        }
    }

    private void returnReader(Connection c, boolean healthy) {
        try {
            synchronized (this) {
                if (!closed && healthy) {
                    idleReaders.addFirst(c);
                    return;
                }
            }
            SqliteStore.closeQuietly(c);
        } finally {
            readerPermits.release();
        }
    }

    /** Closes every connection; the last close checkpoints the WAL into the database file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            for (Connection c : idleReaders) {
                SqliteStore.closeQuietly(c);
            }
            idleReaders.clear();
        }
        writeLock.lock();
        try {
            SqliteStore.closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    private static boolean isFatal(SQLException e) {
        if (e instanceof SQLiteException se) {
            String name = se.getResultCode().name();
            return name.startsWith("SQLITE_CORRUPT") || name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_IOERR");
        }
        return false;
    }

    private StoreException failure(String op, SQLException e) {
        return new StoreException("could not " + op + " in database " + dbFile + ": " + SqliteStore.sqlMessage(e), e);
    }

    private StoreException closedFailure(String op) {
        return new StoreException("could not " + op + ": store " + dbFile + " is closed");
    }
}
