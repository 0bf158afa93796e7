package io.svctoken.server;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Work a node's first request would otherwise wait for, done on a background thread while the node starts: the
 * first use of the BouncyCastle jar (it is signed, so the JDK verifies its signature then, ~160 ms; its classes are
 * never in the class-data archive) and a first bcrypt, the elastic password's algorithm by default. Nothing is
 * kept: this only loads and runs code.
 */
public final class StartWarmup {

    /** The lowest cost bcrypt takes: it runs the code once, at 1/64 of a default-cost hash. */
    private static final int COST = 4;

    private StartWarmup() {
    }

    /** Starts the warm-up on a daemon thread; the future completes when it ended (exceptionally if it failed). */
    public static CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                OpenBSDBCrypt.generate("2a", "svctoken-warmup".getBytes(StandardCharsets.UTF_8), new byte[16], COST);
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }, "svctoken-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return done;
    }
}
