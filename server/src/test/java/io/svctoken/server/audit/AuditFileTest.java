package io.svctoken.server.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit file: written off the caller's thread, rolled by day and size to .json.gz, 0640, retried after a failed write. */
class AuditFileTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T10:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @Test
    void rollsWhenTheDayChangesAndWhenFull() throws Exception {
        MovableClock clock = new MovableClock();
        try (AuditFile f = new AuditFile(dir, "c1", 100, clock, 100)) {
            f.offer("{\"n\":1}");
            awaitContent(f.active(), "{\"n\":1}\n");
            clock.now.set(Instant.parse("2026-12-08T00:00:01Z"));
            f.offer("{\"n\":2}");
            awaitContent(f.active(), "{\"n\":2}\n");
            // 100 bytes at most: the third line would pass it
            f.offer("x".repeat(95));
            awaitContent(f.active(), "x".repeat(95) + "\n");
            f.offer("{\"n\":4}");
            awaitContent(f.active(), "{\"n\":4}\n");
        }
        assertThat(gunzip(dir.resolve("c1_audit-2026-12-07-1.json.gz"))).isEqualTo("{\"n\":1}\n");
        assertThat(gunzip(dir.resolve("c1_audit-2026-12-08-1.json.gz"))).isEqualTo("{\"n\":2}\n");
        assertThat(gunzip(dir.resolve("c1_audit-2026-12-08-2.json.gz"))).isEqualTo("x".repeat(95) + "\n");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.toList();
            assertThat(all).hasSize(4);
            for (Path p : all) {
                assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
            }
        }
    }

    @Test
    void aFailedWriteIsRetriedAndItsLinesKept() throws Exception {
        Path active = dir.resolve("c1_audit.json");
        // a full disk: every write to /dev/full fails with ENOSPC
        Files.createSymbolicLink(active, Path.of("/dev/full"));
        try (AuditFile f = new AuditFile(dir, "c1", AuditFile.ONE_GB, Clock.systemUTC(), 100)) {
            assertThat(f.healthy()).isTrue();
            f.offer("{\"lost\":false}");
            await(() -> !f.healthy());
            // the disk has room again: the retry writes the kept line
            Files.delete(active);
            await(f::healthy);
            awaitContent(active, "{\"lost\":false}\n");
            assertThat(f.dropped()).isZero();
        }
    }

    @Test
    void aFullQueueDropsLinesInsteadOfWaiting() throws Exception {
        Path active = dir.resolve("c1_audit.json");
        Files.createSymbolicLink(active, Path.of("/dev/full"));
        try (AuditFile f = new AuditFile(dir, "c1", AuditFile.ONE_GB, Clock.systemUTC(), 2)) {
            f.offer("a");
            await(() -> !f.healthy());
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                f.offer("b" + i);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(f.dropped()).isGreaterThanOrEqualTo(8);
            assertThat(f.healthy()).isFalse();
        }
    }

    private static String gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void awaitContent(Path p, String expected) throws Exception {
        await(() -> {
            try {
                return Files.isRegularFile(p) && Files.readString(p).equals(expected);
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(Files.readString(p)).isEqualTo(expected);
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition within 20s").isTrue();
    }
}
