package io.svctoken.server.file;

import io.svctoken.core.file.ServiceTokensFile;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.FileServiceAccountTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Loads {@code <config>/service_tokens} into the file token store and reloads it within a second of
 * a change (a 250 ms poll of size, modification time and inode; Elasticsearch polls every 5 s).
 *
 * <p>Better than Elasticsearch: a malformed line is skipped with a warning naming its line number
 * instead of dropping every token; an unreadable file at start stops the node with the
 * least-privilege fix; an unreadable file at reload keeps the last good tokens.
 */
public final class ServiceTokensFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokensFileWatcher.class);
    static final long POLL_MILLIS = 250;

    private record Stamp(boolean exists, long size, long mtimeNanos, Object fileKey) {
    }

    private final Path file;
    private final FileServiceAccountTokenStore store;
    private final CachingServiceAccountTokenStore cache;
    private final ScheduledExecutorService poller;
    private volatile Stamp stamp;

    private ServiceTokensFileWatcher(Path file, FileServiceAccountTokenStore store, CachingServiceAccountTokenStore cache) {
        this.file = file;
        this.store = store;
        this.cache = cache;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "svctoken-service-tokens-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the file (a missing file means no tokens) and starts watching it.
     *
     * @throws IllegalStateException {@code Failed to load service_tokens file [<path>]} with the cause and the fix
     */
    public static ServiceTokensFileWatcher start(Path configDir, FileServiceAccountTokenStore store, CachingServiceAccountTokenStore cache) {
        Path file = configDir.resolve(ServiceTokensFile.FILE_NAME);
        ServiceTokensFileWatcher w = new ServiceTokensFileWatcher(file, store, cache);
        Stamp s = stampOf(file);
        try {
            w.load(s);
        } catch (IOException e) {
            throw new IllegalStateException("Failed to load service_tokens file [" + file + "]: " + e + ". " + fix(file), e);
        }
        w.poller.scheduleWithFixedDelay(w::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return w;
    }

    public Path file() {
        return file;
    }

    private void poll() {
        try {
            Stamp now = stampOf(file);
            if (Objects.equals(now, stamp)) {
                return;
            }
            try {
                load(now);
            } catch (IOException e) {
                stamp = now; // do not retry in a tight loop; the next change triggers another attempt
                LOG.error("failed to reload service_tokens file [{}]: {}; keeping the {} tokens loaded before. {}",
                        file.toAbsolutePath(), e.toString(), store.size(), fix(file));
            }
        } catch (RuntimeException e) {
            LOG.error("unexpected error while watching service_tokens file [{}]", file.toAbsolutePath(), e);
        }
    }

    private void load(Stamp s) throws IOException {
        Map<String, String> tokens;
        if (!s.exists) {
            tokens = Map.of();
        } else {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                lines = List.of();
            }
            ServiceTokensFile.Parsed parsed = ServiceTokensFile.parse(lines);
            for (ServiceTokensFile.Problem p : parsed.problems()) {
                if (p.kind() == ServiceTokensFile.Problem.Kind.MISSING_COLON) {
                    LOG.warn("{}line skipped, the other tokens are loaded", p.message(file.toAbsolutePath().toString()));
                } else {
                    LOG.warn("{} (line #{} of service_tokens file [{}])", p.message(file.toAbsolutePath().toString()), p.lineNumber(), file.toAbsolutePath());
                }
            }
            tokens = parsed.tokens();
        }
        boolean first = stamp == null;
        stamp = s;
        if (store.replaceTokens(tokens)) {
            cache.invalidateAll();
            if (!first) {
                LOG.info("service tokens file [{}] changed. updating ...", file.toAbsolutePath());
            }
        }
        LOG.debug("parsed [{}] tokens from file [{}]", tokens.size(), file.toAbsolutePath());
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

    /** The least-privilege fix: readable by the server's user or group, never world-writable. */
    static String fix(Path file) {
        String user = System.getProperty("user.name");
        String group = user;
        try {
            group = Files.readAttributes(file.getParent(), PosixFileAttributes.class).group().getName();
        } catch (IOException | UnsupportedOperationException e) {
            // keep the user's name as the group guess
        }
        return "To fix it, let the user running svctoken [" + user + "] read the file, for example: chgrp " + group + " '"
                + file.toAbsolutePath() + "' && chmod 640 '" + file.toAbsolutePath() + "' (and make sure the directory is searchable)."
                + " Do not make it world-writable.";
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
