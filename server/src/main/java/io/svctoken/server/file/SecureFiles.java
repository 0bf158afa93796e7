package io.svctoken.server.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates <em>new</em> security files and directories for the server (the generated TLS material), with
 * the rules the CLI's {@code SecureFileWriter} applies to new files: nothing is ever readable by others —
 * a file is created owner-only ({@code 0600}) and only widened to its final mode ({@code 0660}) once
 * complete; it gets the config directory's group, and when {@code root} writes into a config directory
 * owned by another user, that user owns it (the server usually runs as that user). Content is forced to
 * disk before the caller publishes it with an atomic rename. Where the file system has no POSIX
 * attributes the JDK's defaults apply.
 */
public final class SecureFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SecureFiles.class);

    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-rw----");
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Creates {@code dir} (which must not exist) with mode {@code 0750}, owned like {@code like} (its group; its owner when root). */
    public static void createDirectory(Path dir, Path like) throws IOException {
        if (posix(dir.getParent())) {
            Files.createDirectory(dir, attribute(OWNER_ONLY_DIRECTORY));
            adopt(dir, like);
            Files.setPosixFilePermissions(dir, DIRECTORY_MODE);
        } else {
            Files.createDirectory(dir);
        }
    }

    /** Writes a new file (it must not exist) with mode {@code 0660}, owned like {@code like}, and forces it to disk. */
    public static void writeNewFile(Path file, byte[] content, Path like) throws IOException {
        boolean posix = posix(file.getParent());
        try (FileChannel ch = posix
                ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attribute(OWNER_ONLY_FILE))
                : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (posix) {
            adopt(file, like);
            Files.setPosixFilePermissions(file, FILE_MODE);
        }
    }

    /** Makes a rename in {@code dir} durable where the platform allows opening a directory; best effort. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported here (e.g. Windows): the rename itself already happened
        }
    }

    private static boolean posix(Path dir) {
        return Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
        return PosixFilePermissions.asFileAttribute(mode);
    }

    /** The group of {@code like}; its owner too when we are root and it belongs to someone else. Failures are logged. */
    private static void adopt(Path target, Path like) {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        try {
            PosixFileAttributes reference = Files.readAttributes(like, PosixFileAttributes.class);
            PosixFileAttributes own = view.readAttributes();
            if (isRoot(target) && !reference.owner().equals(own.owner())) {
                view.setOwner(reference.owner());
            }
            if (!reference.group().equals(own.group())) {
                view.setGroup(reference.group());
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            LOG.warn("could not give [{}] the owner/group of [{}]: {}", target, like, e.toString());
        }
    }

    private static boolean isRoot(Path ownFile) {
        try {
            Object uid = Files.getAttribute(ownFile, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return uid instanceof Integer i && i == 0;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException | SecurityException e) {
            return false;
        }
    }
}
