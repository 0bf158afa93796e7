package io.svctoken.store.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import io.svctoken.core.store.StoreException;
import io.svctoken.store.jdbc.ConnectionSource;
import io.svctoken.store.jdbc.SqlWork;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A HikariCP pool: every piece of work borrows a connection and gives it back. Plain work runs with
 * autocommit; a transaction turns it off and commits or rolls back (the pool restores autocommit
 * when the connection comes back).
 */
final class PostgresqlConnections implements ConnectionSource {

    private final HikariDataSource pool;
    private final String where;
    private volatile boolean closed;

    PostgresqlConnections(HikariDataSource pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public <T> T read(String op, SqlWork<T> work) {
        return run(op, work);
    }

    @Override
    public <T> T write(String op, SqlWork<T> work) {
        return run(op, work);
    }

    @Override
    public <T> T transaction(String op, SqlWork<T> work) {
        return run(op, c -> {
            c.setAutoCommit(false);
            boolean committed = false;
            try {
                T result = work.run(c);
                c.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the connection is broken: the pool drops it
                    }
                }
            }
        });
    }

    private <T> T run(String op, SqlWork<T> work) {
        if (closed) {
            throw closedFailure(op);
        }
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            if (closed) {
                throw closedFailure(op);
            }
            throw new StoreException("could not " + op + " in " + where + ": " + message(e), e);
        }
    }

    private StoreException closedFailure(String op) {
        return new StoreException("could not " + op + ": store " + where + " is closed");
    }

    static String message(SQLException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Closes the pool and its connections. Idempotent. */
    @Override
    public void close() {
        closed = true;
        pool.close();
    }
}
