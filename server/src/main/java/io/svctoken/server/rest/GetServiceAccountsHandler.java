package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccount;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.concurrent.CompletableFuture;

/** {@code GET /_security/service[/{namespace}[/{service}]]}: filters the built-in accounts; unknown ones give {@code {}}. */
public final class GetServiceAccountsHandler implements RestHandler {

    private final BuiltinServiceAccounts accounts;
    private final Authorizer authorizer;

    public GetServiceAccountsHandler(BuiltinServiceAccounts accounts, Authorizer authorizer) {
        this.accounts = accounts;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
        authorizer.authorize(authentication, Actions.GET_SERVICE_ACCOUNT);
        String namespace = request.param("namespace");
        String service = request.param("service");
        ObjectNode out = Json.object();
        for (ServiceAccount a : accounts.all()) {
            if ((namespace == null || namespace.equals(a.id().namespace())) && (service == null || service.equals(a.id().serviceName()))) {
                out.putObject(a.principal()).set("role_descriptor", a.roleDescriptor().toDisplayJson());
            }
        }
        return CompletableFuture.completedFuture(RestResponse.ok(out));
    }
}
