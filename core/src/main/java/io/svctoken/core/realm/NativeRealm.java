package io.svctoken.core.realm;

import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.User;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/** Users created through the user APIs, kept in the embedded store (Elasticsearch's native realm). */
public final class NativeRealm extends CachingRealm {

    private final UserRepository users;
    private final Executor worker;

    private final RealmRef ref;

    /** @param ref the realm's name ({@code default_native} unless configured) and type {@code native} */
    public NativeRealm(UserRepository users, Executor worker, RealmRef ref, RealmCacheConfig cache) {
        this(users, worker, ref, cache, () -> true);
    }

    /** @param cacheUsable false while cached logins must not answer (a node that may have missed invalidations) */
    public NativeRealm(UserRepository users, Executor worker, RealmRef ref, RealmCacheConfig cache,
                       BooleanSupplier cacheUsable) {
        super(new CredentialCache(cache, cacheUsable));
        this.users = users;
        this.worker = worker;
        this.ref = ref;
    }

    @Override
    public RealmRef ref() {
        return ref;
    }

    @Override
    public CompletableFuture<Result> authenticate(String username, Secret password) {
        if (ReservedRealm.isReserved(username)) {
            return CompletableFuture.completedFuture(Result.NOT_FOUND);
        }
        return cache.authenticate(username, password, worker, users, User::from);
    }

    @Override
    public CompletableFuture<Optional<User>> lookup(String username) {
        if (ReservedRealm.isReserved(username)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> users.findUser(username).filter(UserRecord::enabled).map(User::from), worker);
    }
}
