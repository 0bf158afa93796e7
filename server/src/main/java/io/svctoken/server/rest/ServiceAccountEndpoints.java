package io.svctoken.server.rest;

import io.svctoken.server.ServerEsMessages;
import io.svctoken.core.authc.Creator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.EsMessages;
import io.svctoken.core.Futures;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccount;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TimeBasedIds;
import io.svctoken.core.token.TokenId;
import io.svctoken.core.token.TokenNames;
import io.svctoken.server.NodeIdentity;
import io.svctoken.server.ServiceTokens;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.server.cluster.NodesHeader;
import io.svctoken.server.audit.Changes;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;
import static io.svctoken.server.http.Router.Method.PUT;

/** The service account APIs: accounts, their tokens and credentials, and the token cache. */
public final class ServiceAccountEndpoints {

    private static final String SVC = "/_security/service";
    private static final String TOKEN = SVC + "/{namespace}/{service}/credential/token";

    private final BuiltinServiceAccounts accounts;
    private final ServiceTokens tokens;
    private final NodeIdentity identity;
    private final long ackTimeoutMillis;

    public ServiceAccountEndpoints(BuiltinServiceAccounts accounts, ServiceTokens tokens, NodeIdentity identity, long ackTimeoutMillis) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.identity = identity;
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(GET, SVC, SVC + "/{namespace}", SVC + "/{namespace}/{service}")
                        .parse(r -> new AccountFilter(r.param("namespace"), r.param("service")))
                        .access(Access.action(Actions.GET_SERVICE_ACCOUNT))
                        .execute((req, authn) -> Endpoint.done(getAccounts(req))),
                Endpoint.on(Set.of(POST, PUT), TOKEN + "/{name}").on(POST, TOKEN)
                        .params(Param.refresh())
                        .parse(TokenRequest::create)
                        .access(Access.action(Actions.CREATE_SERVICE_TOKEN))
                        .changes((req, authn, reply) -> Changes.createServiceToken(req.namespace(), req.service(), req.name()))
                        .execute(this::createToken),
                Endpoint.on(DELETE, TOKEN + "/{name}")
                        .params(Param.refresh())
                        .parse(TokenRequest::delete)
                        .access(Access.action(Actions.DELETE_SERVICE_TOKEN))
                        .changes((req, authn, reply) -> Changes.deleteServiceToken(req.namespace(), req.service(), req.name()))
                        .execute((req, authn) -> deleteToken(req)),
                Endpoint.on(GET, SVC + "/{namespace}/{service}/credential")
                        .parse(r -> new Account(r.param("namespace"), r.param("service")))
                        .access(Access.action(Actions.GET_SERVICE_ACCOUNT_CREDENTIALS))
                        .execute((req, authn) -> credentials(req.id())),
                Endpoint.on(POST, TOKEN + "/{name}/_clear_cache")
                        .parse(ClearCache::of)
                        .access(Access.action(Actions.CLEAR_SECURITY_CACHE))
                        .execute((req, authn) -> clearCache(req)));
    }

    // ------------------------------------------------------------------ accounts

    /** {@code GET /_security/service[/{namespace}[/{service}]]}: filters the built-in accounts; unknown ones give {@code {}}. */
    record AccountFilter(String namespace, String service) implements Endpoint.Request {
        boolean matches(ServiceAccountId id) {
            return (namespace == null || namespace.equals(id.namespace())) && (service == null || service.equals(id.serviceName()));
        }
    }

    private JsonReply getAccounts(AccountFilter filter) {
        ObjectNode out = Json.object();
        for (ServiceAccount a : accounts.all()) {
            if (filter.matches(a.id())) {
                out.putObject(a.principal()).set("role_descriptor", a.roleDescriptor().toDisplayJson());
            }
        }
        return JsonReply.ok(out);
    }

    /** An account named by path segments; blank parts are reported like request validation. */
    record Account(String namespace, String service) implements Endpoint.Request {
        @Override
        public void validate() {
            id();
        }

        ServiceAccountId id() {
            return accountId(namespace, service);
        }
    }

    static ServiceAccountId accountId(String namespace, String service) {
        try {
            return new ServiceAccountId(namespace, service);
        } catch (IllegalArgumentException e) {
            throw EsErrors.illegalArgument(e.getMessage());
        }
    }

    // ------------------------------------------------------------------ tokens

    /** Create or delete a token: all validation errors, numbered. */
    record TokenRequest(String namespace, String service, String name) implements Endpoint.Request {

        /** Without a name, create makes one up (a time-based id). */
        static TokenRequest create(RestRequest r) {
            String name = r.param("name");
            return new TokenRequest(r.param("namespace"), r.param("service"), name == null || name.isEmpty() ? TimeBasedIds.newTokenName() : name);
        }

        static TokenRequest delete(RestRequest r) {
            return new TokenRequest(r.param("namespace"), r.param("service"), r.param("name"));
        }

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (namespace == null || namespace.isEmpty()) {
                errors.add(ServerEsMessages.NAMESPACE_REQUIRED);
            }
            if (service == null || service.isEmpty()) {
                errors.add(ServerEsMessages.SERVICE_REQUIRED);
            }
            if (name != null && !TokenNames.isValid(name)) {
                errors.add(EsMessages.invalidTokenName(name));
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
            account();
        }

        ServiceAccountId account() {
            return accountId(namespace, service);
        }
    }

    /** {@code {"created":true,"token":{"name","value"}}}. */
    record Created(String name, String value) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.put("created", true);
            ObjectNode t = o.putObject("token");
            t.put("name", name);
            t.put("value", value);
            return o;
        }
    }

    private CompletableFuture<Created> createToken(TokenRequest req, Authentication authentication) {
        ServiceAccountId account = req.account();
        if (!tokens.accounts().isKnown(account)) {
            throw EsErrors.illegalArgument(ServerEsMessages.accountDoesNotExist(account.asPrincipal()));
        }
        ServiceAccountToken token = ServiceAccountToken.newToken(account, req.name());
        return tokens.create(token, Creator.of(authentication).toString()).handle((ok, error) -> {
            try {
                if (error != null) {
                    Throwable cause = Futures.unwrap(error);
                    if (cause instanceof DuplicateTokenException d) {
                        throw EsErrors.duplicateToken(d.tokenId(), identity.indexUuid());
                    }
                    throw EsErrors.storeUnavailable(cause);
                }
                return new Created(token.tokenName(), token.asBearer().revealAsString(SecretAccess.plaintext()));
            } finally {
                token.close();
            }
        });
    }

    private CompletableFuture<Found> deleteToken(TokenRequest req) {
        return tokens.delete(new TokenId(req.account(), req.name())).handle((found, error) -> {
            if (error != null) {
                throw EsErrors.storeUnavailable(Futures.unwrap(error));
            }
            return new Found(found);
        });
    }

    // ------------------------------------------------------------------ credentials

    /** {@code GET .../credential}: index tokens sorted, file tokens per node; no account check. */
    private CompletableFuture<JsonReply> credentials(ServiceAccountId account) {
        return tokens.indexTokenNames(account).thenCombine(tokens.fileTokenNames(account), (names, nodes) -> {
            Map<String, List<String>> fileTokens = nodes.fileTokens();
            ObjectNode o = Json.object();
            o.put("service_account", account.asPrincipal());
            o.put("count", names.size() + fileTokens.size());
            ObjectNode t = o.putObject("tokens");
            names.forEach(n -> t.putObject(n));
            ObjectNode nc = o.putObject("nodes_credentials");
            NodesHeader.put(nc, nodes.total(), nodes.failures(), ServerEsMessages.GET_SERVICE_ACCOUNT_NODES_CREDENTIALS_ACTION, 0, 0);
            ObjectNode ft = nc.putObject("file_tokens");
            fileTokens.forEach((name, nodeNames) -> nodeNames.forEach(ft.putObject(name).putArray("nodes")::add));
            return JsonReply.ok(o);
        }).exceptionally(error -> {
            throw EsErrors.storeUnavailable(Futures.unwrap(error));
        });
    }

    // ------------------------------------------------------------------ cache

    /** {@code .../credential/token/{name}/_clear_cache}: a comma list of names, or {@code *} / {@code _all} (null names). */
    record ClearCache(String namespace, String service, List<String> names) implements Endpoint.Request {
        static ClearCache of(RestRequest r) {
            List<String> names = Arrays.asList(r.param("name").split(",", -1));
            boolean all = names.size() == 1 && (names.get(0).equals("*") || names.get(0).equals("_all"));
            return new ClearCache(r.param("namespace"), r.param("service"), all ? null : names);
        }

        @Override
        public void validate() {
            accountId(namespace, service);
            if (names != null) {
                names.forEach(TokenNames::validate); // the first invalid name fails the request, as IllegalArgumentException
            }
        }
    }

    private CompletableFuture<JsonReply> clearCache(ClearCache req) {
        ServiceAccountId account = accountId(req.namespace(), req.service());
        return tokens.clearCache(account, req.names()).thenApply(ack -> {
            ObjectNode o = Json.object();
            NodesHeader.put(o, Math.max(1, ack.total()), ack.failed(), ServerEsMessages.CLEAR_SECURITY_CACHE_ACTION, ack.seq(), ackTimeoutMillis);
            o.put("cluster_name", identity.clusterName());
            ObjectNode nodes = o.putObject("nodes");
            if (ack.total() == 0) {
                nodes.putObject(identity.nodeId()).put("name", identity.nodeName()); // no cluster service: this node alone
            }
            ack.successful().forEach(n -> nodes.putObject(n.nodeId()).put("name", n.nodeName()));
            return JsonReply.ok(o);
        });
    }
}
