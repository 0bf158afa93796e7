package io.svctoken.bench;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.store.postgresql.PostgresqlStore;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * Loads the tokens of {@link BenchDb} (same names, secrets and {@code {SSHA256}} hashes, so the same
 * {@code bearers.txt} works) into a PostgreSQL store, for bench/cluster.sh R2.
 *
 * <p>{@link PostgresqlStore#open} brings the schema up to date by the real migrations; then the rows go in
 * with the driver's {@code COPY ... FROM STDIN} in one transaction (1M rows in seconds, where single
 * inserts over HTTP would take hours at the creation rate), followed by {@code ANALYZE}.
 *
 * <p>{@code java io.svctoken.bench.BenchPgTokens <jdbc url> <user> <password> <n>}
 */
public final class BenchPgTokens {

    private static final int CHUNK = 50_000;

    private BenchPgTokens() {
    }

    public static void main(String[] args) throws SQLException, IOException {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        int n = Integer.parseInt(args[3]);
        long t0 = System.nanoTime();
        PostgresqlStore.open(new PostgresqlStore.Config(url, user, Secret.of(password), 4, Duration.ofSeconds(30))).close();
        Hasher ssha = Hasher.resolve("ssha256");
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY service_account_tokens (principal, name, password_hash, creation_time, version) FROM STDIN";
            StringBuilder sb = new StringBuilder(CHUNK * 100);
            for (int i = 0; i < n; i++) {
                // text format: tab-separated; none of these values holds a tab, newline or backslash
                sb.append(BenchDb.ACCOUNT.asPrincipal()).append('\t').append(BenchDb.tokenName(i)).append('\t')
                        .append(ssha.hash(Secret.of(BenchDb.secret(i)))).append('\t').append(now).append('\t')
                        .append(8_19_00_99).append('\n');
                if (i % CHUNK == CHUNK - 1 || i == n - 1) {
                    try (Reader r = new StringReader(sb.toString())) {
                        copy.copyIn(sql, r);
                    }
                    sb.setLength(0);
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE service_account_tokens");
            }
        }
        System.err.printf(Locale.ROOT, "BenchPgTokens: %d tokens (%.1f s)%n", n, (System.nanoTime() - t0) / 1e9);
    }
}
