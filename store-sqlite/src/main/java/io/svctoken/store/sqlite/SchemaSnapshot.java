package io.svctoken.store.sqlite;

import io.svctoken.store.jdbc.SchemaHistory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The schema an empty database has after Flyway applied every migration, as the statements that make it at once:
 * the tables and indexes as SQLite stored them ({@code sqlite_master}, in creation order) and Flyway's history rows
 * with Flyway's own checksums. A first start runs these in one transaction instead of Flyway's whole machinery
 * (about 0.4 s of a first start's critical path on 2 cores, measured: docs/benchmarks.md round 6); every later
 * migration is Flyway's, which validates the history this wrote as its own. The build writes the resource by running
 * {@link #main} after compiling (Flyway on a scratch database), so it always follows the migrations.
 */
final class SchemaSnapshot {

    /** The resource, beside this class (not under Flyway's location, whose file names Flyway validates). */
    static final String RESOURCE = "schema-snapshot.sql";
    static final String SEPARATOR = "\n-- statement\n";
    private static final String VERSION_PREFIX = "-- svctoken's SQLite schema at version ";
    private static final String HEADER = VERSION_PREFIX + "%d: what Flyway's migrations leave in an empty database."
            + "\n-- Written by the build (SchemaSnapshot.main).";

    private final int version;
    private final List<String> statements;

    private SchemaSnapshot(int version, List<String> statements) {
        this.version = version;
        this.statements = List.copyOf(statements);
    }

    int version() {
        return version;
    }

    List<String> statements() {
        return statements;
    }

    /** The snapshot shipped with this build, or null when there is none (then Flyway makes every schema). */
    static SchemaSnapshot shipped() {
        try (InputStream in = SchemaSnapshot.class.getResourceAsStream(RESOURCE)) {
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.startsWith(VERSION_PREFIX) ? parse(text) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SchemaSnapshot parse(String text) {
        String[] parts = text.split(SEPARATOR, -1);
        String header = parts[0];
        int version = Integer.parseInt(header.substring(VERSION_PREFIX.length(), header.indexOf(':', VERSION_PREFIX.length())));
        List<String> statements = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String s = parts[i].strip();
            if (!s.isEmpty()) {
                statements.add(s);
            }
        }
        return new SchemaSnapshot(version, statements);
    }

    String text() {
        StringBuilder b = new StringBuilder(String.format(HEADER, version));
        for (String s : statements) {
            b.append(SEPARATOR).append(s);
        }
        return b.append('\n').toString();
    }

    /**
     * Reads the snapshot of a database Flyway migrated: its schema objects (those SQLite makes itself, named
     * {@code sqlite_*}, are left to it) and its history rows. Fails if a migration left rows in a table: a snapshot
     * holds no data.
     */
    static SchemaSnapshot of(Connection c) throws SQLException {
        List<String> statements = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")) {
            while (rs.next()) {
                statements.add(rs.getString("sql"));
                if (rs.getString("type").equals("table")) {
                    tables.add(rs.getString("name"));
                }
            }
        }
        for (String table : tables) {
            if (table.equals(SchemaHistory.TABLE)) {
                continue;
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                if (rs.next() && rs.getLong(1) != 0) {
                    throw new IllegalStateException("a migration left rows in table " + table + ": a schema snapshot holds no data");
                }
            }
        }
        int version = -1;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT installed_rank, version, description, type, script, checksum, installed_by, success FROM \""
                     + SchemaHistory.TABLE + "\" ORDER BY installed_rank")) {
            while (rs.next()) {
                if (!rs.getBoolean("success")) {
                    throw new IllegalStateException("the history shows a failed migration: " + rs.getString("script"));
                }
                Object checksum = rs.getObject("checksum");
                statements.add("INSERT INTO \"" + SchemaHistory.TABLE + "\" (installed_rank, version, description, type, script, checksum,"
                        + " installed_by, execution_time, success) VALUES (" + rs.getInt("installed_rank") + ", " + quote(rs.getString("version"))
                        + ", " + quote(rs.getString("description")) + ", " + quote(rs.getString("type")) + ", " + quote(rs.getString("script"))
                        + ", " + (checksum == null ? "NULL" : String.valueOf(rs.getInt("checksum"))) + ", " + quote(rs.getString("installed_by"))
                        + ", 0, 1)");
                String v = rs.getString("version");
                if (v != null) {
                    version = Math.max(version, Integer.parseInt(v));
                }
            }
        }
        return new SchemaSnapshot(version, statements);
    }

    /**
     * The build's step: migrates a scratch database with Flyway and writes its snapshot under {@code args[0]} (the
     * classes directory), where {@link #shipped} finds it.
     */
    public static void main(String[] args) throws Exception {
        // run by the build: Flyway logs each migration at INFO through java.util.logging here; only warnings belong in a build log
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Path out = Path.of(args[0]).resolve(SchemaSnapshot.class.getPackageName().replace('.', '/')).resolve(RESOURCE);
        Path scratch = Files.createTempDirectory("svctoken-schema-snapshot");
        try {
            SqliteStore.open(scratch, false).close();
            String text;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + scratch.resolve(SqliteStore.DB_FILE_NAME))) {
                text = of(c).text();
            }
            Files.createDirectories(out.getParent());
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String quote(String s) {
        return s == null ? "NULL" : "'" + s.replace("'", "''") + "'";
    }

    /** Makes the schema on {@code c} (an empty database) in one transaction. */
    void apply(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
