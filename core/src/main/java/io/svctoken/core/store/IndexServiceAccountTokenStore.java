package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
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
                .map(r -> Hasher.verifyHash(token.secret(), r.passwordHash()))
                .map(ok -> StoreAuthenticationResult.of(ok, TokenSource.INDEX))
                .orElse(StoreAuthenticationResult.failure(TokenSource.INDEX)), worker);
    }

    /**
     * Stores a new token's hash. Completes exceptionally with {@link DuplicateTokenException} when
     * the name is taken, or {@link StoreException} when the store fails.
     */
    public CompletableFuture<Void> create(ServiceAccountToken token, String creatorJson) {
        return CompletableFuture.runAsync(() -> {
            String hash = hasher.hash(token.secret());
            TokenRecord record = new TokenRecord(token.id(), hash, clock.millis(), versionId, creatorJson);
            try {
                repository.insert(record);
            } catch (DuplicateTokenException e) {
                throw new CompletionException(e);
            }
        }, worker);
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
}
