package io.svctoken.server.rest;

import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.concurrent.CompletableFuture;

/** {@code GET /_security/_authenticate}: needs no privilege. */
public final class AuthenticateHandler implements RestHandler {

    private final Authorizer authorizer;

    public AuthenticateHandler(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
        authorizer.authorizeRunAs(authentication, Actions.AUTHENTICATE);
        return CompletableFuture.completedFuture(RestResponse.ok(io.svctoken.server.render.AuthenticationJson.authenticate(authentication)));
    }
}
