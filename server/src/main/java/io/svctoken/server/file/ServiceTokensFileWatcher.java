package io.svctoken.server.file;

import io.svctoken.core.file.ServiceTokensFile;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.FileServiceAccountTokenStore;
import io.svctoken.server.ServerEsMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keeps the file token store in step with {@code <config>/service_tokens}.
 *
 * <p>Better than Elasticsearch: a malformed line is skipped with a warning naming its line number
 * instead of dropping every token; an unreadable file at start stops the node with the
 * least-privilege fix (see {@link ReadAccessHint}); an unreadable file at reload keeps the last good tokens,
 * and it is read as soon as it is readable again.
 */
public final class ServiceTokensFileWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceTokensFileWatcher.class);

    private ServiceTokensFileWatcher() {
    }

    /** Carries the explanation of a read failure at start out of the watcher. */
    private static final class UnreadableAtStart extends IOException {
        UnreadableAtStart(String explanation, IOException cause) {
            super(explanation, cause);
        }
    }

    /**
     * @throws IllegalStateException {@code Failed to load service_tokens file [<path>]} with the cause and the fix
     */
    public static PolledFile start(Path configDir, ScheduledExecutorService poller, FileServiceAccountTokenStore store,
                                   CachingServiceAccountTokenStore cache) {
        Path file = configDir.resolve(ServiceTokensFile.FILE_NAME);
        String abs = file.toAbsolutePath().toString();
        try {
            return PolledFile.watch(file, poller, (lines, initial) -> {
                Map<String, String> tokens = Map.of();
                if (lines != null) {
                    ServiceTokensFile.Parsed parsed = ServiceTokensFile.parse(lines);
                    for (ServiceTokensFile.Problem p : parsed.problems()) {
                        if (p.kind() == ServiceTokensFile.Problem.Kind.MISSING_COLON) {
                            LOG.warn("{}line skipped, the other tokens are loaded", p.message(abs));
                        } else {
                            LOG.warn("{} (line #{} of service_tokens file [{}])", p.message(abs), p.lineNumber(), abs);
                        }
                    }
                    tokens = parsed.tokens();
                }
                if (store.replaceTokens(tokens)) {
                    cache.invalidateAll();
                    if (!initial) {
                        LOG.info("service tokens file [{}] changed. updating ...", abs);
                    }
                }
                LOG.debug("parsed [{}] tokens from file [{}]", tokens.size(), abs);
            }, (e, why, initial) -> {
                if (initial) {
                    throw new UnreadableAtStart(why, e);
                }
                LOG.error("failed to reload service_tokens file [{}], keeping the {} tokens loaded before: {}", abs, store.size(), why);
            });
        } catch (UnreadableAtStart e) {
            throw new IllegalStateException(ServerEsMessages.failedToLoadServiceTokens(file.toString()) + ": " + e.getMessage(),
                    e.getCause());
        } catch (IOException e) {
            throw new IllegalStateException(ServerEsMessages.failedToLoadServiceTokens(file.toString()) + ": " + e, e);
        }
    }

}
