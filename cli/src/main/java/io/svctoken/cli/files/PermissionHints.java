package io.svctoken.cli.files;

import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One-line advice printed after a permission failure on a security file: the least-privilege fix
 * (run the tool as the file's or directory's owner, or grant the group access) rather than running
 * everything as root or opening the file to everyone. Only {@link AccessDeniedException}s get a hint.
 */
public final class PermissionHints {

    private PermissionHints() {
    }

    /** After the file could not be read. */
    public static List<String> forRead(Path file, Throwable failure) {
        if (!(failure instanceof AccessDeniedException)) {
            return List.of();
        }
        Optional<FileAttributes> a = FileAttributes.read(file);
        if (a.isEmpty()) {
            return List.of("Hint: run this tool as the user that owns [" + file + "] (normally the user running svctoken);"
                    + " do not make the file readable by everyone.");
        }
        FileAttributes f = a.get();
        return List.of("Hint: [" + file + "] belongs to [" + f.ownerName() + ":" + f.groupName() + "] with permissions ["
                + f.permissionString() + "]: run this tool " + asUser(f.ownerName()) + ", or as a member of group ["
                + f.groupName() + "] once the group may read and write the file (chmod g+rw); do not make the file readable by everyone.");
    }

    /** After the file could not be written (the temporary file is created in its directory). */
    public static List<String> forWrite(Path file, Throwable failure) {
        if (!(failure instanceof AccessDeniedException)) {
            return List.of();
        }
        Path dir = file.toAbsolutePath().getParent();
        Optional<FileAttributes> a = FileAttributes.read(dir);
        if (a.isEmpty()) {
            return List.of("Hint: the directory [" + dir + "] must be writable by the user running this tool: run it as the"
                    + " directory's owner (normally the user running svctoken); do not make the directory writable by everyone.");
        }
        FileAttributes d = a.get();
        String how = isRoot(d.ownerName()) ? asUser(d.ownerName())
                : asUser(d.ownerName()) + " or with sudo (a new file then still belongs to [" + d.ownerName() + "])";
        return List.of("Hint: the directory [" + dir + "] belongs to [" + d.ownerName() + ":" + d.groupName() + "] with permissions ["
                + d.permissionString() + "] and the user running this tool must be able to write it: run this tool " + how
                + "; do not make the directory writable by everyone.");
    }

    private static String asUser(String owner) {
        return isRoot(owner) ? "as root (sudo ...)" : "as its owner [" + owner + "] (sudo -u " + owner + " ...)";
    }

    private static boolean isRoot(String owner) {
        return "root".equals(owner);
    }
}
