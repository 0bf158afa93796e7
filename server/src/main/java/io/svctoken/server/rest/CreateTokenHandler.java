package io.svctoken.server.rest;

import io.svctoken.core.Futures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TimeBasedIds;
import io.svctoken.server.NodeIdentity;
import io.svctoken.server.ServiceTokens;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.concurrent.CompletableFuture;

/** {@code POST|PUT .../credential/token/{name}} and {@code POST .../credential/token} (rest-api §1.2). */
public final class CreateTokenHandler extends WriteHandler {

    private final ServiceTokens tokens;
    private final Authorizer authorizer;
    private final NodeIdentity identity;

    public CreateTokenHandler(ServiceTokens tokens, Authorizer authorizer, NodeIdentity identity) {
        this.tokens = tokens;
        this.authorizer = authorizer;
        this.identity = identity;
    }

    @Override
    public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
        String name = request.param("name");
        if (name == null || name.isEmpty()) {
            name = TimeBasedIds.newTokenName();
        }
        ServiceAccountId account = RestSupport.validateTokenRequest(request.param("namespace"), request.param("service"), name);
        authorizer.authorize(authentication, Actions.CREATE_SERVICE_TOKEN);
        if (!tokens.accounts().isKnown(account)) {
            throw EsErrors.illegalArgument(EsMessages.accountDoesNotExist(account.asPrincipal()));
        }
        ServiceAccountToken token = ServiceAccountToken.newToken(account, name);
        return tokens.create(token, io.svctoken.core.authc.Creator.of(authentication).toString()).handle((ok, error) -> {
            try {
                if (error != null) {
                    Throwable cause = Futures.unwrap(error);
                    if (cause instanceof DuplicateTokenException d) {
                        throw EsErrors.duplicateToken(d.tokenId(), identity.indexUuid());
                    }
                    throw EsErrors.storeUnavailable(cause);
                }
                ObjectNode o = Json.object();
                o.put("created", true);
                ObjectNode t = o.putObject("token");
                t.put("name", token.tokenName());
                t.put("value", token.asBearer().revealAsString());
                return RestResponse.ok(o);
            } finally {
                token.close();
            }
        });
    }
}
