package io.svctoken.core.store;

import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;

import java.util.concurrent.CompletableFuture;

/**
 * Verifies service tokens. Implementations never block the calling thread: anything slow
 * (hash verification, I/O) runs on an executor they are given, and the answer arrives as a future.
 * A store failure (not a wrong secret) completes the future exceptionally.
 */
public interface ServiceAccountTokenStore {

    CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token);

    /**
     * False when this store surely holds no token {@code id} (a cheap in-memory check), so that
     * decorators can skip their bookkeeping; true when it might.
     */
    default boolean mayContain(TokenId id) {
        return true;
    }
}
