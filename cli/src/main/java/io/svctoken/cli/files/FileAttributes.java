package io.svctoken.cli.files;

import io.svctoken.cli.CliEsMessages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The POSIX mode, owner and group of a file: snapshot before a security file is rewritten, compared
 * after it, as Elasticsearch's {@code FileAttributesChecker} does.
 */
public record FileAttributes(Set<PosixFilePermission> permissions, UserPrincipal owner, GroupPrincipal group) {

    public FileAttributes {
        permissions = Set.copyOf(permissions);
    }

    /**
     * The attributes of {@code file} (following symbolic links), or empty when it does not exist,
     * cannot be examined, or the file system has no POSIX attributes.
     */
    public static Optional<FileAttributes> read(Path file) {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class);
            return Optional.of(new FileAttributes(a.permissions(), a.owner(), a.group()));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty(); // NoSuchFileException, AccessDeniedException on a parent, no POSIX view
        }
    }

    /** {@code ls}-style, e.g. {@code rw-rw----}. */
    public String permissionString() {
        return PosixFilePermissions.toString(permissions);
    }

    public String ownerName() {
        return owner.getName();
    }

    public String groupName() {
        return group.getName();
    }

    /**
     * Elasticsearch's warnings for what changed between {@code before} and {@code after}, in its order
     * (permissions with the read-access reminder, owner, group). Empty when nothing changed or when
     * either snapshot is missing (a new file, or no POSIX attributes).
     */
    public static List<String> changeWarnings(Path file, Optional<FileAttributes> before, Optional<FileAttributes> after) {
        List<String> out = new ArrayList<>();
        if (before.isEmpty() || after.isEmpty()) {
            return out;
        }
        FileAttributes b = before.get();
        FileAttributes a = after.get();
        String path = file.toString();
        if (!b.permissions().equals(a.permissions())) {
            out.add(CliEsMessages.filePermissionsChanged(path, b.permissionString(), a.permissionString()));
            out.add(CliEsMessages.FILE_PERMISSIONS_HINT);
        }
        if (!b.ownerName().equals(a.ownerName())) {
            out.add(CliEsMessages.fileOwnerChanged(path, b.ownerName(), a.ownerName()));
        }
        if (!b.groupName().equals(a.groupName())) {
            out.add(CliEsMessages.fileGroupChanged(path, b.groupName(), a.groupName()));
        }
        return out;
    }
}
