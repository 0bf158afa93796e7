package io.svctoken.core.realm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.authc.User;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.error.InvalidRequestException;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;
import io.svctoken.core.user.ReservedUsers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Changes to native and reserved users through the user APIs: store writes on the worker pool, and
 * the realms' credential caches cleared so that a change takes effect on the next request.
 */
public final class UserAdmin {

    private final UserRepository users;
    private final ReservedRealm reserved;
    private final List<Realm> realms;
    private final Hasher passwordHasher;
    private final Executor worker;
    private final Revocations cluster;

    public UserAdmin(UserRepository users, ReservedRealm reserved, List<Realm> realms, Hasher passwordHasher, Executor worker) {
        this(users, reserved, realms, passwordHasher, worker, Revocations.none());
    }

    /** @param cluster where a change is announced; each method completes once every live node applied it */
    public UserAdmin(UserRepository users, ReservedRealm reserved, List<Realm> realms, Hasher passwordHasher, Executor worker,
                     Revocations cluster) {
        this.cluster = cluster;
        this.users = users;
        this.reserved = reserved;
        this.realms = List.copyOf(realms);
        this.passwordHasher = passwordHasher;
        this.worker = worker;
    }

    public Hasher passwordHasher() {
        return passwordHasher;
    }

    /**
     * A hash given by the caller ({@code password_hash}) must be one a login can verify: of one of
     * Elasticsearch's stored-password algorithms (bcrypt, PBKDF2) and well formed. Elasticsearch checks
     * only the algorithm its prefix resolves to, and so stored hashes no password could match, or whose
     * check failed at every login; a malformed hash gets its error here.
     *
     * @throws InvalidRequestException an illegal argument, with Elasticsearch's message
     */
    public static String checkedHash(String hash) {
        boolean ok;
        try {
            Hasher resolved = Hasher.resolveFromHash(hash);
            ok = Hasher.passwordHashingNames().contains(resolved.name()) && resolved.isWellFormed(hash);
        } catch (IllegalArgumentException e) {
            ok = false; // an unreadable cost or iteration count, or one without an algorithm
        }
        if (!ok) {
            throw InvalidRequestException.illegalArgument(EsMessages.unsupportedPasswordHash(Hasher.passwordHashingNames()));
        }
        return hash;
    }

    /**
     * Creates or replaces a native user. {@code passwordHash} null keeps an existing user's password.
     * @return whether the user was created
     */
    public CompletableFuture<Boolean> putUser(String username, String passwordHash, List<String> roles, String fullName, String email,
                                              ObjectNode metadata, boolean enabled) {
        Revocation revocation = revocation(username);
        return CompletableFuture.supplyAsync(() -> {
            Optional<UserRecord> existing = users.findUser(username);
            String hash = passwordHash;
            if (hash == null) {
                hash = existing.map(UserRecord::passwordHash).orElseThrow(() ->
                        InvalidRequestException.validation(List.of(EsMessages.PASSWORD_MISSING_FOR_NEW_USER)));
            }
            users.putUser(new UserRecord(username, hash, roles, fullName, email, metadata.toString(), enabled), revocation);
            invalidate(username);
            return existing.isEmpty();
        }, worker).thenCompose(created -> acknowledged(revocation, created));
    }

    /** Users of the native and reserved realms, sorted; all of them when {@code names} is empty. */
    public CompletableFuture<List<User>> getUsers(List<String> names) {
        return CompletableFuture.supplyAsync(() -> {
            List<User> out = new ArrayList<>();
            for (ReservedUsers.ReservedUser r : ReservedUsers.users(null)) {
                if (names.isEmpty() || names.contains(r.username())) {
                    out.add(reserved.userOf(users.findUser(r.username()), r.username()));
                }
            }
            for (UserRecord u : users.listUsers()) {
                if (!ReservedRealm.isReserved(u.username()) && (names.isEmpty() || names.contains(u.username()))) {
                    out.add(User.from(u));
                }
            }
            return out;
        }, worker);
    }

    public CompletableFuture<Boolean> deleteUser(String username) {
        Revocation revocation = revocation(username);
        return CompletableFuture.supplyAsync(() -> {
            boolean found = users.deleteUser(username, revocation);
            invalidate(username);
            return found;
        }, worker).thenCompose(found -> acknowledged(revocation, found));
    }

    /** Sets a password: the reserved users get a record on their first password. */
    public CompletableFuture<Void> changePassword(String username, String newHash) {
        Revocation revocation = revocation(username);
        return CompletableFuture.runAsync(() -> {
            Optional<UserRecord> existing = users.findUser(username);
            if (ReservedRealm.isReserved(username)) {
                users.putUser(ReservedRealm.record(username, newHash, existing.map(UserRecord::enabled).orElse(true)), revocation);
            } else {
                UserRecord u = existing.orElseThrow(() -> InvalidRequestException.validation(List.of(EsMessages.USER_MUST_EXIST_TO_CHANGE_PASSWORD)));
                users.putUser(new UserRecord(u.username(), newHash, u.roles(), u.fullName(), u.email(), u.metadataJson(), u.enabled()),
                        revocation);
            }
            invalidate(username);
        }, worker).thenCompose(v -> acknowledged(revocation, v));
    }

    public CompletableFuture<Void> setEnabled(String username, boolean enabled) {
        Revocation revocation = revocation(username);
        return CompletableFuture.runAsync(() -> {
            Optional<UserRecord> existing = users.findUser(username);
            if (ReservedRealm.isReserved(username)) {
                users.putUser(ReservedRealm.record(username, existing.map(UserRecord::passwordHash).orElse(null), enabled), revocation);
            } else {
                UserRecord u = existing.orElseThrow(() -> InvalidRequestException.notFound(
                        "user [" + username + "] does not exist"));
                users.putUser(new UserRecord(u.username(), u.passwordHash(), u.roles(), u.fullName(), u.email(), u.metadataJson(), enabled),
                        revocation);
            }
            invalidate(username);
        }, worker).thenCompose(v -> acknowledged(revocation, v));
    }

    /** Hashes a new password on the worker pool (bcrypt is slow). */
    public CompletableFuture<String> hash(Secret password) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return passwordHasher.hash(password);
            } finally {
                password.wipe();
            }
        }, worker);
    }

    private void invalidate(String username) {
        realms.forEach(r -> r.invalidate(username));
    }

    /** The event that makes every node's realms forget the user, committed with the change to it. */
    private Revocation revocation(String username) {
        return cluster.revocation(InvalidationBus.ALL_REALMS, List.of(username));
    }

    /** Completes with {@code result} once every live node applied the change's event. */
    private <T> CompletableFuture<T> acknowledged(Revocation revocation, T result) {
        return cluster.acknowledged(revocation).thenApply(ack -> result);
    }
}
