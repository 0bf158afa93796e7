package io.svctoken.store.sqlite;

import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.TokenId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Run by {@link StoreFileModesTest} in a child JVM under a known umask: opens a new store at the
 * argument, writes one token (so SQLite creates {@code -wal} and {@code -shm}) and, with the store still
 * open, prints {@code <name> <mode>} for the directory and every file in it.
 */
public final class StoreFileModesProbe {

    private StoreFileModesProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.insert(new TokenRecord(TokenId.of("elastic/fleet-server", "t"), "h", 1, 1, null));
            System.out.println(". " + PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            try (var files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    System.out.println(f.getFileName() + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                }
            }
            try (var files = Files.list(dir.resolve(SqliteNativeLibrary.DIRECTORY))) {
                for (Path f : files.sorted().toList()) {
                    System.out.println(SqliteNativeLibrary.DIRECTORY + "/" + f.getFileName() + " "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                }
            }
        }
    }
}
