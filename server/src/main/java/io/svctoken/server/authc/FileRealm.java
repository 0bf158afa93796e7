package io.svctoken.server.authc;

import io.svctoken.core.file.UsersFile;
import io.svctoken.core.file.UsersRolesFile;
import io.svctoken.core.secret.Secret;
import io.svctoken.server.file.PolledFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Elasticsearch's file realm: {@code <config>/users} (user → hash) and {@code <config>/users_roles}
 * (role → users), both re-read within a second of a change. Bad lines are skipped with
 * Elasticsearch's messages. An unreadable file at start means no entries (as in Elasticsearch); at a
 * reload, the last good entries stay (Elasticsearch drops them all). Either way the file is read as soon
 * as it is readable again, and the log names the cause and the fix, without a stack trace.
 */
public final class FileRealm implements Realm {

    private static final Logger LOG = LoggerFactory.getLogger(FileRealm.class);

    private final Executor worker;
    private final CredentialCache cache;
    private volatile Map<String, String> users = Map.of();
    private volatile Map<String, List<String>> userRoles = Map.of();

    private final RealmRef ref;
    private volatile PolledFile usersFile;
    private volatile PolledFile rolesFile;

    private FileRealm(Executor worker, RealmRef ref, io.svctoken.server.settings.RealmSettings.Cache cache) {
        this.worker = worker;
        this.ref = ref;
        this.cache = new CredentialCache(cache);
    }

    /** @param ref the realm's name ({@code default_file} unless configured) and type {@code file} */
    public static FileRealm start(Path configDir, ScheduledExecutorService poller, Executor worker, RealmRef ref,
                                  io.svctoken.server.settings.RealmSettings.Cache cache) throws IOException {
        FileRealm realm = new FileRealm(worker, ref, cache);
        Path usersFile = configDir.resolve(UsersFile.FILE_NAME);
        Path rolesFile = configDir.resolve(UsersRolesFile.FILE_NAME);
        String usersAbs = usersFile.toAbsolutePath().toString();
        String rolesAbs = rolesFile.toAbsolutePath().toString();
        realm.usersFile = PolledFile.watch(usersFile, poller, (lines, initial) -> {
            Map<String, String> parsed = Map.of();
            if (lines != null) {
                UsersFile.Parsed p = UsersFile.parse(lines);
                p.problems().forEach(pr -> LOG.error(pr.message(usersAbs)));
                parsed = p.users();
            }
            boolean changed = !parsed.equals(realm.users);
            realm.users = parsed;
            if (changed) {
                realm.cache.invalidateAll();
                if (!initial) {
                    LOG.info("users file [{}] changed. updating users...", usersAbs);
                }
            }
            LOG.debug("parsed [{}] users from file [{}]", parsed.size(), usersAbs);
        }, (e, why, initial) -> {
            if (initial) {
                LOG.error("failed to parse users file [{}]. skipping/removing all users... {}", usersAbs, why);
            } else {
                LOG.error("failed to reload users file [{}], keeping the {} users loaded before: {}", usersAbs, realm.users.size(), why);
            }
        });
        realm.rolesFile = PolledFile.watch(rolesFile, poller, (lines, initial) -> {
            Map<String, List<String>> parsed = Map.of();
            if (lines != null) {
                UsersRolesFile.Parsed p = UsersRolesFile.parse(lines);
                p.problems().forEach(pr -> LOG.error(pr.message(rolesAbs)));
                parsed = p.userRoles();
            }
            boolean changed = !parsed.equals(realm.userRoles);
            realm.userRoles = parsed;
            if (changed) {
                realm.cache.invalidateAll();
                if (!initial) {
                    LOG.info("users roles file [{}] changed. updating users roles...", rolesAbs);
                }
            }
        }, (e, why, initial) -> {
            if (initial) {
                LOG.error("failed to parse users_roles file [{}]. skipping/removing all entries... {}", rolesAbs, why);
            } else {
                LOG.error("failed to reload users_roles file [{}], keeping the entries loaded before: {}", rolesAbs, why);
            }
        });
        return realm;
    }

    @Override
    public RealmRef ref() {
        return ref;
    }

    private User user(String username) {
        return new User(username, userRoles.getOrDefault(username, List.of()), null, null, null, true);
    }

    @Override
    public CompletableFuture<Result> authenticate(String username, Secret password) {
        return cache.verify(username, password, () -> users.get(username), () -> user(username), worker);
    }

    @Override
    public CompletableFuture<Void> refresh() {
        try {
            return CompletableFuture.runAsync(() -> {
                usersFile.refreshNow();
                rolesFile.refreshNow();
            }, worker);
        } catch (java.util.concurrent.RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(null); // the poll catches up
        }
    }

    @Override
    public long generation() {
        return usersFile.generation() + rolesFile.generation();
    }

    @Override
    public CompletableFuture<Optional<User>> lookup(String username) {
        return CompletableFuture.completedFuture(users.containsKey(username) ? Optional.of(user(username)) : Optional.empty());
    }

    @Override
    public void invalidate(String username) {
        cache.invalidate(username);
    }

    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }
}
