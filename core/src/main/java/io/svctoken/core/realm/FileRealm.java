package io.svctoken.core.realm;

import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.User;
import io.svctoken.core.secret.Secret;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Elasticsearch's file realm: users with password hashes ({@code users}) and their roles ({@code users_roles}).
 * The realm holds what the files said; whoever reads the files (the server polls them) hands each new content
 * in, and a change forgets every cached login. core reads no files itself.
 */
public final class FileRealm extends CachingRealm {

    /** The files behind the realm, as their reader sees them. */
    public interface Files {
        /** Re-reads the files now if they changed. */
        void refreshNow();

        /** Grows whenever new content of the files was taken in. */
        long generation();
    }

    private static final Files UNREAD = new Files() {
        @Override
        public void refreshNow() {
        }

        @Override
        public long generation() {
            return 0;
        }
    };

    private final Executor worker;
    private final RealmRef ref;
    private volatile Map<String, String> users = Map.of();
    private volatile Map<String, List<String>> userRoles = Map.of();
    private volatile Files files = UNREAD;

    /** @param ref the realm's name ({@code default_file} unless configured) and type {@code file} */
    public FileRealm(Executor worker, RealmRef ref, RealmCacheConfig cache) {
        super(new CredentialCache(cache));
        this.worker = worker;
        this.ref = ref;
    }

    /** Where {@link #refresh()} and {@link #generation()} ask. */
    public void readBy(Files files) {
        this.files = files;
    }

    /** Takes in the users file's entries (user → password hash); returns whether they changed. */
    public boolean users(Map<String, String> parsed) {
        boolean changed = !parsed.equals(users);
        users = parsed;
        if (changed) {
            cache.invalidateAll();
        }
        return changed;
    }

    /** Takes in the users_roles file's entries (user → roles); returns whether they changed. */
    public boolean userRoles(Map<String, List<String>> parsed) {
        boolean changed = !parsed.equals(userRoles);
        userRoles = parsed;
        if (changed) {
            cache.invalidateAll();
        }
        return changed;
    }

    /** How many users the realm knows now. */
    public int userCount() {
        return users.size();
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
        Files f = files;
        try {
            return CompletableFuture.runAsync(f::refreshNow, worker);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(null); // the poll catches up
        }
    }

    @Override
    public long generation() {
        return files.generation();
    }

    @Override
    public CompletableFuture<Optional<User>> lookup(String username) {
        return CompletableFuture.completedFuture(users.containsKey(username) ? Optional.of(user(username)) : Optional.empty());
    }
}
