package io.svctoken.server.http;

import io.svctoken.core.authc.Authentication;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One endpoint. Handlers never block the caller: slow work goes to the worker pool. */
public interface RestHandler {

    /** Query parameters this endpoint reads (besides its path parameters and the global ones). */
    default Set<String> params() {
        return Set.of();
    }

    /**
     * Parses this endpoint's own parameters before the unrecognized-parameter check, as
     * Elasticsearch's handlers do (so a bad {@code refresh} value is reported first).
     */
    default void prepare(RestRequest request) {
    }

    CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication);
}
