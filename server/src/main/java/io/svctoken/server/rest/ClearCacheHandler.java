package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenNames;
import io.svctoken.server.NodeIdentity;
import io.svctoken.server.ServiceTokens;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.Json;
import io.svctoken.server.cluster.NodesHeader;
import io.svctoken.core.EsMessages;
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

    private final long ackTimeoutMillis;

    public ClearCacheHandler(ServiceTokens tokens, Authorizer authorizer, NodeIdentity identity, long ackTimeoutMillis) {
        this.ackTimeoutMillis = ackTimeoutMillis;
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
        return tokens.clearCache(account, all ? null : names).thenApply(ack -> {
            ObjectNode o = Json.object();
            NodesHeader.put(o, Math.max(1, ack.total()), ack.failed(), EsMessages.CLEAR_SECURITY_CACHE_ACTION, ack.seq(), ackTimeoutMillis);
            o.put("cluster_name", identity.clusterName());
            ObjectNode nodes = o.putObject("nodes");
            if (ack.total() == 0) {
                nodes.putObject(identity.nodeId()).put("name", identity.nodeName()); // no cluster service: this node alone
            }
            ack.successful().forEach(n -> nodes.putObject(n.nodeId()).put("name", n.nodeName()));
            return RestResponse.ok(o);
        });
    }
}
