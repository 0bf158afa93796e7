package io.svctoken.store.sqlite;

import io.svctoken.core.store.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run as an unprivileged user by {@link UnwritableDataDirTest}: opens the store at each argument
 * and prints one line per argument, {@code STORE_EXCEPTION <message>}, {@code OPENED} or
 * {@code OTHER <exception>}. First it proves it really is unprivileged: {@code PRIVILEGED} if it
 * can write where it should not (the first argument).
 */
public final class UnwritableDataDirProbe {

    private UnwritableDataDirProbe() {
    }

    public static void main(String[] args) {
        try {
            Files.createFile(Path.of(args[0]).resolve("probe-write-check"));
            System.out.println("PRIVILEGED");
            return;
        } catch (Exception expected) {
            // good: cannot write there
        }
        for (String arg : args) {
            try (SqliteStore store = SqliteStore.open(Path.of(arg))) {
                System.out.println("OPENED " + store.databaseFile());
            } catch (StoreException e) {
                System.out.println("STORE_EXCEPTION " + e.getMessage());
            } catch (Throwable t) {
                System.out.println("OTHER " + t);
            }
        }
    }
}
