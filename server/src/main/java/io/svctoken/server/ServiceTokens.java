package io.svctoken.server;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.IndexServiceAccountTokenStore;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.util.List;
import java.util.Map;
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
    private final Function<ServiceAccountId, Map<String, List<String>>> fileTokens;

    /**
     * @param fileTokens file token names of an account, each with the sorted node names holding it
     */
    public ServiceTokens(BuiltinServiceAccounts accounts, IndexServiceAccountTokenStore indexStore,
                         CachingServiceAccountTokenStore indexCache, List<CachingServiceAccountTokenStore> allCaches,
                         Function<ServiceAccountId, Map<String, List<String>>> fileTokens) {
        this.accounts = accounts;
        this.indexStore = indexStore;
        this.indexCache = indexCache;
        this.allCaches = List.copyOf(allCaches);
        this.fileTokens = fileTokens;
    }

    public BuiltinServiceAccounts accounts() {
        return accounts;
    }

    /** Stores a new token; the future fails with DuplicateTokenException when the name is taken. */
    public CompletableFuture<Void> create(ServiceAccountToken token, String creatorJson) {
        return indexStore.create(token, creatorJson);
    }

    /** Deletes an index token and clears its cache entry (whether or not it was found). */
    public CompletableFuture<Boolean> delete(TokenId id) {
        if (!accounts.isKnown(id.accountId())) {
            return CompletableFuture.completedFuture(false);
        }
        return indexStore.delete(id).whenComplete((found, e) -> indexCache.invalidate(id.qualifiedName()));
    }

    public CompletableFuture<List<String>> indexTokenNames(ServiceAccountId account) {
        return indexStore.tokenNames(account);
    }

    public Map<String, List<String>> fileTokenNames(ServiceAccountId account) {
        return fileTokens.apply(account);
    }

    /** Clears both caches: every token of the account when {@code names} is null, else the named ones. */
    public void clearCache(ServiceAccountId account, List<String> names) {
        String prefix = account.asPrincipal() + "/";
        for (CachingServiceAccountTokenStore cache : allCaches) {
            if (names == null) {
                cache.invalidatePrefix(prefix);
            } else {
                names.forEach(n -> cache.invalidate(prefix + n));
            }
        }
    }
}
