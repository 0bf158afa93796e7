package io.svctoken.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * {@code <dir>/<cluster>_audit.json}, written by one thread of its own: callers only queue a finished line, so no
 * request thread ever waits on the disk. The queue is bounded: while it is full (a stalled disk) lines are dropped and
 * counted, never waited for. A write that fails keeps its lines and is retried every second; until it succeeds the
 * file counts as {@link #healthy() unhealthy} (the node may refuse requests meanwhile). The file rolls when the day
 * changes and when it would pass {@code maxBytes}, to {@code <cluster>_audit-yyyy-MM-dd-<i>.json.gz}, as
 * Elasticsearch's audit appender. Files it creates get mode 0640, like the store's.
 */
final class AuditFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditFile.class);
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");
    static final long ONE_GB = 1024L * 1024 * 1024;
    private static final int BATCH = 512;

    private final Path dir;
    private final String cluster;
    private final long maxBytes;
    private final Clock clock;
    private final BlockingQueue<String> queue;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean healthy = true;
    private volatile boolean closing;

    private OutputStream out;
    private long size;
    private LocalDate day;

    /** Opens (creating the directory and the file) at once: a file that cannot be opened is reported here. */
    AuditFile(Path dir, String cluster, long maxBytes, Clock clock, int capacity) throws IOException {
        this.dir = dir;
        this.cluster = cluster;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(capacity);
        Files.createDirectories(dir);
        open();
        writer = new Thread(this::run, "svctoken-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    Path active() {
        return dir.resolve(cluster + "_audit.json");
    }

    /** Queues one line (without its line end); false when it was dropped because the queue is full. */
    boolean offer(String line) {
        if (queue.offer(line)) {
            return true;
        }
        if (dropped.getAndIncrement() % 1000 == 0) {
            LOG.warn("the audit log cannot keep up: [{}] events dropped so far", dropped.get());
        }
        return false;
    }

    /** False while the last write failed or the queue is full. */
    boolean healthy() {
        return healthy && queue.remainingCapacity() > 0;
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        List<String> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    String first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                write(batch);
                batch.clear();
                if (!healthy) {
                    LOG.info("the audit log [{}] is written again", active());
                    healthy = true;
                }
            } catch (InterruptedException e) {
                if (!closing) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } catch (IOException | RuntimeException e) {
                if (healthy) {
                    LOG.error("cannot write the audit log [{}]: {}; retrying every second", active(), e.toString());
                }
                healthy = false;
                closeQuietly();
                if (closing) {
                    dropped.addAndGet(batch.size());
                    return;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    if (!closing) {
                        return;
                    }
                }
            }
        }
        closeQuietly();
    }

    private void write(List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        LocalDate today = LocalDate.now(clock);
        if (out != null && (!today.equals(day) || size > 0 && size + bytes.length > maxBytes)) {
            roll();
        }
        if (out == null) {
            open();
        }
        out.write(bytes);
        out.flush();
        size += bytes.length;
    }

    private void open() throws IOException {
        Path f = active();
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(f, mode());
            } catch (FileAlreadyExistsException e) {
                // created meanwhile: appended to as it is
            }
        }
        out = Files.newOutputStream(f, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.isRegularFile(f) ? Files.size(f) : 0;
        // the day of the lines already in it: an existing file from an earlier day rolls at the first write
        day = size > 0 && Files.isRegularFile(f)
                ? LocalDate.ofInstant(Files.getLastModifiedTime(f).toInstant(), clock.getZone()) : LocalDate.now(clock);
    }

    /** Closes the active file and compresses it to the next free {@code -<i>} of its day. */
    private void roll() throws IOException {
        closeQuietly();
        Path f = active();
        Path gz;
        int i = 1;
        do {
            gz = dir.resolve(cluster + "_audit-" + day + "-" + i++ + ".json.gz");
        } while (Files.exists(gz));
        Path moved = dir.resolve(gz.getFileName() + ".tmp");
        Files.move(f, moved);
        Files.createFile(gz, mode());
        try (InputStream in = Files.newInputStream(moved);
             OutputStream zip = new GZIPOutputStream(Files.newOutputStream(gz, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
            in.transferTo(zip);
        }
        Files.delete(moved);
        open();
    }

    private FileAttribute<?>[] mode() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing the audit log: {}", e.toString());
            }
            out = null;
        }
    }

    /** Writes what is queued (waiting up to 5 seconds), then closes the file. */
    @Override
    public void close() {
        // no interrupt: it would close the file's channel in the middle of a write; the writer polls every second
        closing = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
