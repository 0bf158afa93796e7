package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

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
        return CompletableFuture.runAsync(() -> {
            TokenRecord record = record(token, creatorJson, expiresAtMillis, metadataJson);
            try {
                repository.insert(record);
            } catch (DuplicateTokenException e) {
                throw new CompletionException(e);
            }
        }, worker);
    }

    /** A new token's record: the secret hashed (slow: call on the worker), created now. */
    private TokenRecord record(ServiceAccountToken token, String creatorJson, Long expiresAtMillis, String metadataJson) {
        String hash = hasher.hash(token.secret());
        return new TokenRecord(token.id(), hash, clock.millis(), versionId, creatorJson).withLifecycle(expiresAtMillis, metadataJson);
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
