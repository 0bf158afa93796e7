package io.svctoken.server.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A config file that is read at start and re-read when it changes: a poll of size, modification
 * time and inode (every {@link #POLL_MILLIS} ms; Elasticsearch polls every 5 s). A file that could not
 * be read is tried again at every poll, since making it readable (chmod, chgrp, a group membership)
 * changes none of these; each cause is reported once. The owner decides what the lines mean; this class
 * only tells it the lines (or that the file is gone) and what went wrong.
 */
public final class PolledFile {

    private static final Logger LOG = LoggerFactory.getLogger(PolledFile.class);
    public static final long POLL_MILLIS = 250;

    /** Receives the file's content: {@code null} when the file does not exist. */
    @FunctionalInterface
    public interface Listener {
        void onContent(List<String> lines, boolean initial);
    }

    /**
     * Told when the file exists but cannot be read, once per cause: {@code explanation} is the cause in
     * one line (for a permission problem with the command that fixes it, see {@link ReadAccessHint});
     * {@code initial} is true at start.
     */
    @FunctionalInterface
    public interface FailureHandler {
        void onFailure(IOException e, String explanation, boolean initial) throws IOException;
    }

    private record Stamp(boolean exists, long size, long mtimeNanos, Object fileKey) {
    }

    private final Path file;
    private final Listener listener;
    private final FailureHandler failures;
    private volatile Stamp stamp;
    /** Reads whose content the owner has taken in; raised only after the listener returned. */
    private volatile long generation;
    /** The cause of the last read's failure, null when it worked: then every poll tries again. */
    private volatile String failure;
    /** A {@link #refreshSoon} re-read handed to its executor and not yet started, else null. */
    private final AtomicReference<CompletableFuture<Void>> queued = new AtomicReference<>();

    private PolledFile(Path file, Listener listener, FailureHandler failures) {
        this.file = file;
        this.listener = listener;
        this.failures = failures;
    }

    /**
     * Reads {@code file} once now (a failure handler that rethrows stops the caller's start), then polls
     * it on {@code poller}.
     */
    public static PolledFile watch(Path file, ScheduledExecutorService poller, Listener listener, FailureHandler failures) throws IOException {
        PolledFile f = new PolledFile(file, listener, failures);
        Stamp s = stampOf(file);
        try {
            f.read(s, true);
            f.generation++;
        } catch (IOException e) {
            f.failure = f.explain(e);
            failures.onFailure(e, f.failure, true);
        }
        f.stamp = s;
        poller.scheduleWithFixedDelay(f::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return f;
    }

    public Path path() {
        return file;
    }

    /**
     * How many times the owner was given fresh content. Raised after the owner took the content in, so a
     * caller that reads the owner's data after reading this value sees at least that content: a caller
     * that compares the value taken before an attempt with the value after it learns whether the attempt
     * may have used older content (the poller may have read the change meanwhile).
     */
    public long generation() {
        return generation;
    }

    private void poll() {
        refreshNow();
    }

    /**
     * {@link #refreshNow()} on {@code executor}. Callers that ask while such a re-read waits to start share it: it
     * starts after each of them asked, so it sees what each could have missed, and a flood of failed attempts costs
     * one re-read per turn of the executor, not one each.
     */
    public CompletableFuture<Void> refreshSoon(Executor executor) {
        while (true) {
            CompletableFuture<Void> waiting = queued.get();
            if (waiting != null) {
                return waiting;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            if (!queued.compareAndSet(null, mine)) {
                continue;
            }
            try {
                executor.execute(() -> {
                    queued.compareAndSet(mine, null); // started: whoever asks from now on gets a later one
                    try {
                        refreshNow();
                    } finally {
                        mine.complete(null);
                    }
                });
            } catch (RejectedExecutionException e) {
                queued.compareAndSet(mine, null); // stopping: nothing re-read, the attempt's answer stands
                mine.complete(null);
            }
            return mine;
        }
    }

    /**
     * Re-reads the file now if it changed since it was last read, or if that read failed (a stat when
     * neither): for callers that cannot wait for the next poll. Safe from any thread; not for an event
     * loop (file I/O).
     */
    public synchronized void refreshNow() {
        try {
            Stamp now = stampOf(file);
            boolean changed = !Objects.equals(now, stamp);
            if (!changed && failure == null) {
                return;
            }
            stamp = now;
            try {
                read(now, false);
                generation++; // only this synchronized method writes it after the start
                failure = null;
            } catch (IOException e) {
                String why = explain(e);
                if (changed || !why.equals(failure)) {
                    failure = why;
                    failures.onFailure(e, why, false);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("unexpected error while watching [{}]", file.toAbsolutePath(), e);
        }
    }

    /** The failure in one line; the stack trace only at debug level (an unreadable file is an expected condition). */
    private String explain(IOException e) {
        LOG.debug("reading [{}] failed", file.toAbsolutePath(), e);
        return ReadAccessHint.explain(file, e);
    }

    private void read(Stamp s, boolean initial) throws IOException {
        if (!s.exists) {
            listener.onContent(null, initial);
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = null;
        }
        listener.onContent(lines, initial);
    }

    private static Stamp stampOf(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(true, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
        } catch (NoSuchFileException e) {
            return new Stamp(false, -1, -1, null);
        } catch (IOException e) {
            return new Stamp(true, -2, -2, e.toString()); // exists but cannot be examined: reading it reports why
        }
    }
}
