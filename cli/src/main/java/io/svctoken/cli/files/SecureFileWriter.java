package io.svctoken.cli.files;

import io.svctoken.cli.CliEsMessages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites a security file of the config directory ({@code service_tokens}, later {@code users} and
 * {@code users_roles}) the way Elasticsearch's shared writer does: a
 * temporary file {@code <name>NNNtmp} in the same directory, one line per entry with the platform line
 * separator, then an atomic rename over the target (a plain replace where the file system cannot
 * rename atomically). The temporary file never outlives the call.
 *
 * <p>Attributes:
 * <ul>
 * <li>An <b>existing</b> file keeps its permission bits, owner and group (owner and group as far as the
 *     invoking user may set them; Elasticsearch ignores failures there too and the caller's
 *     {@link FileAttributes#changeWarnings} reports what changed).</li>
 * <li>A <b>new</b> file is where svctoken is deliberately friendlier than Elasticsearch (issues
 *     elastic/elasticsearch#81378 and #124771, where {@code root} creates a root-owned 0600 file the
 *     server cannot read): it gets mode {@code 0660} and the config directory's group, and when the
 *     invoking user is {@code root} and the directory belongs to another user, that user owns it. What
 *     could not be applied is returned as notices.</li>
 * </ul>
 * On a file system without POSIX attributes the file is written as the JDK creates it.
 */
public final class SecureFileWriter {

    /** Mode of a newly created file: owner and group may read and write, others nothing. */
    public static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-rw----");

    /** What a write did beyond writing: notices about attributes that could not be applied to a new file. */
    public record Result(boolean created, List<String> notices) {
        public Result {
            notices = List.copyOf(notices);
        }
    }

    private SecureFileWriter() {
    }

    /**
     * Replaces {@code target} by {@code lines}.
     *
     * @throws UncheckedIOException {@code could not write file [<absolute path>]} (Elasticsearch's text),
     *         caused by the underlying {@link IOException}
     */
    public static Result write(Path target, List<String> lines) {
        Path file = target.toAbsolutePath();
        try {
            return doWrite(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(CliEsMessages.couldNotWriteFile(file.toString()), e);
        }
    }

    private static Result doWrite(Path file, List<String> lines) throws IOException {
        Path dir = file.getParent();
        Optional<FileAttributes> existing = FileAttributes.read(file);
        boolean created = !Files.exists(file);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), "tmp");
        List<String> notices = new ArrayList<>();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                StringBuilder sb = new StringBuilder();
                for (String line : lines) {
                    sb.append(line).append(System.lineSeparator());
                }
                ByteBuffer buf = StandardCharsets.UTF_8.encode(sb.toString());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view != null) {
                if (existing.isPresent()) {
                    copyAttributes(view, existing.get());
                } else if (created) {
                    applyNewFileAttributes(file, tmp, view, dir, notices);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
        return new Result(created, notices);
    }

    /** As Elasticsearch: the mode always, then owner and group where permitted (failures ignored). */
    private static void copyAttributes(PosixFileAttributeView view, FileAttributes from) throws IOException {
        view.setPermissions(from.permissions());
        try {
            view.setOwner(from.owner());
        } catch (IOException | SecurityException ignored) {
            // not permitted (not root): the caller's attribute check warns about the change
        }
        try {
            view.setGroup(from.group());
        } catch (IOException | SecurityException ignored) {
            // not a member of that group: reported the same way
        }
    }

    private static void applyNewFileAttributes(Path file, Path tmp, PosixFileAttributeView view, Path dir, List<String> notices)
            throws IOException {
        Optional<FileAttributes> dirAttributes = FileAttributes.read(dir);
        if (dirAttributes.isPresent()) {
            FileAttributes d = dirAttributes.get();
            UserPrincipal self = view.readAttributes().owner();
            if (isRoot(tmp, self) && !d.owner().equals(self)) {
                try {
                    view.setOwner(d.owner());
                } catch (IOException | SecurityException e) {
                    notices.add("could not make [" + file + "] owned by [" + d.ownerName() + "], the owner of its directory: " + e);
                }
            }
            GroupPrincipal group = d.group();
            if (!group.equals(view.readAttributes().group())) {
                try {
                    view.setGroup(group);
                } catch (IOException | SecurityException e) {
                    notices.add("could not give [" + file + "] the group [" + d.groupName() + "] of its directory: " + e);
                }
            }
        }
        view.setPermissions(NEW_FILE_PERMISSIONS);
    }

    /** Whether the effective user is root: uid 0 where the JDK exposes it, else the name. */
    private static boolean isRoot(Path ownFile, UserPrincipal self) {
        try {
            Object uid = Files.getAttribute(ownFile, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return uid instanceof Integer i && i == 0;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException | SecurityException e) {
            return "root".equals(self.getName());
        }
    }

    /** Makes the rename durable where the platform allows opening a directory; best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported here (e.g. Windows): the rename itself already happened
        }
    }
}
