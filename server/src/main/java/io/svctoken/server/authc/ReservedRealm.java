package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;
import io.svctoken.server.authz.BuiltinRoles;
import io.svctoken.server.http.Json;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The reserved {@code elastic} superuser, its password hash kept in the store. Successful logins are
 * cached as a cheap salted hash (like Elasticsearch's realm cache) so that each request does not
 * pay for bcrypt.
 */
public final class ReservedRealm {

    public static final String ELASTIC = "elastic";
    public static final String REALM = "reserved";
    /** Elasticsearch's alphabet for generated elastic passwords (cli-files-enrollment §7.5). */
    static final String PASSWORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_=+";
    static final int PASSWORD_LENGTH = 20;

    private record Cached(String hash, UserAuthentication authentication) {
    }

    private final UserRepository users;
    private final Executor worker;
    private final Hasher cacheHasher;
    private final Cache<String, Cached> cache;

    public ReservedRealm(UserRepository users, Executor worker, Hasher cacheHasher, Duration cacheTtl) {
        this.users = users;
        this.worker = worker;
        this.cacheHasher = cacheHasher;
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl.isZero() || cacheTtl.isNegative() ? Duration.ofNanos(1) : cacheTtl)
                .maximumSize(1000).build();
    }

    /**
     * On the first start, stores the elastic user with {@code bootstrapPassword} (from
     * {@code ELASTIC_PASSWORD}) or a generated one. Returns the generated password, to print once.
     */
    public static Optional<Secret> bootstrap(UserRepository users, Hasher passwordHasher, String bootstrapPassword) {
        if (users.findUser(ELASTIC).isPresent()) {
            return Optional.empty();
        }
        Secret password = bootstrapPassword != null && !bootstrapPassword.isEmpty()
                ? Secret.of(bootstrapPassword) : generatePassword(new SecureRandom());
        UserRecord record = new UserRecord(ELASTIC, passwordHasher.hash(password), List.of(BuiltinRoles.SUPERUSER),
                null, null, "{\"_reserved\":true}", true);
        boolean inserted = users.insertUserIfAbsent(record);
        return inserted && (bootstrapPassword == null || bootstrapPassword.isEmpty()) ? Optional.of(password) : Optional.empty();
    }

    static Secret generatePassword(SecureRandom random) {
        char[] c = new char[PASSWORD_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = PASSWORD_CHARS.charAt(random.nextInt(PASSWORD_CHARS.length()));
        }
        Secret s = Secret.copyOf(c);
        java.util.Arrays.fill(c, '\0');
        return s;
    }

    public boolean handles(String username) {
        return ELASTIC.equals(username);
    }

    /** Completes with the user, or empty when the password is wrong or the user is unknown/disabled. */
    public CompletableFuture<Optional<UserAuthentication>> authenticate(String username, Secret password) {
        Cached hit = cache.getIfPresent(username);
        if (hit != null && Hasher.verifyHash(password, hit.hash)) {
            return CompletableFuture.completedFuture(Optional.of(hit.authentication));
        }
        return CompletableFuture.supplyAsync(() -> {
            Optional<UserRecord> user = users.findUser(username);
            if (user.isEmpty() || !user.get().enabled() || !Hasher.verifyHash(password, user.get().passwordHash())) {
                cache.invalidate(username);
                return Optional.empty();
            }
            UserAuthentication authn = toAuthentication(user.get());
            cache.put(username, new Cached(cacheHasher.hash(password), authn));
            return Optional.of(authn);
        }, worker);
    }

    public void invalidate(String username) {
        cache.invalidate(username);
    }

    private static UserAuthentication toAuthentication(UserRecord u) {
        ObjectNode metadata;
        try {
            metadata = (ObjectNode) Json.MAPPER.readTree(u.metadataJson());
        } catch (Exception e) {
            metadata = Json.object();
        }
        return new UserAuthentication(u.username(), u.roles(), u.fullName(), u.email(), metadata, REALM, REALM,
                u.roles().stream().flatMap(r -> BuiltinRoles.find(r).stream()).toList());
    }
}
