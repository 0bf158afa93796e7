package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.token.SecretGenerator;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * API-created tokens ("index" tokens in Elasticsearch) over a {@link TokenRepository}. Hashing and
 * repository calls run on {@code worker}, never on the caller's thread.
 */
public final class IndexServiceAccountTokenStore implements ServiceAccountTokenStore {

    private final TokenRepository repository;
    private final Hasher hasher;
    private final Executor worker;
    private final Clock clock;
    private final int versionId;
    /**
     * The next {@link #createNew} creation's secret and hash, prepared on the worker beside the previous creation's
     * insert (null before the first creation, and while a creation has just taken it).
     */
    private final AtomicReference<CompletableFuture<Prepared>> ahead = new AtomicReference<>();

    /** A fresh secret and its hash, not yet any token's. */
    private record Prepared(Secret secret, String hash) {
        @Override
        public String toString() {
            return "Prepared[secret=redacted]";
        }
    }

    /**
     * @param hasher    for new tokens (setting {@code xpack.security.authc.service_token_hashing.algorithm});
     *                  verification always follows the stored hash's own prefix
     * @param versionId Elasticsearch-style version id written with each token
     */
    public IndexServiceAccountTokenStore(TokenRepository repository, Hasher hasher, Executor worker, Clock clock, int versionId) {
        this.repository = Objects.requireNonNull(repository);
        this.hasher = Objects.requireNonNull(hasher);
        this.worker = Objects.requireNonNull(worker);
        this.clock = Objects.requireNonNull(clock);
        this.versionId = versionId;
    }

    @Override
    public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
        return CompletableFuture.supplyAsync(() -> repository.find(token.id())
                .map(r -> verdict(r, Hasher.verifyHash(token.secret(), r.passwordHash())))
                .orElse(StoreAuthenticationResult.failure(TokenSource.INDEX)), worker);
    }

    /** A token's state is told only to the holder of its secret: a wrong secret is a plain failure. */
    private StoreAuthenticationResult verdict(TokenRecord r, boolean secretMatches) {
        if (!secretMatches) {
            return StoreAuthenticationResult.failure(TokenSource.INDEX);
        }
        if (!r.enabled()) {
            return StoreAuthenticationResult.refused(TokenSource.INDEX, StoreAuthenticationResult.Refusal.DISABLED);
        }
        if (r.expiredAt(clock.millis())) {
            return StoreAuthenticationResult.refused(TokenSource.INDEX, StoreAuthenticationResult.Refusal.EXPIRED);
        }
        return StoreAuthenticationResult.success(TokenSource.INDEX,
                r.expiresAtMillis() == null ? StoreAuthenticationResult.NEVER : r.expiresAtMillis());
    }

    /**
     * Stores a new token's hash. Completes exceptionally with {@link DuplicateTokenException} when
     * the name is taken, or {@link StoreException} when the store fails.
     */
    public CompletableFuture<Void> create(ServiceAccountToken token, String creatorJson) {
        return create(token, creatorJson, null, null);
    }

    /**
     * As {@link #create(ServiceAccountToken, String)}, with svctoken's lifecycle data.
     *
     * @param expiresAtMillis null: never expires
     * @param metadataJson    a JSON object, or null
     */
    public CompletableFuture<Void> create(ServiceAccountToken token, String creatorJson, Long expiresAtMillis, String metadataJson) {
        return CompletableFuture.runAsync(() -> insert(record(token, creatorJson, expiresAtMillis, metadataJson)), worker);
    }

    /**
     * Creates a token named {@code id} with a new secret and stores its hash; completes with the token (its secret is
     * the caller's to answer with and close) once the insert committed. Fails with {@link DuplicateTokenException}
     * when the name is taken, or {@link StoreException} when the store fails.
     *
     * <p>Why the secret comes from here: the secret and its hash are prepared ahead, one creation in advance. Each
     * creation takes the prepared pair and, beside its insert, has the next pair prepared on the worker (after the
     * insert when the worker has one thread), so that sequential creations overlap one's PBKDF2 with the rest of the
     * previous one (the durable insert, the answer, the next request) instead of adding them up. The first creation
     * hashes at once; a prepared secret is no credential until a creation stores its hash under a name.
     */
    public CompletableFuture<ServiceAccountToken> createNew(TokenId id, String creatorJson) {
        Objects.requireNonNull(id, "id");
        CompletableFuture<Prepared> mine = ahead.getAndSet(null);
        if (mine == null) {
            return CompletableFuture.supplyAsync(() -> store(id, prepare(), creatorJson), worker);
        }
        return mine.thenApplyAsync(p -> store(id, p, creatorJson), worker);
    }

    private Prepared prepare() {
        Secret secret = SecretGenerator.newSecret();
        return new Prepared(secret, hasher.hash(secret));
    }

    /** Runs on the worker: has the next pair prepared, then inserts this one's record. */
    private ServiceAccountToken store(TokenId id, Prepared p, String creatorJson) {
        prepareAhead();
        ServiceAccountToken token = new ServiceAccountToken(id, p.secret());
        try {
            insert(record(id, p.hash(), creatorJson, null, null));
            return token;
        } catch (RuntimeException | Error e) {
            token.close();
            throw e;
        }
    }

    /** Inserts {@code record}; a taken name fails the caller's future with {@link DuplicateTokenException} itself. */
    private void insert(TokenRecord record) {
        try {
            repository.insert(record);
        } catch (DuplicateTokenException e) {
            throw new CompletionException(e);
        }
    }

    private void prepareAhead() {
        CompletableFuture<Prepared> next = new CompletableFuture<>();
        if (!ahead.compareAndSet(null, next)) {
            return; // another creation already has one prepared
        }
        try {
            worker.execute(() -> {
                try {
                    next.complete(prepare());
                } catch (RuntimeException | Error e) {
                    next.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            ahead.compareAndSet(next, null); // the worker is full: the next creation hashes its own
        }
    }

    /** A new token's record: the secret hashed (slow: call on the worker), created now. */
    private TokenRecord record(ServiceAccountToken token, String creatorJson, Long expiresAtMillis, String metadataJson) {
        return record(token.id(), hasher.hash(token.secret()), creatorJson, expiresAtMillis, metadataJson);
    }

    /** A new token's record from its secret's hash, created now. */
    private TokenRecord record(TokenId id, String hash, String creatorJson, Long expiresAtMillis, String metadataJson) {
        return new TokenRecord(id, hash, clock.millis(), versionId, creatorJson).withLifecycle(expiresAtMillis, metadataJson);
    }

    public CompletableFuture<Boolean> delete(TokenId id) {
        return delete(id, null);
    }

    /** Deletes and appends {@code revocation}'s event (null: none) in the same transaction; see {@link TokenRepository#delete(TokenId, Revocation)}. */
    public CompletableFuture<Boolean> delete(TokenId id, Revocation revocation) {
        return CompletableFuture.supplyAsync(() -> repository.delete(id, revocation), worker);
    }

    public CompletableFuture<List<String>> tokenNames(ServiceAccountId account) {
        return CompletableFuture.supplyAsync(() -> repository.tokenNames(account), worker);
    }

    /** Tokens of an account with their lifecycle, sorted by name. */
    public CompletableFuture<List<TokenRecord>> tokens(ServiceAccountId account) {
        return CompletableFuture.supplyAsync(() -> repository.list(account), worker);
    }

    public CompletableFuture<Optional<TokenRecord>> find(TokenId id) {
        return CompletableFuture.supplyAsync(() -> repository.find(id), worker);
    }

    /** @return whether the token exists; {@code revocation}'s event commits with the change */
    public CompletableFuture<Boolean> setEnabled(TokenId id, boolean enabled, Revocation revocation) {
        return CompletableFuture.supplyAsync(() -> repository.setEnabled(id, enabled, revocation), worker);
    }

    /**
     * Stores {@code successor} and puts {@code old} on its grace period (until {@code oldExpiresAtMillis}, or its
     * own sooner expiry) in one transaction. Completes with the old token as it is now (empty: no such token,
     * nothing stored), or exceptionally with {@link DuplicateTokenException} when the successor's name is taken.
     */
    public CompletableFuture<Optional<TokenRecord>> rotate(TokenId old, long oldExpiresAtMillis, ServiceAccountToken successor,
                                                           String creatorJson, Long expiresAtMillis, String metadataJson,
                                                           Revocation revocation) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return repository.rotate(old, oldExpiresAtMillis, record(successor, creatorJson, expiresAtMillis, metadataJson), revocation);
            } catch (DuplicateTokenException e) {
                throw new CompletionException(e);
            }
        }, worker);
    }
}
