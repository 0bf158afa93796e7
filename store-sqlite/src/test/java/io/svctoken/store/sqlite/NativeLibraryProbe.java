package io.svctoken.store.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Run in a child JVM by {@link SqliteNativeLibraryTest} (the driver loads its native library once per JVM):
 * opens the store at the first argument and prints {@code LOADED <path>} for each mapping of sqlite-jdbc's
 * native library in {@code /proc/self/maps}, the file the process really runs.
 */
public final class NativeLibraryProbe {

    private NativeLibraryProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (SqliteStore store = SqliteStore.open(Path.of(args[0]))) {
            Files.readAllLines(Paths.get("/proc/self/maps")).stream()
                    .filter(l -> l.contains("sqlitejdbc"))
                    .map(l -> l.substring(l.indexOf('/')))
                    .distinct()
                    .forEach(p -> System.out.println("LOADED " + p));
        }
    }
}
