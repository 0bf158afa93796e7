package io.svctoken.store.sqlite;

import io.svctoken.core.store.StoreException;
import io.svctoken.store.jdbc.JdbcStore;
import io.svctoken.store.jdbc.SchemaHistory;
import io.svctoken.store.jdbc.SqlWork;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default store: one SQLite database file, {@code <dataDir>/svctoken.db}.
 *
 * <p>Durability and concurrency: the file is in WAL mode with {@code synchronous=FULL}, so a
 * method that returned has its change on disk. Writes go through one writer connection, taken
 * under a lock, so writers of this process never contend inside SQLite (no {@code SQLITE_BUSY}
 * however many threads write); the {@code busy_timeout} only covers another process (the CLI)
 * writing the same file. Reads use a small pool of read-only ({@code query_only}) connections
 * and, thanks to WAL, run beside the writer ({@link SqliteConnections}). Duplicates are decided by
 * the primary keys. The repositories themselves are the shared ones of {@link JdbcStore}.
 *
 * <p>Schema: versioned Flyway migrations in {@code classpath:db/sqlite} ({@code V1__...sql}).
 * Flyway is run only when the schema history does not already show {@link #SCHEMA_VERSION}
 * applied, which keeps the start of an up-to-date store cheap.
 *
 * <p>All failures are {@link StoreException}s naming the operation and the database file; they
 * never carry a password or a hash.
 */
public final class SqliteStore extends JdbcStore {

    /** The database file's name inside the data directory. */
    public static final String DB_FILE_NAME = "svctoken.db";

    /** The newest migration version shipped in {@code db/sqlite}; raise it with each new {@code V<n>__} file. */
    public static final int SCHEMA_VERSION = 12;

    /** Where the migrations are. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/sqlite";

    /** Flyway's schema history table (its default name). */
    public static final String SCHEMA_HISTORY_TABLE = SchemaHistory.TABLE;

    static final int BUSY_TIMEOUT_MS = 5_000;
    static final String MIGRATION_LOCK_SUFFIX = ".migration-lock";
    private static final long MIGRATION_LOCK_WAIT_SECONDS = 60;
    private static final Object MIGRATION_MONITOR = new Object();
    static final int MAX_READERS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    private final Path dbFile;
    private final SqliteConnections connections;

    private SqliteStore(Path dbFile, String url, Connection writer) {
        this(dbFile, new SqliteConnections(dbFile, url, writer));
    }

    private SqliteStore(Path dbFile, SqliteConnections connections) {
        super(connections, SqliteDialect.INSTANCE);
        this.dbFile = dbFile;
        this.connections = connections;
    }

    /**
     * Opens (creating if needed) {@code <dataDir>/svctoken.db} and brings its schema up to date.
     *
     * @throws StoreException if the directory cannot be created or written, the file is not a
     *                        SQLite database, or the schema cannot be migrated
     */
    public static SqliteStore open(Path dataDir) {
        return open(dataDir, true);
    }

    /** @param fromSnapshot false: Flyway makes an empty database's schema too (tests compare the two ways) */
    static SqliteStore open(Path dataDir, boolean fromSnapshot) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path dir = dataDir.toAbsolutePath().normalize();
        Path dbFile = dir.resolve(DB_FILE_NAME);
        checkDataDir(dir, dbFile);
        PrivateDataFiles.warnIfOpenToOthers(List.of(dir, dbFile, sibling(dbFile, "-wal"), sibling(dbFile, "-shm")));
        PrivateDataFiles.createFiles(dir, List.of(dbFile, sibling(dbFile, MIGRATION_LOCK_SUFFIX)));
        SqliteNativeLibrary.useCopyIn(dir); // before the driver's first connection: its library from <data>/native

        String url = "jdbc:sqlite:" + dbFile;
        Connection writer = openWriterRetryingWhileBusy(url, dbFile);
        try {
            verifyPragmas(writer, dbFile);
            migrate(writer, url, dbFile, fromSnapshot);
        } catch (RuntimeException e) {
            closeQuietly(writer);
            throw e;
        }
        return new SqliteStore(dbFile, url, writer);
    }

    /** The database file. */
    public Path databaseFile() {
        return dbFile;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public String toString() {
        return "SqliteStore[" + dbFile + (connections.isClosed() ? ", closed" : "") + "]";
    }

    /** For tests and diagnostics: a pragma's value as the writer, or a reader, connection sees it. */
    String pragma(String name, boolean onReader) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a pragma name: " + name);
        }
        SqlWork<String> work = c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        };
        return onReader ? connections.read("read pragma " + name, work) : connections.write("read pragma " + name, work);
    }

    // ---------------------------------------------------------------- open: connections

    static Connection openConnection(String url, boolean readOnly) throws SQLException {
        Connection c = config().createConnection(url);
        if (readOnly) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA query_only = ON");
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
        }
        return c;
    }

    /**
     * Switching a fresh file to WAL needs an exclusive lock, and the driver applies that pragma before
     * the busy timeout can help; when another process or thread opens the same new file at the same
     * moment, the open is retried within the busy timeout instead of failing.
     */
    private static Connection openWriterRetryingWhileBusy(String url, Path dbFile) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_TIMEOUT_MS);
        while (true) {
            try {
                return openConnection(url, false);
            } catch (SQLException e) {
                boolean busy = e instanceof SQLiteException se && (se.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
                        || se.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED);
                if (!busy || System.nanoTime() > deadline) {
                    throw openFailure(dbFile, e);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw openFailure(dbFile, e);
                }
            }
        }
    }

    private static SQLiteConfig config() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return config;
    }

    /** Checks what the pragmas really are: WAL is refused by some file systems, silently. */
    private static void verifyPragmas(Connection c, Path dbFile) {
        String mode;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            mode = rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw openFailure(dbFile, e);
        }
        if (!"wal".equalsIgnoreCase(mode)) {
            throw new StoreException("could not open database " + dbFile + ": journal_mode is [" + mode
                    + "], not [wal] (does the file system support WAL?)");
        }
    }

    // ---------------------------------------------------------------- open: directory checks

    private static void checkDataDir(Path dir, Path dbFile) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new StoreException("cannot open store: data directory " + dir + " exists but is not a directory");
            }
        } else {
            try {
                PrivateDataFiles.createDirectory(dir);
            } catch (IOException | SecurityException e) {
                throw new StoreException("cannot open store: could not create data directory " + dir + " ("
                        + describe(e) + ")", e);
            }
        }
        if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw new StoreException("cannot open store: data directory " + dir
                    + " is not writable (SQLite needs to create " + DB_FILE_NAME + ", its -wal and -shm files there)");
        }
        if (Files.exists(dbFile)) {
            if (!Files.isRegularFile(dbFile)) {
                throw new StoreException("cannot open store: database " + dbFile + " is not a regular file");
            }
            for (Path p : List.of(dbFile, sibling(dbFile, "-wal"), sibling(dbFile, "-shm"))) {
                if (Files.exists(p) && (!Files.isReadable(p) || !Files.isWritable(p))) {
                    throw new StoreException("cannot open store: database file " + p + " is not readable and writable");
                }
            }
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static String describe(Exception e) {
        String kind = e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    // ---------------------------------------------------------------- open: migrations

    private static void migrate(Connection c, String url, Path dbFile, boolean fromSnapshot) {
        if (checkedSchemaVersion(c, dbFile) == SCHEMA_VERSION) {
            LOG.debug("schema of {} is at version {}, no migration", dbFile, SCHEMA_VERSION);
            return;
        }
        // Serialize migrations: between threads of this JVM by the monitor, between processes (server
        // and CLI starting at once) by an OS lock on a side file. Never lock the database file itself:
        // SQLite's own POSIX locks on it would be dropped when our channel closed.
        Path lockFile = sibling(dbFile, MIGRATION_LOCK_SUFFIX);
        synchronized (MIGRATION_MONITOR) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockForMigration(channel, dbFile)) {
                int applied = checkedSchemaVersion(c, dbFile);
                if (applied == SCHEMA_VERSION) {
                    return; // another process migrated while we waited
                }
                if (!(fromSnapshot && applied < 0 && createFromSnapshot(c, dbFile))) {
                    runFlyway(url, dbFile, applied);
                }
            } catch (IOException e) {
                throw new StoreException("cannot open store: could not lock " + lockFile + " to migrate database "
                        + dbFile + " (" + describe(e) + ")", e);
            }
        }
        int now = appliedSchemaVersion(c, dbFile);
        if (now != SCHEMA_VERSION) {
            throw new StoreException("cannot open store: after migration database " + dbFile + " is at schema version "
                    + now + ", expected " + SCHEMA_VERSION + " (SqliteStore.SCHEMA_VERSION out of step with db/sqlite?)");
        }
    }

    /** The applied schema version; refuses a database migrated by a newer svctoken. */
    private static int checkedSchemaVersion(Connection c, Path dbFile) {
        int applied = appliedSchemaVersion(c, dbFile);
        if (applied > SCHEMA_VERSION) {
            throw new StoreException("cannot open store: database " + dbFile + " has schema version " + applied
                    + ", newer than this svctoken supports (" + SCHEMA_VERSION + "); use a newer svctoken");
        }
        return applied;
    }

    private static FileLock lockForMigration(FileChannel channel, Path dbFile) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MIGRATION_LOCK_WAIT_SECONDS);
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new StoreException("cannot open store: another process has been migrating database " + dbFile
                        + " for more than " + MIGRATION_LOCK_WAIT_SECONDS + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("cannot open store: interrupted while waiting to migrate database " + dbFile, e);
            }
        }
    }

    /**
     * An empty database gets the current schema from the build's snapshot (the statements Flyway's migrations amount
     * to, with Flyway's history rows) in one transaction; Flyway's own start-up is most of a first start's store
     * open. False when the database holds anything or the snapshot is not of this version: Flyway then migrates.
     */
    static boolean createFromSnapshot(Connection c, Path dbFile) {
        try {
            SchemaSnapshot snapshot = SchemaSnapshot.shipped();
            if (snapshot == null || snapshot.version() != SCHEMA_VERSION) {
                return false;
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
                if (!rs.next() || rs.getInt(1) != 0) {
                    return false;
                }
            }
            snapshot.apply(c);
            LOG.info("created the schema of {} at version {}", dbFile, SCHEMA_VERSION);
            return true;
        } catch (SQLException e) {
            throw openFailure(dbFile, e);
        }
    }

    private static void runFlyway(String url, Path dbFile, int applied) {
        SQLiteDataSource ds = new SQLiteDataSource(config());
        ds.setUrl(url);
        try {
            var result = Flyway.configure(SqliteStore.class.getClassLoader())
                    .dataSource(ds)
                    .locations(MIGRATIONS_LOCATION)
                    .table(SCHEMA_HISTORY_TABLE)
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
            LOG.info("migrated {} from schema version {} to {} ({} migration(s))", dbFile,
                    applied < 0 ? "none" : applied, result.targetSchemaVersion, result.migrationsExecuted);
        } catch (FlywayException e) {
            throw new StoreException("cannot open store: schema migration of database " + dbFile + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The highest successfully applied migration version, -1 if there is no schema history yet,
     * or {@code Integer.MIN_VALUE} if the history shows a failed migration (Flyway must report it).
     */
    static int appliedSchemaVersion(Connection c, Path dbFile) {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + SCHEMA_HISTORY_TABLE + "'")) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return -1;
                }
            }
            return SchemaHistory.appliedVersion(c);
        } catch (SQLException e) {
            throw openFailure(dbFile, e);
        }
    }

    // ---------------------------------------------------------------- errors

    private static StoreException openFailure(Path dbFile, SQLException e) {
        String hint = "";
        if (e instanceof SQLiteException se) {
            String code = se.getResultCode().name();
            if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) {
                hint = " (the file is not an SQLite database or is corrupt; restore it from a backup or move it away)";
            } else if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN")
                    || code.startsWith("SQLITE_PERM")) {
                hint = " (check that the data directory and the database file are writable)";
            } else if (code.startsWith("SQLITE_BUSY")) {
                hint = " (another process holds the database locked)";
            }
        }
        return new StoreException("cannot open store: database " + dbFile + " failed: " + sqlMessage(e) + hint, e);
    }

    static String sqlMessage(SQLException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    // ---------------------------------------------------------------- small helpers

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("closing a connection failed: {}", e.getMessage());
        }
    }
}
