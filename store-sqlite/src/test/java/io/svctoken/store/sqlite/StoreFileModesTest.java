package io.svctoken.store.sqlite;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store holds every password, token and API-key hash: a new data directory is {@code 0750} and every
 * file SQLite and the store create in it ({@code svctoken.db}, {@code -wal}, {@code -shm}, the migration
 * lock) is {@code 0640}, whatever the umask (SQLite's native library in {@code native/}: {@code 0750}); an existing layout is left as it is, with one warning when
 * other users can read it.
 */
class StoreFileModesTest {

    @TempDir
    Path tmp;

    @Test
    void aNewStoreIsOnlyForItsOwnerAndGroupUnderUmask022() throws Exception {
        Path dir = tmp.resolve("parent/data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "umask 022 && exec \"$0\" -XX:-UsePerfData -Xmx64m -cp \"$1\" "
                + StoreFileModesProbe.class.getName() + " \"$2\"", java, System.getProperty("java.class.path"), dir.toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> modes = new TreeMap<>();
        out.lines().filter(l -> l.matches("\\S+ [rwx-]{9}")).forEach(l -> modes.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        String nativeLibrary = SqliteNativeLibrary.DIRECTORY + "/" + SqliteNativeLibrary.copyIn(tmp.resolve("lib")).orElseThrow().getFileName();
        assertThat(modes).as(out).containsOnlyKeys(".", "svctoken.db", "svctoken.db-wal", "svctoken.db-shm", "svctoken.db.migration-lock",
                SqliteNativeLibrary.DIRECTORY, nativeLibrary);
        assertThat(modes.get(".")).as("the data directory").isEqualTo("rwxr-x---");
        // SQLite's native library, copied once from the driver's jar (SqliteNativeLibrary): a directory and a program
        assertThat(modes.get(SqliteNativeLibrary.DIRECTORY)).isEqualTo("rwxr-x---");
        assertThat(modes.get(nativeLibrary)).isEqualTo("rwxr-x---");
        modes.forEach((name, mode) -> {
            if (!name.equals(".") && !name.startsWith(SqliteNativeLibrary.DIRECTORY)) {
                assertThat(mode).as(name).isEqualTo("rw-r-----");
            }
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())))
                .as("a missing parent is created as any directory (umask)").isEqualTo("rwxr-xr-x");
    }

    @Test
    void anExistingLayoutReadableByOthersIsKeptAndWarnedAboutInOneLineWithTheFix() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        try (SqliteStore ignored = SqliteStore.open(dir)) {
            // creates the files
        }
        Path db = dir.resolve(SqliteStore.DB_FILE_NAME);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        List<ILoggingEvent> warnings = warningsWhile(() -> SqliteStore.open(dir).close());
        assertThat(warnings).hasSize(1);
        String line = warnings.get(0).getFormattedMessage();
        assertThat(line).contains("[" + dir + "]").contains("[" + db + "]").contains("readable by other users")
                .contains("they hold every password, token and API-key hash")
                .endsWith("chmod o-rwx " + dir + " " + db);
        assertThat(line).doesNotContain("migration-lock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as("left as it was").isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).as("left as it was").isEqualTo("rw-r--r--");

        // the fix the line gives silences it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(warningsWhile(() -> SqliteStore.open(dir).close())).isEmpty();
    }

    @Test
    void aNewStoreLogsNoWarning() throws Exception {
        assertThat(warningsWhile(() -> SqliteStore.open(tmp.resolve("fresh")).close())).isEmpty();
    }

    private static List<ILoggingEvent> warningsWhile(Runnable action) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            action.run();
        } finally {
            root.detachAppender(logs);
        }
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }
}
