package io.svctoken.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sqlite-jdbc extracts its native library (1.1 MB) from its jar into the temporary directory at every start, and
 * compares it byte by byte; the store keeps one checked copy in {@code <data>/native} instead and points the driver
 * at it. A copy that is missing, of another size or content is extracted again; when no copy can be made, the
 * driver extracts as before.
 */
class SqliteNativeLibraryTest {

    @TempDir
    Path tmp;

    @Test
    void aStoreRunsTheLibraryFromItsDataDirectoryExtractedOnlyOnce() throws Exception {
        Path data = tmp.resolve("data");
        Path javaTmp = Files.createDirectory(tmp.resolve("java-tmp"));
        List<String> first = loaded(data, javaTmp);
        assertThat(first).as("the library the process mapped").hasSize(1);
        Path lib = Path.of(first.get(0));
        assertThat(lib.getParent()).isEqualTo(data.resolve(SqliteNativeLibrary.DIRECTORY));
        assertThat(SqliteNativeLibrary.copyIn(lib.getParent())).contains(lib);
        FileTime written = Files.getLastModifiedTime(lib);
        Object inode = Files.getAttribute(lib, "unix:ino");
        try (Stream<Path> s = Files.list(javaTmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains("sqlitejdbc")))
                    .as("nothing extracted to the temporary directory").isEmpty();
        }

        assertThat(loaded(data, javaTmp)).as("a restart maps the same copy").containsExactly(lib.toString());
        assertThat(Files.getLastModifiedTime(lib)).as("not written again").isEqualTo(written);
        assertThat(Files.getAttribute(lib, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void aCopyOfAnotherSizeOrContentIsExtractedAgain() throws Exception {
        Path dir = tmp.resolve("native");
        Path lib = SqliteNativeLibrary.copyIn(dir).orElseThrow();
        byte[] good = Files.readAllBytes(lib);

        Files.write(lib, new byte[good.length / 2]); // truncated (a crash while writing, a full disk)
        assertThat(SqliteNativeLibrary.copyIn(dir)).contains(lib);
        assertThat(Files.readAllBytes(lib)).isEqualTo(good);

        byte[] changed = good.clone();
        changed[changed.length / 2] ^= 1; // same size, one bit different
        Files.write(lib, changed);
        assertThat(SqliteNativeLibrary.copyIn(dir)).contains(lib);
        assertThat(Files.readAllBytes(lib)).isEqualTo(good);

        Files.delete(lib);
        Files.createSymbolicLink(lib, Files.write(tmp.resolve("elsewhere.so"), good)); // a link is never followed
        assertThat(SqliteNativeLibrary.copyIn(dir)).contains(lib);
        assertThat(Files.isSymbolicLink(lib)).isFalse();
        assertThat(Files.readAllBytes(lib)).isEqualTo(good);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).as("no temporary file left behind").containsExactly(lib);
        }
    }

    @Test
    void anOlderCopyIsRemovedWhenANewOneIsWritten() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("native"));
        Path old = Files.write(dir.resolve("00000000-1-" + SqliteNativeLibrary.libraryName()), new byte[1]);
        Path other = Files.write(dir.resolve("notes.txt"), "kept".getBytes(StandardCharsets.UTF_8));
        Path lib = SqliteNativeLibrary.copyIn(dir).orElseThrow();
        assertThat(old).doesNotExist();
        assertThat(other).exists();
        assertThat(lib).exists();
    }

    @Test
    void concurrentFirstStartsAllGetTheSameGoodCopy() throws Exception {
        Path dir = tmp.resolve("native");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<Path>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Optional<Path>> copy = () -> SqliteNativeLibrary.copyIn(dir);
                results.add(pool.submit(copy));
            }
            Path expected = null;
            for (Future<Optional<Path>> f : results) {
                Path lib = f.get(60, TimeUnit.SECONDS).orElseThrow();
                expected = expected == null ? lib : expected;
                assertThat(lib).isEqualTo(expected);
            }
            assertThat(SqliteNativeLibrary.copyIn(dir)).contains(expected);
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s).containsExactly(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noCopyWhenTheDirectoryCannotBeMadeAndTheDriverExtractsAsBefore() throws Exception {
        Path notADirectory = Files.write(tmp.resolve("native"), new byte[0]);
        assertThat(SqliteNativeLibrary.copyIn(notADirectory)).isEmpty();
    }

    /** Opens a store on {@code data} in a child JVM; the paths of the native library it mapped. */
    private static List<String> loaded(Path data, Path javaTmp) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:-UsePerfData", "-Xmx64m", "-Djava.io.tmpdir=" + javaTmp,
                "-cp", System.getProperty("java.class.path"), NativeLibraryProbe.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("LOADED ")).map(l -> l.substring("LOADED ".length())).toList();
    }
}
