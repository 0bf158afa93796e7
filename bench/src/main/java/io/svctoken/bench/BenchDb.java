package io.svctoken.bench;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import io.svctoken.core.token.TokenId;
import io.svctoken.store.sqlite.SqliteStore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Store files with many tokens, built fast and cached under {@code bench/target/db/tokens-<n>/}.
 *
 * <p>The schema is the real one: {@link SqliteStore#open} creates it (Flyway V1), then the rows go in
 * with one JDBC batch in one transaction. Token {@code i} is {@code elastic/fleet-server/t<i>} (9 digits)
 * with secret {@link #secret(int)}, stored as {@code {SSHA256}} so that verification (which follows the
 * stored prefix) costs about a microsecond: what is measured with these files is the lookup, not the hash.
 *
 * <p>Next to the database, {@code bearers.txt} holds {@link #SAMPLE} bearer values of tokens chosen at
 * random (uniformly over all {@code n}), for wrk to rotate through.
 *
 * <p>{@code java io.svctoken.bench.BenchDb <n> [baseDir]} prints the directory.
 */
public final class BenchDb {

    public static final ServiceAccountId ACCOUNT = new ServiceAccountId("elastic", "fleet-server");
    public static final int SAMPLE = 20_000;
    /** Bump when the content layout changes so cached files are rebuilt. */
    private static final String LAYOUT = "v1 ssha256";

    private BenchDb() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        Path base = Path.of(args.length > 1 ? args[1] : "bench/target/db");
        System.out.println(ensure(base, n));
    }

    public static String tokenName(int i) {
        return String.format(Locale.ROOT, "t%09d", i);
    }

    public static TokenId tokenId(int i) {
        return new TokenId(ACCOUNT, tokenName(i));
    }

    /** 22 characters, like a real secret. */
    public static String secret(int i) {
        return String.format(Locale.ROOT, "bench-secret-%09d", i);
    }

    /** The populated directory (holding {@code svctoken.db} and {@code bearers.txt}); builds it when missing. */
    public static synchronized Path ensure(Path base, int n) {
        Path dir = base.toAbsolutePath().normalize().resolve("tokens-" + n);
        Path marker = dir.resolve("complete");
        try {
            if (Files.exists(marker) && Files.readString(marker).equals(LAYOUT)) {
                return dir;
            }
            Path tmp = base.toAbsolutePath().normalize().resolve("tokens-" + n + ".tmp");
            deleteTree(tmp);
            long t0 = System.nanoTime();
            populate(tmp, n);
            Files.writeString(tmp.resolve("complete"), LAYOUT);
            deleteTree(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            System.err.printf(Locale.ROOT, "BenchDb: %d tokens in %s (%.1f s)%n", n, dir, (System.nanoTime() - t0) / 1e9);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void populate(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        SqliteStore.open(dir).close(); // the real schema, by the real migrations
        Path db = dir.resolve(SqliteStore.DB_FILE_NAME);
        Hasher ssha = Hasher.resolve("ssha256");
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA synchronous = OFF");
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO service_account_tokens (principal, name, password_hash, creation_time, version, creator)"
                            + " VALUES (?, ?, ?, ?, ?, NULL)")) {
                for (int i = 0; i < n; i++) {
                    ps.setString(1, ACCOUNT.asPrincipal());
                    ps.setString(2, tokenName(i));
                    ps.setString(3, ssha.hash(Secret.of(secret(i))));
                    ps.setLong(4, now);
                    ps.setInt(5, 8_19_00_99);
                    ps.addBatch();
                    if (i % 10_000 == 9_999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                st.execute("ANALYZE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("populating " + db + " failed", e);
        }
        SplittableRandom random = new SplittableRandom(42);
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("bearers.txt"), StandardCharsets.US_ASCII)) {
            for (int k = 0; k < SAMPLE; k++) {
                int i = random.nextInt(n);
                w.write(bearer(tokenId(i), secret(i)));
                w.newLine();
            }
        }
    }

    public static String bearer(TokenId id, String secret) {
        return TokenCodec.encode(new ServiceAccountToken(id, Secret.of(secret))).revealAsString(SecretAccess.plaintext());
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
