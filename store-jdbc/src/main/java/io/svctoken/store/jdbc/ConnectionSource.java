package io.svctoken.store.jdbc;

/**
 * How a store reaches its database: SQLite's one writer connection under a lock beside read-only
 * readers, PostgreSQL's connection pool. The repositories say only whether work reads, writes or must
 * be one transaction; the source decides on which connection it runs.
 *
 * <p>Each method turns an {@link java.sql.SQLException} of the work into a
 * {@link io.svctoken.core.store.StoreException} naming {@code op} and {@link #where()}; other exceptions
 * pass through unchanged. A closed source fails with a {@code StoreException} too.
 */
public interface ConnectionSource extends AutoCloseable {

    /** Runs work that only reads. */
    <T> T read(String op, SqlWork<T> work);

    /** Runs work that writes, each statement committed on its own. */
    <T> T write(String op, SqlWork<T> work);

    /** Runs work as one transaction: all of its changes or none. */
    <T> T transaction(String op, SqlWork<T> work);

    /** Where the data is, for messages (e.g. {@code database /var/lib/svctoken/svctoken.db}); never a password. */
    String where();

    /** Closes every connection. Idempotent. */
    @Override
    void close();
}
