package io.svctoken.core.realm;

import io.svctoken.core.authc.User;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The native and reserved realms' login cache over a real store. */
class CredentialCacheTest {

    private static final Hasher PASSWORDS = Hasher.resolve("pbkdf2_1000");

    @TempDir
    Path data;

    private static UserRecord bob(String password) {
        return new UserRecord("bob", PASSWORDS.hash(Secret.of(password)), List.of(), null, null, "{}", true);
    }

    /** The store, with a hook run right after a user is read (to interleave a change with a login in flight). */
    private static UserRepository afterRead(SqliteStore store, AtomicReference<Runnable> hook) {
        return new UserRepository() {
            @Override
            public Optional<UserRecord> findUser(String username) {
                Optional<UserRecord> r = store.findUser(username);
                Runnable h = hook.getAndSet(null);
                if (h != null) {
                    h.run();
                }
                return r;
            }

            @Override
            public List<UserRecord> listUsers() {
                return store.listUsers();
            }

            @Override
            public boolean insertUserIfAbsent(UserRecord user) {
                return store.insertUserIfAbsent(user);
            }

            @Override
            public void putUser(UserRecord user, Revocation revocation) {
                store.putUser(user, revocation);
            }

            @Override
            public boolean deleteUser(String username, Revocation revocation) {
                return store.deleteUser(username, revocation);
            }
        };
    }

    @Test
    void aLoginThatReadTheUserBeforeAPasswordChangeIsNotCachedAfterIt() {
        try (SqliteStore store = SqliteStore.open(data)) {
            store.putUser(bob("old-pass"));
            CredentialCache cache = new CredentialCache(RealmCacheConfig.DEFAULT);
            AtomicReference<Runnable> hook = new AtomicReference<>(() -> {
                // what a password change does (UserAdmin): write the store, then invalidate the realms' caches
                store.putUser(bob("new-pass"));
                cache.invalidate("bob");
            });
            UserRepository users = afterRead(store, hook);
            Realm.Result inFlight = cache.authenticate("bob", Secret.of("old-pass"), Runnable::run, users, User::from).join();
            assertThat(inFlight.succeeded()).as("began before the change, with the password valid then").isTrue();

            Realm.Result after = cache.authenticate("bob", Secret.of("old-pass"), Runnable::run, users, User::from).join();
            assertThat(after.succeeded()).as("the old password must not stay cached after the change").isFalse();
            assertThat(after.wrongPassword()).isTrue();
            assertThat(cache.authenticate("bob", Secret.of("new-pass"), Runnable::run, users, User::from).join().succeeded()).isTrue();
        }
    }

    /**
     * The file realm's path: a reload (swap the users, then invalidate) that lands right after a login read the
     * old hash must not leave the old password cached. The hash is read after the invalidation count, so the
     * count tells the login that what it read may be stale.
     */
    @Test
    void aLoginThatReadAFileHashBeforeAReloadIsNotCachedAfterIt() {
        CredentialCache cache = new CredentialCache(RealmCacheConfig.DEFAULT);
        AtomicReference<String> fileHash = new AtomicReference<>(PASSWORDS.hash(Secret.of("old-pass")));
        Supplier<User> bobUser = () -> new User("bob", List.of(), null, null, null, true);
        Supplier<String> readThenReload = () -> {
            String read = fileHash.get();
            // what FileRealm's reload does right after: swap in the new users, then invalidate every login
            fileHash.set(PASSWORDS.hash(Secret.of("new-pass")));
            cache.invalidateAll();
            return read;
        };
        Realm.Result inFlight = cache.verify("bob", Secret.of("old-pass"), readThenReload, bobUser, Runnable::run).join();
        assertThat(inFlight.succeeded()).as("began before the reload, with the password valid then").isTrue();

        Realm.Result after = cache.verify("bob", Secret.of("old-pass"), fileHash::get, bobUser, Runnable::run).join();
        assertThat(after.succeeded()).as("the old password must not stay cached after the reload").isFalse();
        assertThat(cache.verify("bob", Secret.of("new-pass"), fileHash::get, bobUser, Runnable::run).join().succeeded()).isTrue();
        assertThat(cache.verify("ghost", Secret.of("x"), () -> null, bobUser, Runnable::run).join()).isEqualTo(Realm.Result.NOT_FOUND);
    }

    /** Requests for unknown or disabled names evict only their own name: they must not keep other logins out of the cache. */
    @Test
    void aLoginForAnUnknownNameInBetweenDoesNotStopALoginBeingCached() {
        try (SqliteStore store = SqliteStore.open(data)) {
            store.putUser(bob("bob-pass"));
            CredentialCache cache = new CredentialCache(RealmCacheConfig.DEFAULT);
            AtomicReference<Runnable> hook = new AtomicReference<>();
            UserRepository users = afterRead(store, hook);
            hook.set(() -> assertThat(cache.authenticate("ghost", Secret.of("x"), Runnable::run, users, User::from).join())
                    .isEqualTo(Realm.Result.NOT_FOUND));
            assertThat(cache.authenticate("bob", Secret.of("bob-pass"), Runnable::run, users, User::from).join().succeeded()).isTrue();
            assertThat(cache.get("bob", Secret.of("bob-pass"))).isPresent();
        }
    }

    @Test
    void aWrongPasswordLeavesTheCachedLoginAndASuccessWithAnotherPasswordReplacesIt() {
        try (SqliteStore store = SqliteStore.open(data)) {
            store.putUser(bob("old-pass"));
            CredentialCache cache = new CredentialCache(RealmCacheConfig.DEFAULT);
            UserRepository users = afterRead(store, new AtomicReference<>());
            assertThat(cache.authenticate("bob", Secret.of("old-pass"), Runnable::run, users, User::from).join().succeeded()).isTrue();
            assertThat(cache.authenticate("bob", Secret.of("wrong"), Runnable::run, users, User::from).join().wrongPassword()).isTrue();
            assertThat(cache.get("bob", Secret.of("old-pass"))).isPresent();
            // changed behind the node's back (no invalidation): the new password is checked in the store and replaces the entry
            store.putUser(bob("new-pass"));
            assertThat(cache.authenticate("bob", Secret.of("new-pass"), Runnable::run, users, User::from).join().succeeded()).isTrue();
            assertThat(cache.get("bob", Secret.of("new-pass"))).isPresent();
            assertThat(cache.get("bob", Secret.of("old-pass"))).isEmpty();
        }
    }
}
