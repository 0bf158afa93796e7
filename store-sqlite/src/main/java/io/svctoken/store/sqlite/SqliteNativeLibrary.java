package io.svctoken.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * sqlite-jdbc's native library, run from one checked copy in {@code <data>/native} instead of the copy the driver
 * otherwise extracts from its jar into the temporary directory at every start (1.1 MB written, then compared with
 * the jar byte by byte: about a tenth of a restart). The copy's name carries the jar entry's CRC-32 and size, so
 * another driver version gets its own; before each use the file's size and CRC-32 are checked against the jar's
 * entry (read from the jar's directory, nothing inflated), and a missing, short or changed copy is written again:
 * to a temporary file beside it, checked, then renamed over it, so processes starting together never see half a
 * file. The directory is the data directory's (only its owner may write there). When no copy can be made (a
 * read-only or full disk) nothing is set and the driver extracts as it always did.
 */
final class SqliteNativeLibrary {

    /** The directory under the data directory that holds the copy. */
    static final String DIRECTORY = "native";

    /** sqlite-jdbc's system properties: the directory and file name of the library it loads before extracting one. */
    static final String LIB_PATH = "org.sqlite.lib.path";
    static final String LIB_NAME = "org.sqlite.lib.name";

    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final AtomicBoolean ASKED = new AtomicBoolean();

    private SqliteNativeLibrary() {
    }

    /**
     * Once per JVM, before the driver first loads its library: points it at the copy in {@code <dataDir>/native},
     * making or repairing that copy first. Left alone when the library's place was set on the command line.
     */
    static void useCopyIn(Path dataDir) {
        if (System.getProperty(LIB_PATH) != null || System.getProperty(LIB_NAME) != null || !ASKED.compareAndSet(false, true)) {
            return;
        }
        copyIn(dataDir.resolve(DIRECTORY)).ifPresent(lib -> {
            System.setProperty(LIB_NAME, lib.getFileName().toString());
            System.setProperty(LIB_PATH, lib.getParent().toString());
        });
    }

    /** The driver's library file name on this system ({@code libsqlitejdbc.so}). */
    static String libraryName() {
        return LibraryLoaderUtil.getNativeLibName();
    }

    /**
     * The checked copy of the driver's library for this system in {@code dir}, written (again) when missing or
     * different; empty when the driver has no library for this system or no copy could be made.
     */
    static Optional<Path> copyIn(Path dir) {
        String name = libraryName();
        URL resource = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
        if (resource == null) {
            return Optional.empty(); // no library for this system: the driver says so itself
        }
        Path tmp = null;
        try {
            long[] expected = sizeAndCrc(resource);
            // no String.format: its number formatting would load the JDK's locale data on the start's path
            String crc = Long.toHexString(expected[1]);
            Path lib = dir.resolve("0".repeat(8 - crc.length()) + crc + "-" + expected[0] + "-" + name);
            if (matches(lib, expected)) {
                return Optional.of(lib);
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                PrivateDataFiles.createDirectory(dir);
            }
            boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
            tmp = posix ? Files.createTempFile(dir, ".extract-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".extract-", ".tmp");
            try (InputStream in = resource.openStream(); OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            }
            if (!matches(tmp, expected)) {
                throw new IOException("the copy written does not match the jar's entry");
            }
            if (posix) {
                Files.setPosixFilePermissions(tmp, PrivateDataFiles.DIRECTORY_MODE); // rwxr-x---: loadable, like the directory
            }
            try {
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            removeOtherCopies(dir, lib, name);
            LOG.debug("wrote SQLite's native library to [{}]", lib);
            return Optional.of(lib);
        } catch (IOException | RuntimeException e) {
            LOG.debug("no copy of SQLite's native library in [{}] ({}); the driver extracts its own", dir, e.toString());
            return Optional.empty();
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("could not remove [{}]: {}", tmp, e.toString());
                }
            }
        }
    }

    /** Size and CRC-32 of the library in the jar: from the jar's directory when it is in a jar, else by reading it. */
    private static long[] sizeAndCrc(URL resource) throws IOException {
        URLConnection c = resource.openConnection();
        if (c instanceof JarURLConnection jar) {
            JarEntry e = jar.getJarEntry();
            if (e.getSize() >= 0 && e.getCrc() >= 0) {
                return new long[] {e.getSize(), e.getCrc()};
            }
        }
        try (InputStream in = resource.openStream()) {
            return crc(in);
        }
    }

    /** A regular file (a link is not followed) of the expected size and CRC-32. */
    private static boolean matches(Path file, long[] expected) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) != expected[0]) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long[] actual = crc(in);
            return actual[0] == expected[0] && actual[1] == expected[1];
        }
    }

    private static long[] crc(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            crc.update(buffer, 0, n);
            size += n;
        }
        return new long[] {size, crc.getValue()};
    }

    /** Copies of other driver versions, no longer used by this one (a process still running one keeps its mapping). */
    private static void removeOtherCopies(Path dir, Path keep, String name) {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir, "*-" + name)) {
            for (Path p : copies) {
                if (!p.equals(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("could not remove older copies of SQLite's native library in [{}]: {}", dir, e.toString());
        }
    }
}
