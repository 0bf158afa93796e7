package io.svctoken.server.rest;

import io.svctoken.core.Futures;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenId;
import io.svctoken.server.ServiceTokens;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.concurrent.CompletableFuture;

/** {@code DELETE .../credential/token/{name}}: 200 {@code {"found":true}} or 404 {@code {"found":false}}. */
public final class DeleteTokenHandler extends WriteHandler {

    private final ServiceTokens tokens;
    private final Authorizer authorizer;

    public DeleteTokenHandler(ServiceTokens tokens, Authorizer authorizer) {
        this.tokens = tokens;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
        String name = request.param("name");
        ServiceAccountId account = RestSupport.validateTokenRequest(request.param("namespace"), request.param("service"), name);
        authorizer.authorize(authentication, Actions.DELETE_SERVICE_TOKEN);
        return tokens.delete(new TokenId(account, name)).handle((found, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                throw EsErrors.storeUnavailable(cause);
            }
            return RestResponse.of(found ? 200 : 404, Json.object().put("found", found));
        });
    }
}
