package io.svctoken.store.sqlite;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.TokenId;
import io.svctoken.store.jdbc.JdbcStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Permission failures need a user that file modes apply to: root passes every permission check.
 * So, when the tests run as root (as here and in CI), this runs {@link UnwritableDataDirProbe} in a
 * child JVM as {@code nobody} (uid 65534) via {@code setpriv}, against directories and files that
 * root owns. Skipped, with a message, when not root or when setpriv is missing.
 */
class UnwritableDataDirTest {

    static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    @Test
    void unwritableDataDirAndReadOnlyDatabaseFileAreClearStoreExceptions() throws Exception {
        Path setpriv = setprivAsRoot();

        // A world-readable place: @TempDir is 0700, and nobody must reach the class path copies.
        Path base = Files.createTempDirectory(Path.of("/tmp"), "svctoken-perm-");
        try {
            chmod(base, "rwxr-xr-x");
            Path cp = Files.createDirectory(base.resolve("cp"));
            String classPath = copyClassPath(cp);

            // 1. existing data dir owned by root, 0755: nobody cannot write into it
            Path roDir = Files.createDirectory(base.resolve("ro-dir"));
            chmod(roDir, "rwxr-xr-x");
            // 2. missing data dir whose parent nobody cannot write
            Path missing = roDir.resolve("data");
            // 3. writable dir holding a root-owned 0644 database file
            Path rwDir = Files.createDirectory(base.resolve("rw-dir"));
            try (SqliteStore store = SqliteStore.open(rwDir)) {
                store.insert(new TokenRecord(TokenId.of("elastic/fleet-server", "t"), "h", 1, 1,
                        null));
            }
            chmod(rwDir, "rwxrwxrwx");
            chmod(rwDir.resolve("svctoken.db"), "rw-r--r--");

            List<String> cmd = List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xmx64m",
                    "-Djava.io.tmpdir=" + base, "-cp", classPath, UnwritableDataDirProbe.class.getName(),
                    roDir.toString(), missing.toString(), rwDir.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("HOME", base.toString());
            Process p = pb.start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> lines = out.lines().filter(l -> l.matches("^(STORE_EXCEPTION|OPENED|OTHER|PRIVILEGED).*"))
                    .collect(Collectors.toList());
            assertThat(lines).as("probe output:\n" + out).hasSize(3);
            assertThat(lines.get(0)).isEqualTo("STORE_EXCEPTION cannot open store: data directory " + roDir
                    + " is not writable (SQLite needs to create svctoken.db, its -wal and -shm files there)");
            assertThat(lines.get(1)).startsWith("STORE_EXCEPTION cannot open store: could not create data directory "
                    + missing + " (AccessDeniedException");
            assertThat(lines.get(2)).isEqualTo("STORE_EXCEPTION cannot open store: database file "
                    + rwDir.resolve("svctoken.db") + " is not readable and writable");
            assertThat(p.exitValue()).isZero();
            // nothing was created or changed by the failed opens
            assertThat(missing).doesNotExist();
            assertThat(roDir).isEmptyDirectory();
        } finally {
            deleteTree(base);
        }
    }

    /**
     * SQLite's native library copy ({@link SqliteNativeLibrary}) as an unprivileged user: in a data directory of its
     * own the copy is made there and run; when {@code <data>/native} is root's and not writable, the store still opens
     * with the library the driver extracts itself to the temporary directory.
     */
    @Test
    void anUnprivilegedUserRunsItsOwnCopyOfTheNativeLibraryOrTheDriversWhenItCannotWriteOne() throws Exception {
        Path setpriv = setprivAsRoot();
        Path base = Files.createTempDirectory(Path.of("/tmp"), "svctoken-perm-");
        try {
            chmod(base, "rwxr-xr-x");
            String classPath = copyClassPath(Files.createDirectory(base.resolve("cp")));
            Path javaTmp = Files.createDirectory(base.resolve("java-tmp"));
            chmod(javaTmp, "rwxrwxrwx");
            Path own = Files.createDirectory(base.resolve("own"));
            Files.setAttribute(own, "unix:uid", NOBODY);
            Files.setAttribute(own, "unix:gid", NOBODY);
            chmod(own, "rwxr-x---");
            Path locked = Files.createDirectory(base.resolve("locked"));
            Files.createDirectory(locked.resolve(SqliteNativeLibrary.DIRECTORY)); // root's, 0755
            Files.setAttribute(locked, "unix:uid", NOBODY);
            Files.setAttribute(locked, "unix:gid", NOBODY);
            chmod(locked, "rwxr-x---");

            List<String> ownLoaded = probeAsNobody(setpriv, classPath, javaTmp, own);
            assertThat(ownLoaded).hasSize(1);
            assertThat(Path.of(ownLoaded.get(0)).getParent()).isEqualTo(own.resolve(SqliteNativeLibrary.DIRECTORY));
            assertThat(Files.getAttribute(Path.of(ownLoaded.get(0)), "unix:uid")).isEqualTo(NOBODY);

            List<String> lockedLoaded = probeAsNobody(setpriv, classPath, javaTmp, locked);
            assertThat(lockedLoaded).hasSize(1);
            assertThat(Path.of(lockedLoaded.get(0)).getParent()).as("the driver's own extraction").isEqualTo(javaTmp);
            assertThat(locked.resolve(SqliteNativeLibrary.DIRECTORY)).isEmptyDirectory();
        } finally {
            deleteTree(base);
        }
    }

    /** Runs {@link NativeLibraryProbe} on {@code data} as nobody; the native library paths it mapped. */
    /** setpriv, when this test runs as root (needed to switch to {@code nobody}) and it is installed; else skipped, saying why. */
    private static Path setprivAsRoot() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assumeThat(uid).as("permission test needs root to switch to an unprivileged user; running as uid " + uid)
                .isZero();
        Path setpriv = Path.of("/usr/bin/setpriv");
        assumeThat(Files.isExecutable(setpriv)).as("setpriv (util-linux) is not installed").isTrue();
        return setpriv;
    }

    private static List<String> probeAsNobody(Path setpriv, String classPath, Path javaTmp, Path data) throws Exception {
        List<String> cmd = List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData", "-Xmx64m",
                "-Djava.io.tmpdir=" + javaTmp, "-cp", classPath, NativeLibraryProbe.class.getName(), data.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", javaTmp.toString());
        Process p = pb.start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("LOADED ")).map(l -> l.substring("LOADED ".length())).toList();
    }

    /** Copies the class path entries the probe needs to {@code into}, world-readable; returns the class path. */
    private static String copyClassPath(Path into) throws IOException, URISyntaxException {
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {SqliteStore.class, UnwritableDataDirProbe.class, TokenRecord.class,
                JdbcStore.class, JDBC.class, Flyway.class, LoggerFactory.class,
                ObjectMapper.class, JsonFactory.class,
                JsonProperty.class}) {
            sources.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (Path src : sources) {
            Path dst = into.resolve((i++) + "-" + src.getFileName());
            copyTree(src, dst);
            entries.add(dst.toString());
        }
        return String.join(":", entries);
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        if (Files.isRegularFile(src)) {
            Files.copy(src, dst);
            chmod(dst, "rw-r--r--");
            return;
        }
        Files.walkFileTree(src, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Path t = dst.resolve(src.relativize(d).toString());
                Files.createDirectories(t);
                chmod(t, "rwxr-xr-x");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Path t = dst.resolve(src.relativize(f).toString());
                Files.copy(f, t);
                chmod(t, "rw-r--r--");
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void chmod(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
