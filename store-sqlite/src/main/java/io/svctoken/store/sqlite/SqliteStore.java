package io.svctoken.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.ApiKeyRepository;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.MetadataRepository;
import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.RoleRepository;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.store.TokenRepository;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;
import io.svctoken.core.token.TokenId;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded default store: one SQLite database file, {@code <dataDir>/svctoken.db}.
 *
 * <p>Durability and concurrency: the file is in WAL mode with {@code synchronous=FULL}, so a
 * method that returned has its change on disk. Writes go through one writer connection, taken
 * under a lock, so writers of this process never contend inside SQLite (no {@code SQLITE_BUSY}
 * however many threads write); the {@code busy_timeout} only covers another process (the CLI)
 * writing the same file. Reads use a small pool of read-only ({@code query_only}) connections
 * and, thanks to WAL, run beside the writer. Duplicates are decided by the primary keys.
 *
 * <p>Schema: versioned Flyway migrations in {@code classpath:db/sqlite} ({@code V1__...sql}).
 * Flyway is run only when the schema history does not already show {@link #SCHEMA_VERSION}
 * applied, which keeps the start of an up-to-date store cheap.
 *
 * <p>All failures are {@link StoreException}s naming the operation and the database file; they
 * never carry a password or a hash.
 */
public final class SqliteStore implements TokenRepository, UserRepository, RoleRepository, ApiKeyRepository, MetadataRepository,
        AutoCloseable {

    /** The database file's name inside the data directory. */
    public static final String DB_FILE_NAME = "svctoken.db";

    /** The newest migration version shipped in {@code db/sqlite}; raise it with each new {@code V<n>__} file. */
    public static final int SCHEMA_VERSION = 3;

    /** Where the migrations are. */
    public static final String MIGRATIONS_LOCATION = "classpath:db/sqlite";

    /** Flyway's schema history table (its default name). */
    public static final String SCHEMA_HISTORY_TABLE = "flyway_schema_history";

    static final int BUSY_TIMEOUT_MS = 5_000;
    static final String MIGRATION_LOCK_SUFFIX = ".migration-lock";
    private static final long MIGRATION_LOCK_WAIT_SECONDS = 60;
    private static final Object MIGRATION_MONITOR = new Object();
    static final int MAX_READERS = 4;
    private static final long READER_WAIT_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    /** Loaded on first use, so that opening the store does not pay for Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
        };
    }

    private final Path dbFile;
    private final String url;

    /** The only connection that writes; guarded by {@link #writeLock}. */
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Idle read connections; guarded by {@code this}. At most {@link #MAX_READERS} exist. */
    private final ArrayDeque<Connection> idleReaders = new ArrayDeque<>();
    private final Semaphore readerPermits = new Semaphore(MAX_READERS);

    private volatile boolean closed;

    private SqliteStore(Path dbFile, String url, Connection writer) {
        this.dbFile = dbFile;
        this.url = url;
        this.writer = writer;
    }

    /**
     * Opens (creating if needed) {@code <dataDir>/svctoken.db} and brings its schema up to date.
     *
     * @throws StoreException if the directory cannot be created or written, the file is not a
     *                        SQLite database, or the schema cannot be migrated
     */
    public static SqliteStore open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path dir = dataDir.toAbsolutePath().normalize();
        Path dbFile = dir.resolve(DB_FILE_NAME);
        checkDataDir(dir, dbFile);
        PrivateDataFiles.warnIfOpenToOthers(List.of(dir, dbFile, sibling(dbFile, "-wal"), sibling(dbFile, "-shm")));
        PrivateDataFiles.createFiles(dir, List.of(dbFile, sibling(dbFile, MIGRATION_LOCK_SUFFIX)));

        String url = "jdbc:sqlite:" + dbFile;
        Connection writer = openWriterRetryingWhileBusy(url, dbFile);
        try {
            verifyPragmas(writer, dbFile);
            migrate(writer, url, dbFile);
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

    // ---------------------------------------------------------------- tokens

    @Override
    public void insert(TokenRecord record) throws DuplicateTokenException {
        Objects.requireNonNull(record, "record");
        TokenId id = record.id();
        String op = "insert token [" + id.qualifiedName() + "]";
        lockWriter(op);
        try (PreparedStatement ps = writer.prepareStatement(
                "INSERT INTO service_account_tokens (principal, name, password_hash, creation_time, version, creator)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id.accountId().asPrincipal());
            ps.setString(2, id.tokenName());
            ps.setString(3, record.passwordHash());
            ps.setLong(4, record.creationTimeMillis());
            ps.setInt(5, record.version());
            setNullableString(ps, 6, record.creatorJson());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new DuplicateTokenException(id);
            }
            throw failure(op, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean delete(TokenId id) {
        Objects.requireNonNull(id, "id");
        String op = "delete token [" + id.qualifiedName() + "]";
        return write(op, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM service_account_tokens WHERE principal = ? AND name = ?")) {
                ps.setString(1, id.accountId().asPrincipal());
                ps.setString(2, id.tokenName());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<TokenRecord> find(TokenId id) {
        Objects.requireNonNull(id, "id");
        return read("find token [" + id.qualifiedName() + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT password_hash, creation_time, version, creator FROM service_account_tokens"
                            + " WHERE principal = ? AND name = ?")) {
                ps.setString(1, id.accountId().asPrincipal());
                ps.setString(2, id.tokenName());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new TokenRecord(id, rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
                }
            }
        });
    }

    @Override
    public List<String> tokenNames(ServiceAccountId account) {
        Objects.requireNonNull(account, "account");
        return read("list tokens of [" + account.asPrincipal() + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM service_account_tokens WHERE principal = ? ORDER BY name COLLATE BINARY")) {
                ps.setString(1, account.asPrincipal());
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> names = new ArrayList<>();
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                    return List.copyOf(names);
                }
            }
        });
    }

    // ---------------------------------------------------------------- users

    @Override
    public Optional<UserRecord> findUser(String username) {
        Objects.requireNonNull(username, "username");
        return read("find user [" + username + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT password_hash, roles, full_name, email, metadata, enabled FROM users WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    List<String> roles = parseRoles(rs.getString(2), username);
                    return Optional.of(new UserRecord(username, rs.getString(1), roles, rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getInt(6) != 0));
                }
            }
        });
    }

    @Override
    public List<UserRecord> listUsers() {
        return read("list users", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT username, password_hash, roles, full_name, email, metadata, enabled FROM users ORDER BY username");
                 ResultSet rs = ps.executeQuery()) {
                List<UserRecord> out = new ArrayList<>();
                while (rs.next()) {
                    String username = rs.getString(1);
                    out.add(new UserRecord(username, rs.getString(2), parseRoles(rs.getString(3), username), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7) != 0));
                }
                return out;
            }
        });
    }

    @Override
    public boolean insertUserIfAbsent(UserRecord user) {
        Objects.requireNonNull(user, "user");
        return write("insert user [" + user.username() + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (username, password_hash, roles, full_name, email, metadata, enabled)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING")) {
                bindUser(ps, user);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void putUser(UserRecord user) {
        Objects.requireNonNull(user, "user");
        write("put user [" + user.username() + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (username, password_hash, roles, full_name, email, metadata, enabled)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET"
                            + " password_hash = excluded.password_hash, roles = excluded.roles,"
                            + " full_name = excluded.full_name, email = excluded.email,"
                            + " metadata = excluded.metadata, enabled = excluded.enabled")) {
                bindUser(ps, user);
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public boolean deleteUser(String username) {
        Objects.requireNonNull(username, "username");
        return write("delete user [" + username + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE username = ?")) {
                ps.setString(1, username);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static void bindUser(PreparedStatement ps, UserRecord user) throws SQLException {
        ps.setString(1, user.username());
        setNullableString(ps, 2, user.passwordHash());
        ps.setString(3, rolesJson(user.roles()));
        setNullableString(ps, 4, user.fullName());
        setNullableString(ps, 5, user.email());
        ps.setString(6, user.metadataJson());
        ps.setInt(7, user.enabled() ? 1 : 0);
    }

    // ---------------------------------------------------------------- roles

    @Override
    public boolean putRole(RoleRecord role) {
        Objects.requireNonNull(role, "role");
        return write("put role [" + role.name() + "]", c -> {
            boolean existed;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM roles WHERE name = ?")) {
                ps.setString(1, role.name());
                try (ResultSet rs = ps.executeQuery()) {
                    existed = rs.next();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO roles (name, descriptor) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET descriptor = excluded.descriptor")) {
                ps.setString(1, role.name());
                ps.setString(2, role.descriptorJson());
                ps.executeUpdate();
            }
            return !existed;
        });
    }

    @Override
    public Optional<RoleRecord> findRole(String name) {
        Objects.requireNonNull(name, "name");
        return read("find role [" + name + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT descriptor FROM roles WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new RoleRecord(name, rs.getString(1))) : Optional.<RoleRecord>empty();
                }
            }
        });
    }

    @Override
    public boolean deleteRole(String name) {
        Objects.requireNonNull(name, "name");
        return write("delete role [" + name + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM roles WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<RoleRecord> listRoles() {
        return read("list roles", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, descriptor FROM roles ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<RoleRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new RoleRecord(rs.getString(1), rs.getString(2)));
                }
                return out;
            }
        });
    }

    // ---------------------------------------------------------------- API keys

    private static final String API_KEY_COLUMNS = "id, name, type, api_key_hash, creation_time, expiration_time, invalidated,"
            + " invalidation_time, owner_username, owner_realm, owner_realm_type, creator, role_descriptors,"
            + " limited_by_role_descriptors, metadata, version";

    @Override
    public void insertApiKey(ApiKeyRecord key) {
        Objects.requireNonNull(key, "key");
        write("insert API key [" + key.id() + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (" + API_KEY_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, key.id());
                ps.setString(2, key.name());
                ps.setString(3, key.type());
                ps.setString(4, key.apiKeyHash());
                ps.setLong(5, key.creationTimeMillis());
                setNullableLong(ps, 6, key.expirationTimeMillis());
                ps.setInt(7, key.invalidated() ? 1 : 0);
                setNullableLong(ps, 8, key.invalidationTimeMillis());
                ps.setString(9, key.ownerUsername());
                ps.setString(10, key.ownerRealm());
                ps.setString(11, key.ownerRealmType());
                ps.setString(12, key.creatorJson());
                ps.setString(13, key.roleDescriptorsJson());
                ps.setString(14, key.limitedByJson());
                ps.setString(15, key.metadataJson());
                ps.setInt(16, key.version());
                ps.executeUpdate();
                return null;
            }
        });
    }

    @Override
    public Optional<ApiKeyRecord> findApiKey(String id) {
        Objects.requireNonNull(id, "id");
        return read("find API key [" + id + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<ApiKeyRecord> findApiKeys(ApiKeyFilter filter) {
        Objects.requireNonNull(filter, "filter");
        StringBuilder sql = new StringBuilder("SELECT ").append(API_KEY_COLUMNS).append(" FROM api_keys WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.ids() != null && !filter.ids().isEmpty()) {
            sql.append(" AND id IN (").append("?, ".repeat(filter.ids().size() - 1)).append("?)");
            args.addAll(filter.ids());
        }
        if (!filter.anyName()) {
            if (filter.name().endsWith("*")) {
                // a prefix, compared byte-wise (no LIKE: its wildcards and case folding are not Elasticsearch's)
                String prefix = filter.name().substring(0, filter.name().length() - 1);
                sql.append(" AND substr(name, 1, ?) = ?");
                args.add((long) prefix.codePointCount(0, prefix.length()));
                args.add(prefix);
            } else {
                sql.append(" AND name = ?");
                args.add(filter.name());
            }
        }
        if (filter.username() != null && !filter.username().isEmpty()) {
            sql.append(" AND owner_username = ?");
            args.add(filter.username());
        }
        if (filter.realmNames() != null && !filter.realmNames().isEmpty()) {
            sql.append(" AND owner_realm IN (").append("?, ".repeat(filter.realmNames().size() - 1)).append("?)");
            args.addAll(filter.realmNames());
        }
        if (filter.excludeInvalidated()) {
            sql.append(" AND invalidated = 0");
        }
        if (filter.activeAt() != null) {
            sql.append(" AND invalidated = 0 AND (expiration_time IS NULL OR expiration_time > ?)");
            args.add(filter.activeAt());
        }
        sql.append(" ORDER BY creation_time, id");
        return read("find API keys", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    Object a = args.get(i);
                    if (a instanceof Long l) {
                        ps.setLong(i + 1, l);
                    } else {
                        ps.setString(i + 1, (String) a);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<ApiKeyRecord> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(apiKey(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public List<String> invalidateApiKeys(Collection<String> ids, long timeMillis) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return List.of();
        }
        return write("invalidate API keys", c -> inImmediateTransaction(c, () -> {
            List<String> done = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_keys SET invalidated = 1, invalidation_time = ? WHERE id = ? AND invalidated = 0")) {
                for (String id : new java.util.LinkedHashSet<>(ids)) {
                    ps.setLong(1, timeMillis);
                    ps.setString(2, id);
                    if (ps.executeUpdate() > 0) {
                        done.add(id);
                    }
                }
            }
            return done;
        }));
    }

    private static ApiKeyRecord apiKey(ResultSet rs) throws SQLException {
        return new ApiKeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                nullableLong(rs, 6), rs.getInt(7) != 0, nullableLong(rs, 8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getInt(16));
    }

    private static Long nullableLong(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }

    // ---------------------------------------------------------------- metadata

    @Override
    public Optional<String> getMetadata(String key) {
        Objects.requireNonNull(key, "key");
        return read("get metadata [" + key + "]", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM metadata WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public String putMetadataIfAbsent(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return write("put metadata [" + key + "]", c -> inImmediateTransaction(c, () -> {
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO metadata (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
                ins.setString(1, key);
                ins.setString(2, value);
                ins.executeUpdate();
            }
            try (PreparedStatement sel = c.prepareStatement("SELECT value FROM metadata WHERE key = ?")) {
                sel.setString(1, key);
                try (ResultSet rs = sel.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("row vanished inside its own transaction");
                    }
                    return rs.getString(1);
                }
            }
        }));
    }

    // ---------------------------------------------------------------- lifecycle

    /** Closes every connection; the last close checkpoints the WAL into the database file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            for (Connection c : idleReaders) {
                closeQuietly(c);
            }
            idleReaders.clear();
        }
        writeLock.lock();
        try {
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SqliteStore[" + dbFile + (closed ? ", closed" : "") + "]";
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
        return onReader ? read("read pragma " + name, work) : write("read pragma " + name, work);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlBlock<T> {
        T run() throws SQLException;
    }

    private <T> T write(String op, SqlWork<T> work) {
        lockWriter(op);
        try {
            return work.run(writer);
        } catch (SQLException e) {
            throw failure(op, e);
        } finally {
            writeLock.unlock();
        }
    }

    private void lockWriter(String op) {
        writeLock.lock();
        if (closed) {
            writeLock.unlock();
            throw closedFailure(op);
        }
    }

    private static <T> T inImmediateTransaction(Connection c, SqlBlock<T> block) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            boolean committed = false;
            try {
                T result = block.run();
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
    }

    private <T> T read(String op, SqlWork<T> work) {
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
            return openConnection(url, true);
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
            closeQuietly(c);
        } finally {
            readerPermits.release();
        }
    }

    private static Connection openConnection(String url, boolean readOnly) throws SQLException {
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

    private static void migrate(Connection c, String url, Path dbFile) {
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
                runFlyway(url, dbFile, applied);
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
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SCHEMA_HISTORY_TABLE + " WHERE success = 0")) {
                if (rs.next() && rs.getInt(1) > 0) {
                    return Integer.MIN_VALUE;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT version FROM " + SCHEMA_HISTORY_TABLE
                    + " WHERE success = 1 AND version IS NOT NULL")) {
                int max = -1;
                while (rs.next()) {
                    max = Math.max(max, parseVersion(rs.getString(1)));
                }
                return max;
            }
        } catch (SQLException e) {
            throw openFailure(dbFile, e);
        }
    }

    /** Major part of a Flyway version ("1", "2.1" -> 2); our migrations use whole numbers. */
    private static int parseVersion(String v) {
        String major = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
        try {
            return Integer.parseInt(major.trim());
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    // ---------------------------------------------------------------- errors

    private static boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
        }
        return false;
    }

    private static boolean isFatal(SQLException e) {
        if (e instanceof SQLiteException se) {
            String name = se.getResultCode().name();
            return name.startsWith("SQLITE_CORRUPT") || name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_IOERR");
        }
        return false;
    }

    private StoreException failure(String op, SQLException e) {
        return new StoreException("could not " + op + " in database " + dbFile + ": " + sqlMessage(e), e);
    }

    private StoreException closedFailure(String op) {
        return new StoreException("could not " + op + ": store " + dbFile + " is closed");
    }

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

    private static String sqlMessage(SQLException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    // ---------------------------------------------------------------- small helpers

    private static void setNullableString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    private static String rolesJson(List<String> roles) {
        try {
            return Json.MAPPER.writeValueAsString(roles);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a list of strings as JSON", e);
        }
    }

    private List<String> parseRoles(String json, String username) {
        try {
            List<String> roles = Json.MAPPER.readValue(json, Json.STRING_LIST);
            if (roles.contains(null)) {
                throw new StoreException("could not read user [" + username + "] from database " + dbFile
                        + ": roles hold a null");
            }
            return roles;
        } catch (JsonProcessingException e) {
            throw new StoreException("could not read user [" + username + "] from database " + dbFile
                    + ": roles are not a JSON array of strings", e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("closing a connection failed: {}", e.getMessage());
        }
    }
}
