package io.svctoken.server.rest;

import io.svctoken.core.authc.Authentication;
import io.svctoken.core.secret.Secret;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Who an OAuth2 access token given in a request body stands for (an API key's {@code access_token} grant). Empty: a
 * token this node cannot find or decode, which the grant refuses as Elasticsearch refuses such a bearer token.
 */
@FunctionalInterface
public interface AccessTokenResolver {

    /** No access tokens at all: every token is one this node cannot find. */
    AccessTokenResolver NONE = (token, runAs) -> {
        token.wipe();
        return CompletableFuture.completedFuture(Optional.empty());
    };

    /**
     * @param token the access token, wiped by the resolver
     * @param runAs the user to run as once the token's user is known (null: none)
     */
    CompletableFuture<Optional<Authentication>> resolve(Secret token, String runAs);
}
