package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenNames;
import io.svctoken.server.NodeIdentity;
import io.svctoken.server.ServiceTokens;
import io.svctoken.server.authc.Authentication;
import io.svctoken.server.authz.Actions;
import io.svctoken.server.authz.Authorizer;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code POST .../credential/token/{name}/_clear_cache} (rest-api §1.5): comma list, or {@code *} / {@code _all}. */
public final class ClearCacheHandler implements RestHandler {

    private final ServiceTokens tokens;
    private final Authorizer authorizer;
    private final NodeIdentity identity;

    public ClearCacheHandler(ServiceTokens tokens, Authorizer authorizer, NodeIdentity identity) {
        this.tokens = tokens;
        this.authorizer = authorizer;
        this.identity = identity;
    }

    @Override
    public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
        ServiceAccountId account = RestSupport.accountId(request.param("namespace"), request.param("service"));
        List<String> names = Arrays.asList(request.param("name").split(",", -1));
        boolean all = names.size() == 1 && (names.get(0).equals("*") || names.get(0).equals("_all"));
        if (!all) {
            names.forEach(TokenNames::validate); // the first invalid name fails the request, as IllegalArgumentException
        }
        authorizer.authorize(authentication, Actions.CLEAR_SECURITY_CACHE);
        tokens.clearCache(account, all ? null : names);
        ObjectNode o = Json.object();
        Json.putSingleNodeHeader(o);
        o.put("cluster_name", identity.clusterName());
        o.putObject("nodes").putObject(identity.nodeId()).put("name", identity.nodeName());
        return CompletableFuture.completedFuture(RestResponse.ok(o));
    }
}
