package io.svctoken.server.authc;

import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.file.UsersFile;
import io.svctoken.core.file.UsersRolesFile;
import io.svctoken.core.realm.FileRealm;
import io.svctoken.core.realm.RealmCacheConfig;
import io.svctoken.server.file.PolledFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The files of the file realm: {@code <config>/users} (user → hash) and {@code <config>/users_roles}
 * (role → users), both re-read within a second of a change and handed to the realm. Bad lines are skipped
 * with Elasticsearch's messages. An unreadable file at start means no entries (as in Elasticsearch); at a
 * reload, the last good entries stay (Elasticsearch drops them all). Either way the file is read as soon
 * as it is readable again, and the log names the cause and the fix, without a stack trace.
 */
public final class FileRealmFiles {

    private static final Logger LOG = LoggerFactory.getLogger(FileRealmFiles.class);

    private FileRealmFiles() {
    }

    /** @param ref the realm's name ({@code default_file} unless configured) and type {@code file} */
    public static FileRealm start(Path configDir, ScheduledExecutorService poller, Executor worker, RealmRef ref,
                                  RealmCacheConfig cache) throws IOException {
        FileRealm realm = new FileRealm(worker, ref, cache);
        Path usersFile = configDir.resolve(UsersFile.FILE_NAME);
        Path rolesFile = configDir.resolve(UsersRolesFile.FILE_NAME);
        String usersAbs = usersFile.toAbsolutePath().toString();
        String rolesAbs = rolesFile.toAbsolutePath().toString();
        PolledFile users = PolledFile.watch(usersFile, poller, (lines, initial) -> {
            Map<String, String> parsed = Map.of();
            if (lines != null) {
                UsersFile.Parsed p = UsersFile.parse(lines);
                p.problems().forEach(pr -> LOG.error(pr.message(usersAbs)));
                parsed = p.users();
            }
            if (realm.users(parsed) && !initial) {
                LOG.info("users file [{}] changed. updating users...", usersAbs);
            }
            LOG.debug("parsed [{}] users from file [{}]", parsed.size(), usersAbs);
        }, (e, why, initial) -> {
            if (initial) {
                LOG.error("failed to parse users file [{}]. skipping/removing all users... {}", usersAbs, why);
            } else {
                LOG.error("failed to reload users file [{}], keeping the {} users loaded before: {}", usersAbs, realm.userCount(), why);
            }
        });
        PolledFile roles = PolledFile.watch(rolesFile, poller, (lines, initial) -> {
            Map<String, List<String>> parsed = Map.of();
            if (lines != null) {
                UsersRolesFile.Parsed p = UsersRolesFile.parse(lines);
                p.problems().forEach(pr -> LOG.error(pr.message(rolesAbs)));
                parsed = p.userRoles();
            }
            if (realm.userRoles(parsed) && !initial) {
                LOG.info("users roles file [{}] changed. updating users roles...", rolesAbs);
            }
        }, (e, why, initial) -> {
            if (initial) {
                LOG.error("failed to parse users_roles file [{}]. skipping/removing all entries... {}", rolesAbs, why);
            } else {
                LOG.error("failed to reload users_roles file [{}], keeping the entries loaded before: {}", rolesAbs, why);
            }
        });
        realm.readBy(new FileRealm.Files() {
            @Override
            public void refreshNow() {
                users.refreshNow();
                roles.refreshNow();
            }

            @Override
            public long generation() {
                return users.generation() + roles.generation();
            }
        });
        return realm;
    }
}
