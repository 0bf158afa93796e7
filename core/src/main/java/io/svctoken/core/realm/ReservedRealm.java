package io.svctoken.core.realm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.StoredJson;
import io.svctoken.core.authc.User;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;
import io.svctoken.core.user.PasswordGenerator;
import io.svctoken.core.user.ReservedUsers;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Elasticsearch's reserved users ({@code elastic}, {@code kibana_system}, ...), their fixed roles, and
 * their password hashes kept in the store. A reserved user whose password was never set cannot log
 * in (except {@code elastic}, whose password is set on first start).
 */
public final class ReservedRealm extends CachingRealm {

    public static final String ELASTIC = "elastic";
    /** Length of a generated elastic password (as Elasticsearch generates it on a first start). */
    static final int PASSWORD_LENGTH = 20;

    private final UserRepository users;
    private final Executor worker;

    public ReservedRealm(UserRepository users, Executor worker, RealmCacheConfig cache) {
        this(users, worker, cache, () -> true);
    }

    /** @param cacheUsable false while cached logins must not answer (a node that may have missed invalidations) */
    public ReservedRealm(UserRepository users, Executor worker, RealmCacheConfig cache,
                         BooleanSupplier cacheUsable) {
        super(new CredentialCache(cache, cacheUsable));
        this.users = users;
        this.worker = worker;
    }

    public static boolean isReserved(String username) {
        return ReservedUsers.find(username).isPresent();
    }

    private static ReservedUsers.ReservedUser reserved(String username) {
        return ReservedUsers.find(username).orElseThrow(() -> new IllegalArgumentException("not a reserved user [" + username + "]"));
    }

    /**
     * On the first start, stores the elastic user with {@code bootstrapPassword} (from
     * {@code ELASTIC_PASSWORD}) or a generated one. Returns the generated password, to print once.
     */
    public static Optional<Secret> bootstrap(UserRepository users, Hasher passwordHasher, String bootstrapPassword) {
        if (users.findUser(ELASTIC).isPresent()) {
            return Optional.empty();
        }
        return bootstrap(users, firstPassword(passwordHasher, bootstrapPassword));
    }

    /**
     * As {@link #bootstrap(UserRepository, Hasher, String)}, with the password and its hash made before: a start that
     * knows it is a first one hashes while its store opens. Unused (the elastic user exists) it is only forgotten.
     */
    public static Optional<Secret> bootstrap(UserRepository users, FirstPassword first) {
        if (users.findUser(ELASTIC).isPresent()) {
            return Optional.empty();
        }
        boolean inserted = users.insertUserIfAbsent(record(ELASTIC, first.hash(), true));
        return inserted && first.generated() ? Optional.of(first.password()) : Optional.empty();
    }

    /** The elastic user's first password ({@code bootstrapPassword}, or a generated one) and its hash. */
    public static FirstPassword firstPassword(Hasher passwordHasher, String bootstrapPassword) {
        boolean generate = bootstrapPassword == null || bootstrapPassword.isEmpty();
        Secret password = generate ? PasswordGenerator.password(PASSWORD_LENGTH) : Secret.of(bootstrapPassword);
        return new FirstPassword(password, generate, passwordHasher.hash(password));
    }

    /** A first start's elastic password and its hash (neither shown by {@code toString()}). */
    public record FirstPassword(Secret password, boolean generated, String hash) {
        @Override
        public String toString() {
            return "FirstPassword[redacted]";
        }
    }


    /** The stored record of a reserved user (fixed roles and metadata). */
    public static UserRecord record(String username, String passwordHash, boolean enabled) {
        return new UserRecord(username, passwordHash, reserved(username).roles(), null, null, metadata(username).toString(), enabled);
    }

    private static ObjectNode metadata(String username) {
        return StoredJson.MAPPER.valueToTree(reserved(username).metadata());
    }

    /**
     * A first start's elastic password, remembered as a login that worked when the store holds exactly the hash made
     * from it (this node's bootstrap stored it; on a shared store another node's may have won, and then nothing is
     * remembered). The first request as elastic is then answered from the cache instead of paying for bcrypt again
     * moments after the password was hashed; invalidations treat the entry as any other login's.
     *
     * @return whether it was remembered
     */
    public boolean rememberFirstLogin(FirstPassword first) {
        Optional<UserRecord> stored = users.findUser(ELASTIC);
        if (stored.isEmpty() || !stored.get().enabled() || !first.hash().equals(stored.get().passwordHash())) {
            return false;
        }
        cache.put(ELASTIC, first.password(), userOf(stored, ELASTIC));
        return true;
    }

    /** The user as the APIs show it, whether or not its password was ever set. */
    public User userOf(Optional<UserRecord> stored, String username) {
        List<String> roles = reserved(username).roles();
        return stored.map(u -> new User(username, roles, null, null, metadata(username), u.enabled()))
                .orElseGet(() -> new User(username, roles, null, null, metadata(username), true));
    }

    @Override
    public RealmRef ref() {
        return RealmRef.RESERVED;
    }

    @Override
    public CompletableFuture<Result> authenticate(String username, Secret password) {
        if (!isReserved(username)) {
            return CompletableFuture.completedFuture(Result.NOT_FOUND);
        }
        return cache.authenticate(username, password, worker, users, r -> userOf(Optional.of(r), username));
    }

    @Override
    public CompletableFuture<Optional<User>> lookup(String username) {
        if (!isReserved(username)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> Optional.of(userOf(users.findUser(username), username)), worker);
    }
}
