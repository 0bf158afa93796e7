package io.svctoken.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one connection, given by a {@link ConnectionSource}. */
@FunctionalInterface
public interface SqlWork<T> {

    T run(Connection c) throws SQLException;
}
