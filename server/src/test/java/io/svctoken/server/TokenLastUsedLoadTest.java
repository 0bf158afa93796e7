package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last use of a token costs the store a bounded number of writes however many requests use it: many concurrent
 * authentications of a few tokens over real HTTP, the writes counted twice: each row written, by a trigger in the
 * node's own SQLite file, and each batch, by the node's store metrics ({@code recordLastUsed} calls).
 */
class TokenLastUsedLoadTest {

    private static final String ES = "/_security/service/elastic/fleet-server/credential";
    private static final String SVC = "/_svctoken/service/elastic/fleet-server/credential";
    private static final long INTERVAL_MILLIS = 2_000;

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        // the store as the node makes it, plus a trigger that logs every write of a token's last use
        Path data = home.resolve("data");
        SqliteStore.open(data).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteStore.DB_FILE_NAME));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE last_used_writes (name TEXT NOT NULL, at INTEGER NOT NULL)");
            st.execute("CREATE TRIGGER last_used_written AFTER UPDATE OF last_used_at ON service_account_tokens"
                    + " BEGIN INSERT INTO last_used_writes VALUES (NEW.name, NEW.last_used_at); END");
        }
        node = TestNode.start(home, Map.of("svctoken.service_token.last_used.interval", INTERVAL_MILLIS + "ms"));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Rows written per token, as the trigger logged them. */
    private static Map<String, Integer> rowsWritten() throws Exception {
        Map<String, Integer> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data").resolve(SqliteStore.DB_FILE_NAME));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, count(*) FROM last_used_writes GROUP BY name")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getInt(2));
            }
        }
        return rows;
    }

    /** The node's {@code recordLastUsed} calls so far (successful and failed). */
    private static long lastUsedWrites() throws Exception {
        Response r = node.asElastic("GET", "/_svctoken/metrics");
        assertThat(r.status()).isEqualTo(200);
        long n = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("svctoken_store_calls_seconds_count{") && line.contains("repository=\"tokens\"")
                    && line.contains("operation=\"recordLastUsed\"")) {
                n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    @Test
    void manyConcurrentAuthenticationsOfAFewTokensCostABoundedNumberOfWrites() throws Exception {
        List<String> bearers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response c = node.asElastic("POST", ES + "/token/load-" + i);
            assertThat(c.status()).as(c.body()).isEqualTo(200);
            bearers.add(bearer(c.json().at("/token/value").asText()));
        }
        long batchesBefore = lastUsedWrites();
        long started = System.nanoTime();
        long loadEnd = started + TimeUnit.MILLISECONDS.toNanos(3 * INTERVAL_MILLIS);
        AtomicInteger requests = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int seed = t;
                fs.add(clients.submit(() -> {
                    for (int i = seed; System.nanoTime() < loadEnd; i++) {
                        Response r = node.request("GET", "/_security/_authenticate", bearers.get(i % bearers.size()));
                        assertThat(r.status()).as(r.body()).isEqualTo(200);
                        requests.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        // every token's last use reaches the store (flushed every interval here, off the request path)
        JsonNode listed = null;
        for (int i = 0; i < 100; i++) {
            listed = node.asElastic("GET", SVC).json().get("tokens");
            JsonNode l = listed;
            if (List.of(0, 1, 2).stream().allMatch(n -> !l.at("/load-" + n + "/last_used").isNull())) {
                break;
            }
            Thread.sleep(100);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(listed.at("/load-" + i + "/last_used").isNull()).as(listed.toString()).isFalse();
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long batches = lastUsedWrites() - batchesBefore;
        Map<String, Integer> rows = rowsWritten();
        // at most one write per token per interval (the first use, then one per interval passed), in one batch per flush
        long perToken = elapsedMillis / INTERVAL_MILLIS + 1;
        String what = String.format("rows %s, %d batches for %d requests in %d ms", rows, batches, requests.get(), elapsedMillis);
        assertThat(requests.get()).as(what).isGreaterThan(300);
        assertThat(rows).as(what).containsOnlyKeys("load-0", "load-1", "load-2");
        rows.values().forEach(n -> assertThat(n).as(what).isBetween(1, (int) perToken));
        assertThat(batches).as(what).isPositive().isLessThanOrEqualTo(perToken + 1);
    }

    /** svctoken.service_token.last_used.enabled=false: uses are not noted, nothing is written (the P1 benchmark's "off"). */
    @Test
    void withRecordingOffNoLastUseIsWritten(@TempDir Path otherHome) throws Exception {
        try (TestNode off = TestNode.start(otherHome, Map.of("svctoken.service_token.last_used.enabled", "false",
                "svctoken.service_token.last_used.interval", "100ms"))) {
            Response c = off.asElastic("POST", ES + "/token/off");
            assertThat(c.status()).as(c.body()).isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                assertThat(off.request("GET", "/_security/_authenticate", bearer(c.json().at("/token/value").asText())).status())
                        .isEqualTo(200);
            }
            Thread.sleep(1_000); // ten flush intervals: a recorded use would be written by now
            assertThat(off.asElastic("GET", SVC + "/token/off").json().get("last_used").isNull()).isTrue();
            assertThat(off.asElastic("GET", "/_svctoken/metrics").body()).doesNotContain("operation=\"recordLastUsed\"");
        }
    }
}
