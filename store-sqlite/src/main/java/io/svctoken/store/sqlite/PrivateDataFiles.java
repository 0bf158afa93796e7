package io.svctoken.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Modes of the data directory and the store's files, which hold every password, token and API-key hash:
 * a new directory is {@code 0750} and a new file {@code 0640} whatever the umask (a file is created
 * owner-only and widened once it exists, so it is never readable by others meanwhile). SQLite creates the
 * {@code -wal} and {@code -shm} files itself with the mode of the database file, so the database file is
 * created here, empty, before SQLite opens it (SQLite takes an empty file as a new database). An existing
 * directory or file keeps its owner, group and mode (the operator's choice), with one warning when other
 * users can read it. Where the file system has no POSIX modes the JDK's defaults apply.
 */
final class PrivateDataFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateDataFiles.class);

    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-x---");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateDataFiles() {
    }

    /** Creates {@code dir} ({@code 0750}); missing parents are created as any directory. */
    static void createDirectory(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!posix(parent)) {
            Files.createDirectory(dir);
            return;
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return; // created meanwhile by another process opening the same store
            }
            throw e;
        }
        Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
    }

    /**
     * Creates each missing file of {@code files} empty with mode {@code 0640}. Best effort: a file that cannot be
     * created here is left to SQLite, whose failure names the problem.
     */
    static void createFiles(Path dir, List<Path> files) {
        if (!posix(dir)) {
            return;
        }
        for (Path f : files) {
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.setPosixFilePermissions(f, FILE_MODE);
            } catch (FileAlreadyExistsException e) {
                // created meanwhile by another process opening the same store: its mode is its own
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                LOG.debug("could not create [{}] beforehand: {}", f, e.toString());
            }
        }
    }

    /** One warning naming every path of {@code paths} that exists and that other users may access, and the fix. */
    static void warnIfOpenToOthers(List<Path> paths) {
        List<String> open = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : paths) {
            try {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (mode.stream().anyMatch(OTHERS::contains)) {
                    open.add("[" + p + "] " + PosixFilePermissions.toString(mode));
                    names.add(p.toString());
                }
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // missing, or no POSIX modes: nothing to say
            }
        }
        if (!open.isEmpty()) {
            LOG.warn("the data directory or store files are readable by other users ({}); they hold every password, token and"
                    + " API-key hash. Restrict them to their owner and group: chmod o-rwx {}", String.join(", ", open),
                    String.join(" ", names));
        }
    }

    private static boolean posix(Path dir) {
        return dir != null && Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    }
}
