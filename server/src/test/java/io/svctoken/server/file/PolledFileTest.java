package io.svctoken.server.file;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading, re-reading and failing to read a polled file. */
class PolledFileTest {

    @TempDir
    Path dir;
    final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    final List<List<String>> contents = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        poller.shutdownNow();
    }

    private PolledFile watch(Path file) throws Exception {
        return PolledFile.watch(file, poller, (lines, initial) -> contents.add(lines), (e, why, initial) -> failures.add(why));
    }

    private static void waitUntil(BooleanSupplier done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aFileThatCannotBeReadIsTriedAtEveryPollAndReportedOncePerCause() throws Exception {
        Path file = Files.createDirectory(dir.resolve("users")); // reading a directory fails
        PolledFile f = watch(file);
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).contains("Is a directory").doesNotContain("\n");
        Thread.sleep(4 * PolledFile.POLL_MILLIS);
        assertThat(failures).as("the same cause again and again is reported once").hasSize(1);
        long before = f.generation();

        Files.delete(file);
        Files.writeString(file, "a:b\n");
        waitUntil(() -> contents.contains(List.of("a:b")));
        assertThat(contents).contains(List.of("a:b"));
        assertThat(f.generation()).isGreaterThan(before);
    }

    @Test
    void theGenerationCountsTheReadsThatReachedTheOwner() throws Exception {
        Path file = Files.writeString(dir.resolve("users"), "a:1\n");
        PolledFile f = watch(file);
        assertThat(f.generation()).isEqualTo(1);
        f.refreshNow();
        assertThat(f.generation()).as("unchanged: no read").isEqualTo(1);
        Path tmp = Files.writeString(dir.resolve("users.tmp"), "a:2\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        waitUntil(() -> f.generation() == 2);
        assertThat(f.generation()).isEqualTo(2);
        assertThat(contents).containsExactly(List.of("a:1"), List.of("a:2"));
    }

    @Test
    void refreshesAskedForWhileOneWaitsToStartShareItAndItSeesWhatWasWrittenBeforeAnyOfThem() throws Exception {
        Path file = dir.resolve("service_tokens");
        Files.writeString(file, "a:1\n");
        PolledFile f = watch(file);
        ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            CountDownLatch busy = new CountDownLatch(1);
            worker.execute(() -> {
                try {
                    busy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Files.writeString(dir.resolve("next"), "a:1\nb:2\n");
            Files.move(dir.resolve("next"), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            CompletableFuture<Void> first = f.refreshSoon(worker);
            for (int i = 0; i < 50; i++) {
                assertThat(f.refreshSoon(worker)).as("asked while the first waits").isSameAs(first);
            }
            assertThat(worker.getQueue()).as("one re-read queued for the 51 callers").hasSize(1);
            busy.countDown();
            first.get(5, TimeUnit.SECONDS);
            assertThat(f.generation()).isGreaterThanOrEqualTo(2);
            assertThat(contents.get(contents.size() - 1)).containsExactly("a:1", "b:2");
            // once it started, a new request is a new re-read
            assertThat(f.refreshSoon(worker)).isNotSameAs(first).succeedsWithin(Duration.ofSeconds(5));
        } finally {
            worker.shutdownNow();
        }
    }
}
