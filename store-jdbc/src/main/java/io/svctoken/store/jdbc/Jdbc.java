package io.svctoken.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The small JDBC helper the repositories are written against: statements with bound {@link Params}
 * and row mappers, run on the connections of a {@link ConnectionSource}. Duplicates are recognised by
 * the {@link Dialect} from the database's own unique constraint, never by looking first.
 *
 * <p>The instance methods each run on a connection of their own; the static ones run on the connection
 * given, for work inside {@link #write} or {@link #transaction}.
 */
public final class Jdbc {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(Params p) throws SQLException;
    }

    /** Makes a value of the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final ConnectionSource source;
    private final Dialect dialect;

    public Jdbc(ConnectionSource source, Dialect dialect) {
        this.source = Objects.requireNonNull(source, "source");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** Where the data is, for messages. */
    public String where() {
        return source.where();
    }

    /** The first row, if any. */
    public <T> Optional<T> one(String op, String sql, Binder binder, RowMapper<T> mapper) {
        return source.read(op, c -> one(c, sql, binder, mapper));
    }

    /** Every row, in the query's order. */
    public <T> List<T> list(String op, String sql, Binder binder, RowMapper<T> mapper) {
        return source.read(op, c -> list(c, sql, binder, mapper));
    }

    /** @return the number of rows changed */
    public int update(String op, String sql, Binder binder) {
        return source.write(op, c -> update(c, sql, binder));
    }

    /** Runs an insert; false when the database's primary key or a unique constraint refused the row. */
    public boolean insertUnlessDuplicate(String op, String sql, Binder binder) {
        return source.write(op, c -> {
            try {
                update(c, sql, binder);
                return true;
            } catch (SQLException e) {
                if (dialect.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Several statements that write, each committed on its own. */
    public <T> T write(String op, SqlWork<T> work) {
        return source.write(op, work);
    }

    /** Several statements as one transaction. */
    public <T> T transaction(String op, SqlWork<T> work) {
        return source.transaction(op, work);
    }

    public static <T> Optional<T> one(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, binder); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        }
    }

    public static <T> List<T> list(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, binder); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    public static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, binder)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Binder binder) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            binder.bind(new Params(ps));
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** For nullable integer columns. */
    public static Long nullableLong(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
    }
}
