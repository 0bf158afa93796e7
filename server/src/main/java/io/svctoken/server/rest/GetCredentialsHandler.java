package io.svctoken.server.rest;

import io.svctoken.core.Futures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.server.ServiceTokens;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;
import io.svctoken.server.cluster.NodesHeader;
import io.svctoken.core.EsMessages;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code GET .../credential} (rest-api §1.4): index tokens sorted, file tokens per node; no account check. */
public final class GetCredentialsHandler implements RestHandler {

    private final ServiceTokens tokens;
    private final Authorizer authorizer;

    public GetCredentialsHandler(ServiceTokens tokens, Authorizer authorizer) {
        this.tokens = tokens;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
        ServiceAccountId account = RestSupport.accountId(request.param("namespace"), request.param("service"));
        authorizer.authorize(authentication, Actions.GET_SERVICE_ACCOUNT_CREDENTIALS);
        return tokens.indexTokenNames(account).thenCombine(tokens.fileTokenNames(account), (names, nodes) -> {
            Map<String, List<String>> fileTokens = nodes.fileTokens();
            ObjectNode o = Json.object();
            o.put("service_account", account.asPrincipal());
            o.put("count", names.size() + fileTokens.size());
            ObjectNode t = o.putObject("tokens");
            names.forEach(n -> t.putObject(n));
            ObjectNode nc = o.putObject("nodes_credentials");
            NodesHeader.put(nc, nodes.total(), nodes.failures(), EsMessages.GET_SERVICE_ACCOUNT_NODES_CREDENTIALS_ACTION, 0, 0);
            ObjectNode ft = nc.putObject("file_tokens");
            fileTokens.forEach((name, nodeNames) -> nodeNames.forEach(ft.putObject(name).putArray("nodes")::add));
            return RestResponse.ok(o);
        }).exceptionally(error -> {
            throw EsErrors.storeUnavailable(Futures.unwrap(error));
        });
    }
}
