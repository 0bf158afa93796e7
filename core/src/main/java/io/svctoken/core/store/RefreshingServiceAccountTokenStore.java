package io.svctoken.core.store;

import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A decorator for stores fed by a source that changes outside the node (the {@code service_tokens}
 * file, which the CLI writes and the node polls): when a token fails, the source re-reads what changed
 * and, if the content the store holds is newer than what the failed attempt started with, the token is
 * tried once more. A token just created or rewritten with the CLI therefore works on its first use, also
 * when the poller read the change while the attempt checked the old hash; a success costs nothing.
 */
public final class RefreshingServiceAccountTokenStore implements ServiceAccountTokenStore {

    private final ServiceAccountTokenStore delegate;
    private final LongSupplier generation;
    private final Supplier<CompletableFuture<?>> refresh;

    /**
     * @param generation how many times the delegate took in new content of the source; raised after the
     *                   content is in place, never lowered
     * @param refresh    re-reads the source if it changed; it runs off the caller's thread (it may touch
     *                   the file system)
     */
    public RefreshingServiceAccountTokenStore(ServiceAccountTokenStore delegate, LongSupplier generation,
                                              Supplier<CompletableFuture<?>> refresh) {
        this.delegate = delegate;
        this.generation = generation;
        this.refresh = refresh;
    }

    @Override
    public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
        long seen = generation.getAsLong(); // before the attempt reads the store's content
        return delegate.authenticate(token).thenCompose(first -> first.success()
                ? CompletableFuture.completedFuture(first)
                : refresh.get().thenCompose(v -> generation.getAsLong() != seen ? delegate.authenticate(token)
                        : CompletableFuture.completedFuture(first)));
    }

    @Override
    public boolean mayContain(TokenId id) {
        return delegate.mayContain(id);
    }
}
