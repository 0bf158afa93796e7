package io.svctoken.server;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.server.cluster.ClusterService;
import io.svctoken.server.cluster.Invalidations;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.IndexServiceAccountTokenStore;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The service-token operations behind the REST API, over the token stores and their caches.
 * Cache names follow Elasticsearch: {@code index_service_account_token}, {@code file_service_account_token}.
 */
public final class ServiceTokens {

    private final BuiltinServiceAccounts accounts;
    private final IndexServiceAccountTokenStore indexStore;
    private final CachingServiceAccountTokenStore indexCache;
    private final List<CachingServiceAccountTokenStore> allCaches;
    private final Function<ServiceAccountId, NodesCredentials> fileTokens;
    private final Invalidations invalidations;

    /**
     * The file tokens of an account over the nodes: every registered node counts in {@code total}; the
     * failed (silent) ones are in {@code failures} and their tokens are missing.
     *
     * @param fileTokens each token name with the sorted names of the nodes holding it
     */
    public record NodesCredentials(int total, List<ClusterService.Failure> failures, Map<String, List<String>> fileTokens) {
    }

    /** One node alone: {@code fileTokens} are file token names of an account, each with the sorted node names holding it. */
    public ServiceTokens(BuiltinServiceAccounts accounts, IndexServiceAccountTokenStore indexStore,
                         CachingServiceAccountTokenStore indexCache, List<CachingServiceAccountTokenStore> allCaches,
                         Function<ServiceAccountId, Map<String, List<String>>> fileTokens) {
        this(accounts, indexStore, indexCache, allCaches, a -> new NodesCredentials(1, List.of(), fileTokens.apply(a)), Invalidations.none());
    }

    public ServiceTokens(BuiltinServiceAccounts accounts, IndexServiceAccountTokenStore indexStore,
                         CachingServiceAccountTokenStore indexCache, List<CachingServiceAccountTokenStore> allCaches,
                         Function<ServiceAccountId, NodesCredentials> fileTokens, Invalidations invalidations) {
        this.accounts = accounts;
        this.indexStore = indexStore;
        this.indexCache = indexCache;
        this.allCaches = List.copyOf(allCaches);
        this.fileTokens = fileTokens;
        this.invalidations = invalidations;
    }

    public BuiltinServiceAccounts accounts() {
        return accounts;
    }

    /**
     * Creates and stores a token named {@code id} with a new secret (prepared ahead: see
     * {@link IndexServiceAccountTokenStore#createNew}); completes with the token, whose secret the caller answers with
     * and closes. Fails with DuplicateTokenException when the name is taken.
     */
    public CompletableFuture<ServiceAccountToken> createNew(TokenId id, String creatorJson) {
        return indexStore.createNew(id, creatorJson);
    }

    /** Stores a new token; the future fails with DuplicateTokenException when the name is taken. */
    public CompletableFuture<Void> create(ServiceAccountToken token, String creatorJson) {
        return indexStore.create(token, creatorJson);
    }

    /**
     * Deletes an index token and clears its cache entry (whether or not it was found), here at once and then
     * on every node: completes once every live node applied that (nodes that did not are logged).
     */
    public CompletableFuture<Boolean> delete(TokenId id) {
        // the built-in namespace (any case) holds only the built-in accounts; the token delete of any other (user-managed)
        // namespace never checks that the account exists (a forced account delete leaves its tokens to delete)
        if (io.svctoken.core.account.UserManagedServiceAccounts.isBuiltInNamespace(id.accountId().namespace()) && !accounts.isKnown(id.accountId())) {
            return CompletableFuture.completedFuture(false);
        }
        // the event commits with the delete (or neither does)
        Revocation revocation = invalidations.revocation(InvalidationBus.SERVICE_TOKENS, List.of(id.qualifiedName()));
        return indexStore.delete(id, revocation).whenComplete((found, e) -> indexCache.invalidate(id.qualifiedName()))
                .thenCompose(found -> invalidations.acknowledged(revocation).thenApply(ack -> found));
    }

    public CompletableFuture<List<String>> indexTokenNames(ServiceAccountId account) {
        return indexStore.tokenNames(account);
    }

    /** The file tokens of every live node (read from the node registry, off the caller's thread). */
    public CompletableFuture<NodesCredentials> fileTokenNames(ServiceAccountId account) {
        return CompletableFuture.supplyAsync(() -> fileTokens.apply(account), invalidations.executor());
    }

    /**
     * Clears both caches, here at once and then on every node: every token of the account when {@code names}
     * is null, else the named ones. Completes with the nodes' answers.
     */
    public CompletableFuture<ClusterService.Ack> clearCache(ServiceAccountId account, List<String> names) {
        String prefix = account.asPrincipal() + "/";
        List<String> keys = names == null ? List.of(prefix) : names.stream().map(n -> prefix + n).toList();
        applyInvalidation(keys);
        return invalidations.publish(InvalidationBus.SERVICE_TOKENS, keys);
    }

    /**
     * The {@code service_tokens} subscriber: a key ending in {@code /} is an account's prefix, any other a
     * qualified token name; null clears both caches.
     */
    public void applyInvalidation(List<String> keys) {
        for (CachingServiceAccountTokenStore cache : allCaches) {
            if (keys == null) {
                cache.invalidateAll();
                continue;
            }
            for (String k : keys) {
                if (k.endsWith("/")) {
                    cache.invalidatePrefix(k);
                } else {
                    cache.invalidate(k);
                }
            }
        }
    }

    // ------------------------------------------------------------------ lifecycle (svctoken's own endpoints)

    /** Stores a new token with its lifecycle data; fails with DuplicateTokenException when the name is taken. */
    public CompletableFuture<Void> create(ServiceAccountToken token, String creatorJson, Long expiresAtMillis, String metadataJson) {
        return indexStore.create(token, creatorJson, expiresAtMillis, metadataJson);
    }

    /** Index tokens of an account with their lifecycle, sorted by name. */
    public CompletableFuture<List<TokenRecord>> indexTokens(ServiceAccountId account) {
        return indexStore.tokens(account);
    }

    public CompletableFuture<Optional<TokenRecord>> indexToken(TokenId id) {
        return indexStore.find(id);
    }

    /**
     * Enables or disables an index token and clears its cache entry, here at once and then on every node, as a delete
     * does: completes (with whether the token exists) once every live node applied that.
     */
    public CompletableFuture<Boolean> setEnabled(TokenId id, boolean enabled) {
        Revocation revocation = invalidations.revocation(InvalidationBus.SERVICE_TOKENS, List.of(id.qualifiedName()));
        return indexStore.setEnabled(id, enabled, revocation).whenComplete((found, e) -> indexCache.invalidate(id.qualifiedName()))
                .thenCompose(found -> invalidations.acknowledged(revocation).thenApply(ack -> found));
    }

    /**
     * Rotation: stores {@code successor} and puts {@code old} on its grace period in one transaction, then clears the
     * old token's cache entry everywhere (cached successes carry the expiry they were cached with).
     */
    public CompletableFuture<Optional<TokenRecord>> rotate(TokenId old, long oldExpiresAtMillis, ServiceAccountToken successor,
                                                           String creatorJson, Long expiresAtMillis, String metadataJson) {
        Revocation revocation = invalidations.revocation(InvalidationBus.SERVICE_TOKENS, List.of(old.qualifiedName()));
        return indexStore.rotate(old, oldExpiresAtMillis, successor, creatorJson, expiresAtMillis, metadataJson, revocation)
                .whenComplete((r, e) -> indexCache.invalidate(old.qualifiedName()))
                .thenCompose(r -> invalidations.acknowledged(revocation).thenApply(ack -> r));
    }
}
