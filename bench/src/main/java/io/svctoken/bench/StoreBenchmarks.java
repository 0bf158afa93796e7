package io.svctoken.bench;

import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.TokenId;
import io.svctoken.store.sqlite.SqliteStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Token lookup by id in the embedded SQLite store ({@link SqliteStore#find}) at 1k and 1M tokens, ids
 * drawn uniformly over all tokens. Baseline: the same SELECT on one plain JDBC connection with the
 * statement prepared once (the floor the store's code adds to).
 *
 * <p>The files come from {@link BenchDb} ({@code -Dbench.db=<dir>}, default {@code bench/target/db}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class StoreBenchmarks {

    private static final int IDS = 1 << 16;

    @Param({"1000", "1000000"})
    public int tokens;

    private SqliteStore store;
    private Connection raw;
    private PreparedStatement select;
    private TokenId[] ids;
    private String[] names;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        Path dir = BenchDb.ensure(Path.of(System.getProperty("bench.db", "bench/target/db")), tokens);
        store = SqliteStore.open(dir);
        raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.DB_FILE_NAME));
        select = raw.prepareStatement("SELECT password_hash, creation_time, version, creator FROM service_account_tokens"
                + " WHERE principal = ? AND name = ?");
        SplittableRandom r = new SplittableRandom(7);
        ids = new TokenId[IDS];
        names = new String[IDS];
        for (int k = 0; k < IDS; k++) {
            int i = r.nextInt(tokens);
            ids[k] = BenchDb.tokenId(i);
            names[k] = ids[k].tokenName();
        }
        if (store.find(ids[0]).isEmpty()) {
            throw new IllegalStateException("token " + ids[0] + " missing from " + dir);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        select.close();
        raw.close();
        store.close();
    }

    @Benchmark
    public Optional<TokenRecord> find() {
        return store.find(ids[next++ & (IDS - 1)]);
    }

    @Benchmark
    public TokenRecord find_baseline() throws SQLException {
        int k = next++ & (IDS - 1);
        select.setString(1, BenchDb.ACCOUNT.asPrincipal());
        select.setString(2, names[k]);
        try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? new TokenRecord(ids[k], rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4)) : null;
        }
    }
}
