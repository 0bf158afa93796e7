package io.svctoken.server.file;

import io.svctoken.core.file.UsersFile;
import io.svctoken.core.file.UsersRolesFile;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What a fresh install's config directory holds before anything else wrote to it. Elasticsearch's distribution
 * ships empty {@code users} and {@code users_roles} files, and its file-realm tools refuse to work without them;
 * a fresh svctoken install (a fresh clone) has no config directory at all, so the server's first start and the
 * tools' first use create it ({@code 0750}) with those two files ({@code 0660}). Like the files the tools write,
 * they get the directory's group, and their owner is the directory's owner when root creates them; the
 * directory itself is owned like its parent in the same way. Settings files are not created: every setting has
 * a default, and an {@code svctoken.yml} would hide an {@code elasticsearch.yml} put there later. Nothing is
 * logged here (the tools print on stdout); callers report failures.
 */
public final class DefaultConfigFiles {

    /** The empty files of a fresh config directory. */
    public static final List<String> FILE_NAMES = List.of(UsersFile.FILE_NAME, UsersRolesFile.FILE_NAME);

    private DefaultConfigFiles() {
    }

    /** Creates {@code configDir} (missing parents as any directory) unless it exists. */
    public static void createDirectory(Path configDir) throws IOException {
        Path dir = configDir.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        boolean posix = Files.getFileAttributeView(parent, PosixFileAttributeView.class) != null;
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(dir)) {
                return; // created meanwhile (the server and a tool at once)
            }
            throw e;
        }
        if (posix) {
            adopt(dir, parent);
            Files.setPosixFilePermissions(dir, SecureFiles.DIRECTORY_MODE);
        }
    }

    /** Creates the missing {@link #FILE_NAMES} in an existing {@code configDir}; the first failure is thrown after trying each. */
    public static void createMissingFiles(Path configDir) throws IOException {
        IOException failure = null;
        for (String name : FILE_NAMES) {
            Path f = configDir.resolve(name);
            if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                boolean posix = Files.getFileAttributeView(configDir, PosixFileAttributeView.class) != null;
                if (posix) {
                    Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    adopt(f, configDir);
                    Files.setPosixFilePermissions(f, SecureFiles.FILE_MODE);
                } else {
                    Files.createFile(f);
                }
            } catch (FileAlreadyExistsException e) {
                // created concurrently: fine
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The group of {@code like}, and its owner when root creates {@code target}; quietly as far as allowed. */
    private static void adopt(Path target, Path like) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes reference = Files.readAttributes(like, PosixFileAttributes.class);
        PosixFileAttributes own = view.readAttributes();
        try {
            if (!reference.group().equals(own.group())) {
                view.setGroup(reference.group());
            }
        } catch (FileSystemException notAMember) {
            // the user is not in that group: the file keeps the user's own group
        }
        try {
            if (!reference.owner().equals(own.owner()) && Integer.valueOf(0).equals(Files.getAttribute(target, "unix:uid"))) {
                view.setOwner(reference.owner());
            }
        } catch (FileSystemException | UnsupportedOperationException | IllegalArgumentException e) {
            // not root after all, or no unix attributes: the creator keeps it
        }
    }
}
