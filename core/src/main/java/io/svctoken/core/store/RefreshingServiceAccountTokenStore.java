package io.svctoken.core.store;

import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A decorator for stores fed by a source that changes outside the node (the {@code service_tokens}
 * file, which the CLI writes and the node polls): when a token fails, the source is asked whether it
 * changed since it was last read and, if so, the token is tried once more. A token just created with
 * the CLI therefore works on its first use instead of after the next poll, and a success costs nothing.
 */
public final class RefreshingServiceAccountTokenStore implements ServiceAccountTokenStore {

    private final ServiceAccountTokenStore delegate;
    private final Supplier<CompletableFuture<Boolean>> refresh;

    /**
     * @param refresh re-reads the source if it changed, completing with whether it did; it runs off the
     *                caller's thread (it may touch the file system)
     */
    public RefreshingServiceAccountTokenStore(ServiceAccountTokenStore delegate, Supplier<CompletableFuture<Boolean>> refresh) {
        this.delegate = delegate;
        this.refresh = refresh;
    }

    @Override
    public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
        return delegate.authenticate(token).thenCompose(first -> first.success()
                ? CompletableFuture.completedFuture(first)
                : refresh.get().thenCompose(changed -> changed ? delegate.authenticate(token) : CompletableFuture.completedFuture(first)));
    }

    @Override
    public boolean mayContain(TokenId id) {
        return delegate.mayContain(id);
    }
}
