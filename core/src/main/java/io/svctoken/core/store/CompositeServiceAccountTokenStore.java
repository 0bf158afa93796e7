package io.svctoken.core.store;

import io.svctoken.core.token.ServiceAccountToken;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Asks stores in order (the service_tokens file, then the index, as Elasticsearch does); the first success wins. */
public final class CompositeServiceAccountTokenStore implements ServiceAccountTokenStore {

    private final List<ServiceAccountTokenStore> stores;

    public CompositeServiceAccountTokenStore(List<ServiceAccountTokenStore> stores) {
        if (stores.isEmpty()) {
            throw new IllegalArgumentException("at least one store is required");
        }
        this.stores = List.copyOf(stores);
    }

    @Override
    public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
        return ask(0, token);
    }

    private CompletableFuture<StoreAuthenticationResult> ask(int i, ServiceAccountToken token) {
        return stores.get(i).authenticate(token).thenCompose(r ->
                r.success() || i == stores.size() - 1 ? CompletableFuture.completedFuture(r) : ask(i + 1, token));
    }
}
