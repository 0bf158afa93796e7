package io.svctoken.store.jdbc;

import io.svctoken.core.cluster.InvalidationEvent;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.Store;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transactional outbox: a revoking write and the invalidation event given with it
 * ({@link Revocation}) commit in one transaction, so neither is stored without the other.
 */
public abstract class RevocationContract extends StoreContract {

    /** Runs one statement on the test's database with a connection of its own (to break the log for a test). */
    protected abstract void execute(String sql) throws Exception;

    private static final TokenId T1 = new TokenId(FLEET, "t1");
    private static final UserRecord BOB = new UserRecord("bob", HASH, List.of("viewer"), "Bob", null, "{}", true);
    private static final RoleRecord ROLE = new RoleRecord("r1", "{\"cluster\":[\"monitor\"]}");

    private static ApiKeyRecord apiKey(String id) {
        return new ApiKeyRecord(id, "k-" + id, ApiKeyRecord.TYPE_REST, "{SSHA256}hash-of-" + id, 1, null, false, null, "bob", "native1",
                "native", CREATOR, "{}", "{}", "{}", 9_05_00_99);
    }

    private static Revocation revocation(String cache, List<String> keys) {
        return new Revocation(cache, keys, "node-1", 42);
    }

    private void seed() throws Exception {
        store.tokens().insert(token(FLEET, "t1"));
        store.users().putUser(BOB);
        store.roles().putRole(ROLE);
        store.apiKeys().insertApiKey(apiKey("k1"));
    }

    /** Each revoking write, with its event. */
    private List<Consumer<Store>> revokingWrites(List<Revocation> made) {
        Consumer<Revocation> keep = made::add;
        return List.of(
                s -> {
                    Revocation r = revocation("service_tokens", List.of(T1.qualifiedName()));
                    keep.accept(r);
                    s.tokens().delete(T1, r);
                },
                s -> {
                    Revocation r = revocation("realm:*", List.of("bob"));
                    keep.accept(r);
                    s.users().putUser(new UserRecord("bob", HASH + "new", List.of(), null, null, "{}", false), r);
                },
                s -> {
                    Revocation r = revocation("realm:*", List.of("bob"));
                    keep.accept(r);
                    s.users().deleteUser("bob", r);
                },
                s -> {
                    Revocation r = revocation("roles", List.of("r1"));
                    keep.accept(r);
                    s.roles().putRole(new RoleRecord("r1", "{\"cluster\":[\"all\"]}"), r);
                },
                s -> {
                    Revocation r = revocation("roles", List.of("r1"));
                    keep.accept(r);
                    s.roles().deleteRole("r1", r);
                },
                s -> {
                    Revocation r = revocation("api_keys", List.of("k1"));
                    keep.accept(r);
                    ApiKeyRecord k = apiKey("k1");
                    s.apiKeys().updateApiKey(new ApiKeyRecord(k.id(), k.name(), k.type(), k.apiKeyHash(), 1, 99L, false, null, "bob",
                            "native1", "native", CREATOR, "{}", "{}", "{\"changed\":true}", 9_05_00_99), r);
                },
                s -> {
                    Revocation r = revocation("api_keys", List.of("k1"));
                    keep.accept(r);
                    s.apiKeys().invalidateApiKeys(List.of("k1", "unknown"), 7, r);
                });
    }

    @Test
    void aRevokingWriteHasItsEventInTheLogAfterEveryEarlierOne() throws Exception {
        seed();
        List<Revocation> made = new ArrayList<>();
        for (Consumer<Store> write : revokingWrites(made)) {
            long before = store.cluster().lastInvalidation();
            write.accept(store);
            Revocation r = made.get(made.size() - 1);
            assertThat(r.seq()).as(r.cache()).isGreaterThan(before);
            List<String> keys = r.cache().equals("api_keys") ? List.of("k1") : r.keys();
            assertThat(store.cluster().invalidationsAfter(before, 10))
                    .containsExactly(new InvalidationEvent(r.seq(), r.cache(), keys, "node-1"));
        }
        assertThat(store.tokens().find(T1)).isEmpty();
        assertThat(store.users().findUser("bob")).isEmpty();
        assertThat(store.roles().findRole("r1")).isEmpty();
        assertThat(store.apiKeys().findApiKey("k1")).hasValueSatisfying(k -> assertThat(k.invalidated()).isTrue());
    }

    @Test
    void whenTheEventCannotBeWrittenTheChangeIsNotStoredEither() throws Exception {
        seed();
        List<Revocation> made = new ArrayList<>();
        execute("ALTER TABLE invalidations RENAME TO invalidations_away");
        try {
            for (Consumer<Store> write : revokingWrites(made)) {
                assertThatThrownBy(() -> write.accept(store)).isInstanceOf(StoreException.class);
            }
        } finally {
            execute("ALTER TABLE invalidations_away RENAME TO invalidations");
        }
        assertThat(made).hasSize(7).allSatisfy(r -> assertThat(r.seq()).isZero());
        assertThat(store.cluster().invalidationsAfter(0, 10)).isEmpty();
        assertThat(store.tokens().find(T1)).isPresent();
        assertThat(store.users().findUser("bob")).contains(BOB);
        assertThat(store.roles().findRole("r1")).contains(ROLE);
        assertThat(store.apiKeys().findApiKey("k1")).hasValueSatisfying(k -> {
            assertThat(k.invalidated()).isFalse();
            assertThat(k).isEqualTo(apiKey("k1")); // the update did not stay either
        });
    }

    @Test
    void invalidatingNoApiKeyWritesNoEvent() {
        Revocation r = revocation("api_keys", List.of("missing"));
        assertThat(store.apiKeys().invalidateApiKeys(List.of("missing"), 7, r)).isEmpty();
        assertThat(r.seq()).isZero();
        assertThat(store.cluster().lastInvalidation()).isZero();
    }

    @Test
    void aRevokingWriteWakesTheStoresListener() throws Exception {
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            store.roles().deleteRole("none", revocation("roles", List.of("none")));
        });
        long t0 = System.nanoTime();
        writer.start();
        store.cluster().awaitPublish(20_000);
        writer.join();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    /** Revoking writes and plain publishes from two stores: a reader following the log still never skips an event. */
    @Test
    void aReaderFollowingTheLogDuringConcurrentRevokingWritesSeesEveryEvent() throws Exception {
        Store other = another();
        LogFollower follower = new LogFollower(store);
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Store s = i % 2 == 0 ? store : other;
            String name = "role-" + (i % 4);
            if (i % 3 == 0) {
                tasks.add(() -> s.cluster().publish("roles", null, "n", 1));
            } else {
                tasks.add(() -> {
                    Revocation r = revocation("roles", List.of(name));
                    s.roles().putRole(new RoleRecord(name, "{}"), r);
                    return r.seq();
                });
            }
        }
        List<Long> published = race(tasks);
        assertThat(follower.stop()).containsExactlyInAnyOrderElementsOf(published);
    }
}
