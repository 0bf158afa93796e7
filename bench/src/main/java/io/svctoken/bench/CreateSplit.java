package io.svctoken.bench;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.store.Store;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.store.sqlite.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a token creation costs apart from HTTP (bench/load.sh, C1 details): the two steps the node's create
 * runs on its worker thread, timed separately on one thread, in the order the node runs them —
 * {@code PBKDF2_STRETCH} hashing of the new secret, then the insert into a real {@link SqliteStore} (opened as
 * the node opens it: WAL, {@code synchronous=FULL}, so each insert is a committed, synced transaction).
 *
 * <p>{@code java io.svctoken.bench.CreateSplit <dataDir> <warmup> <count>} prints
 * {@code hash_ms=<mean> insert_ms=<mean> total_ms=<mean>} per creation.
 */
public final class CreateSplit {

    private CreateSplit() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int warmup = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        ServiceAccountId account = ServiceAccountId.fromPrincipal("elastic/fleet-server");
        try (Store store = SqliteStore.open(dir)) {
            long hashNs = 0;
            long insertNs = 0;
            for (int i = 0; i < warmup + count; i++) {
                try (ServiceAccountToken token = ServiceAccountToken.newToken(account, "split-" + System.nanoTime() + "-" + i)) {
                    long t0 = System.nanoTime();
                    String hash = Hasher.PBKDF2_STRETCH.hash(token.secret());
                    long t1 = System.nanoTime();
                    store.tokens().insert(new TokenRecord(token.id(), hash, System.currentTimeMillis(), 8_19_00_99, "{\"principal\":\"elastic\"}"));
                    long t2 = System.nanoTime();
                    if (i >= warmup) {
                        hashNs += t1 - t0;
                        insertNs += t2 - t1;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "hash_ms=%.3f insert_ms=%.3f total_ms=%.3f%n", hashNs / 1e6 / count, insertNs / 1e6 / count,
                    (hashNs + insertNs) / 1e6 / count);
        }
    }
}
