package io.svctoken.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.svctoken.core.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store opens on its own thread while the start builds what needs nothing from it; a failed open still stops the start. */
class ParallelStartTest {

    @TempDir
    Path home;

    @Test
    void theStoreOpensOnItsOwnThreadBesideTheRestOfTheStart() throws Exception {
        Logger storeFactory = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(StoreFactory.class.getName());
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.setContext(storeFactory.getLoggerContext());
        events.start();
        storeFactory.addAppender(events);
        ch.qos.logback.classic.Level level = storeFactory.getLevel();
        storeFactory.setLevel(ch.qos.logback.classic.Level.INFO);
        try (TestNode node = TestNode.start(home, Map.of())) {
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
        } finally {
            storeFactory.detachAppender(events);
            storeFactory.setLevel(level);
        }
        List<ILoggingEvent> opened = LogLines.copyOf(events).stream()
                .filter(e -> e.getFormattedMessage().startsWith("store: ")).toList();
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).getThreadName()).isEqualTo("svctoken-store-open");
    }

    @Test
    void onlyASqliteDataDirectoryWithoutItsDatabaseIsCertainlyAFirstStart() throws Exception {
        // A first start hashes the elastic password beside the store's open only when this says so
        io.svctoken.server.settings.NodeSettings sqlite = new io.svctoken.server.settings.NodeSettings(home, home.resolve("config"),
                Map.of("xpack.security.http.ssl.enabled", "false"));
        assertThat(StoreFactory.certainlyEmpty(sqlite)).isTrue();
        try (TestNode node = TestNode.start(home, Map.of())) {
            assertThat(StoreFactory.certainlyEmpty(sqlite)).isFalse();
        }
        io.svctoken.server.settings.NodeSettings postgresql = new io.svctoken.server.settings.NodeSettings(home.resolve("other"),
                home.resolve("config"), Map.of("xpack.security.http.ssl.enabled", "false", "svctoken.store.type", "postgresql",
                "svctoken.store.postgresql.url", "jdbc:postgresql://127.0.0.1:1/svctoken"));
        assertThat(StoreFactory.certainlyEmpty(postgresql)).isFalse();
    }

    @Test
    void aStoreThatCannotBeOpenedStopsTheStartWithItsMessageAndLeavesNothingRunning() throws Exception {
        Path db = home.resolve("data/svctoken.db");
        Files.createDirectories(db.getParent());
        Files.write(db, "not a database, and long enough to be read as one's header".repeat(20).getBytes(StandardCharsets.UTF_8));
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        assertThatThrownBy(() -> TestNode.start(home, Map.of()))
                .isInstanceOf(StoreException.class)
                .hasMessage("cannot open store: database " + db + " failed: [SQLITE_NOTADB] File opened that is not a database file"
                        + " (file is not a database) (the file is not an SQLite database or is corrupt; restore it from a backup or move it away)");
        // the threads the start made beside the store's open (event loops, the store's thread) are gone
        Thread.sleep(200);
        Set<String> left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)).filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("svctoken-")).collect(Collectors.toSet());
        assertThat(left).isEmpty();
        // the data directory's lock is released: the next start on it (with the bad file gone) works
        Files.delete(db);
        try (TestNode node = TestNode.start(home, Map.of())) {
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
        }
    }
}
