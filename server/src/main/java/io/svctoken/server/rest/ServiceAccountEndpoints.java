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
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.UserManagedServiceAccounts;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.store.ServiceAccountRecord;
import io.svctoken.core.store.ServiceAccountRepository.DeleteResult;
import io.svctoken.core.store.ServiceAccountRepository.PutResult;
import io.svctoken.server.http.ObjectParser;
import io.svctoken.core.store.DuplicateTokenException;
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

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;
import static io.svctoken.server.http.Router.Method.PUT;

/**
 * The service account APIs: accounts (the built-in ones, and the user-managed ones of Elasticsearch 9.6 with their
 * writes), their tokens and credentials, and the token cache.
 */
public final class ServiceAccountEndpoints {

    private static final String SVC = "/_security/service";
    private static final String TOKEN = SVC + "/{namespace}/{service}/credential/token";

    private final BuiltinServiceAccounts accounts;
    private final UserManagedServiceAccounts userManaged;
    private final ServiceTokens tokens;
    private final NodeIdentity identity;
    private final long ackTimeoutMillis;
    private final Clock clock;

    /** Built-in accounts only (no user-managed ones), the 8.19 line. */
    public ServiceAccountEndpoints(BuiltinServiceAccounts accounts, ServiceTokens tokens, NodeIdentity identity, long ackTimeoutMillis) {
        this(accounts, null, tokens, identity, ackTimeoutMillis, Clock.systemUTC());
    }

    public ServiceAccountEndpoints(BuiltinServiceAccounts accounts, UserManagedServiceAccounts userManaged, ServiceTokens tokens,
                                   NodeIdentity identity, long ackTimeoutMillis, Clock clock) {
        this.accounts = accounts;
        this.userManaged = userManaged;
        this.tokens = tokens;
        this.identity = identity;
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.clock = clock;
    }

    /** The 9.x line knows the {@code type} filter and shows every account's {@code type}; the 8.19 line keeps 8.19's shape. */
    private boolean nineX() {
        return accounts != null && accounts.version() == CompatibilityVersion.V9;
    }

    public List<Endpoint<?>> endpoints() {
        List<Endpoint<?>> all = new ArrayList<>(List.of(
                Endpoint.on(GET, SVC, SVC + "/{namespace}", SVC + "/{namespace}/{service}")
                        .params(nineX() ? new Param[]{Param.string("type")} : new Param[0])
                        .parse(r -> AccountFilter.of(r, nineX()))
                        .access(Access.action(Actions.GET_SERVICE_ACCOUNT))
                        .execute((req, authn) -> getAccounts(req)),
                Endpoint.on(Set.of(POST, PUT), TOKEN + "/{name}").on(POST, TOKEN)
                        .params(Param.refresh())
                        .parse(TokenRequest::create)
                        // Elasticsearch's REST layer routes by namespace before authorization: elastic (any case) to the
                        // built-in accounts' action (manage_service_account), any other to the user-managed one (manage_security)
                        .access(Access.routed(Actions.CREATE_SERVICE_TOKEN, r -> UserManagedServiceAccounts.isBuiltInNamespace(r.namespace())
                                ? Actions.CREATE_SERVICE_TOKEN : Actions.CREATE_USER_MANAGED_SERVICE_TOKEN))
                        .changes((req, authn, reply) -> Changes.createServiceToken(req.namespace(), req.service(), req.name()))
                        .execute(this::createToken),
                Endpoint.on(DELETE, TOKEN + "/{name}")
                        .params(Param.refresh())
                        .parse(TokenRequest::delete)
                        .access(Access.routed(Actions.DELETE_SERVICE_TOKEN, r -> UserManagedServiceAccounts.isBuiltInNamespace(r.namespace())
                                ? Actions.DELETE_SERVICE_TOKEN : Actions.DELETE_USER_MANAGED_SERVICE_TOKEN))
                        .changes((req, authn, reply) -> Changes.deleteServiceToken(req.namespace(), req.service(), req.name()))
                        .execute((req, authn) -> deleteToken(req)),
                Endpoint.on(GET, SVC + "/{namespace}/{service}/credential")
                        .parse(r -> new Account(r.param("namespace"), r.param("service")))
                        .access(Access.action(Actions.GET_SERVICE_ACCOUNT_CREDENTIALS))
                        .execute((req, authn) -> credentials(req.id())),
                Endpoint.on(POST, TOKEN + "/{name}/_clear_cache")
                        .parse(ClearCache::of)
                        .access(Access.action(Actions.CLEAR_SECURITY_CACHE))
                        .execute((req, authn) -> clearCache(req))));
        if (userManaged != null) {
            all.add(Endpoint.on(PUT, SVC + "/{namespace}/{service}")
                    .params(Param.refresh())
                    .parse(PutAccount::parse)
                    .access(Access.action(Actions.PUT_USER_MANAGED_SERVICE_ACCOUNT))
                    .execute(this::putAccount));
            all.add(Endpoint.on(DELETE, SVC + "/{namespace}/{service}")
                    .params(Param.refresh(), Param.bool("force"))
                    .parse(r -> new DeleteAccount(r.param("namespace"), r.param("service"), r.paramAsBoolean("force")))
                    .access(Access.action(Actions.DELETE_USER_MANAGED_SERVICE_ACCOUNT))
                    .execute((req, authn) -> deleteAccount(req)));
        }
        if (userManaged != null && nineX()) {
            all.add(Endpoint.on(Set.of(GET, POST), "/_security/_query/service")
                    .parse(r -> RoleQuery.parse(RoleQuery.Kind.SERVICE_ACCOUNT, r))
                    .access(Access.action(Actions.QUERY_SERVICE_ACCOUNT))
                    .execute((req, authn) -> queryAccounts(req)));
        }
        return List.copyOf(all);
    }

    // ------------------------------------------------------------------ accounts

    static final String BUILT_IN = "built_in";
    static final String USER_MANAGED = "user_managed";

    /**
     * {@code GET /_security/service[/{namespace}[/{service}]]}: which accounts, by name and {@code type} (9.x line: a
     * comma list of {@code built_in}, {@code user_managed}; by default only built-in ones without a namespace, else both).
     * Names are never validated: an impossible one matches nothing.
     *
     * @param types null: an empty {@code type}, refused by validation
     */
    record AccountFilter(String namespace, String service, Set<String> types) implements Endpoint.Request {

        static AccountFilter of(RestRequest r, boolean typed) {
            String namespace = r.param("namespace");
            String type = typed ? r.param("type") : null;
            Set<String> types;
            if (type == null) {
                types = namespace == null ? Set.of(BUILT_IN) : Set.of(BUILT_IN, USER_MANAGED);
            } else if (type.isEmpty()) {
                types = null;
            } else {
                types = new java.util.HashSet<>();
                for (String t : type.split(",")) {
                    if (!t.equals(BUILT_IN) && !t.equals(USER_MANAGED)) {
                        throw EsErrors.illegalArgument(ServerEsMessages.invalidServiceAccountType(t));
                    }
                    types.add(t);
                }
            }
            return new AccountFilter(namespace, r.param("service"), types);
        }

        @Override
        public void validate() {
            if (types == null) {
                throw EsErrors.validation(List.of(ServerEsMessages.SERVICE_ACCOUNT_TYPE_EMPTY));
            }
        }

        boolean matches(ServiceAccountId id) {
            return (namespace == null || namespace.equals(id.namespace())) && (service == null || service.equals(id.serviceName()));
        }
    }

    private CompletableFuture<JsonReply> getAccounts(AccountFilter filter) {
        Map<String, ObjectNode> found = new TreeMap<>(); // sorted by principal, both kinds together
        if (filter.types().contains(BUILT_IN)) {
            for (ServiceAccount a : accounts.all()) {
                if (filter.matches(a.id())) {
                    ObjectNode o = Json.object();
                    if (nineX()) {
                        o.put("type", BUILT_IN);
                    }
                    o.set("role_descriptor", a.roleDescriptor().toDisplayJson());
                    found.put(a.principal(), o);
                }
            }
        }
        // the built-in namespace (in any case) holds no user-managed account: no store read
        boolean readStore = userManaged != null && filter.types().contains(USER_MANAGED)
                && !UserManagedServiceAccounts.isBuiltInNamespace(filter.namespace());
        CompletableFuture<List<ServiceAccountRecord>> stored = readStore ? userManaged.list() : CompletableFuture.completedFuture(List.of());
        return stored.handle((list, error) -> {
            if (error != null) {
                throw EsErrors.storeUnavailable(Futures.unwrap(error));
            }
            for (ServiceAccountRecord r : list) {
                if (filter.matches(r.id())) {
                    found.put(r.id().asPrincipal(), userManagedJson(r));
                }
            }
            ObjectNode out = Json.object();
            found.forEach(out::set);
            return JsonReply.ok(out);
        });
    }

    /** The query over the user-managed accounts (never the built-in ones), each shown as GET shows it, by principal. */
    private CompletableFuture<JsonReply> queryAccounts(RoleQuery query) {
        return userManaged.list().handle((list, error) -> {
            if (error != null) {
                throw EsErrors.storeUnavailable(Futures.unwrap(error));
            }
            Map<String, ObjectNode> accounts = new TreeMap<>();
            list.forEach(r -> accounts.put(r.id().asPrincipal(), userManagedJson(r)));
            return query.answer(accounts);
        });
    }

    /** {@code type}, {@code roles}, {@code enabled}, then only when set: description, creator, created_at, editor, edited_at. */
    private static ObjectNode userManagedJson(ServiceAccountRecord r) {
        ObjectNode o = Json.object();
        o.put("type", USER_MANAGED);
        r.roles().forEach(o.putArray("roles")::add);
        o.put("enabled", r.enabled());
        if (r.description() != null) {
            o.put("description", r.description());
        }
        putAuthor(o, "creator", r.creatorJson());
        if (r.createdAtMillis() != null) {
            o.put("created_at", r.createdAtMillis());
        }
        putAuthor(o, "editor", r.editorJson());
        if (r.editedAtMillis() != null) {
            o.put("edited_at", r.editedAtMillis());
        }
        return o;
    }

    private static void putAuthor(ObjectNode o, String field, String json) {
        if (json == null) {
            return;
        }
        try {
            o.set(field, Json.MAPPER.readTree(json));
        } catch (java.io.IOException | RuntimeException e) {
            // a stored author that does not read is left out, never a failed listing
        }
    }

    /** Elasticsearch's author object: username, full_name and email when known, realm, realm_type, the API key when one was used. */
    static ObjectNode author(Authentication a) {
        ObjectNode o = Json.object();
        o.put("username", a.principal());
        if (a instanceof UserAuthentication u) {
            if (u.user().fullName() != null) {
                o.put("full_name", u.user().fullName());
            }
            if (u.user().email() != null) {
                o.put("email", u.user().email());
            }
        } else if (a instanceof ServiceAccountAuthn sa) {
            o.put("full_name", sa.authentication().account().fullName());
        }
        o.put("realm", a.effectiveRealm().name());
        o.put("realm_type", a.effectiveRealm().type());
        if (a instanceof ApiKeyAuthn k) {
            ObjectNode key = o.putObject("api_key");
            key.put("id", k.id());
            if (k.name() != null) {
                key.put("name", k.name());
            }
        }
        return o;
    }

    // ------------------------------------------------------------------ user-managed accounts: put and delete

    /** The body of {@code PUT /_security/service/{ns}/{svc}}: a full replacement, so the defaults apply on every write. */
    static final class AccountBody {
        private static final ObjectParser<AccountBody> PARSER = new ObjectParser<AccountBody>(
                ObjectParser.Errors.objectParser(ServerEsMessages.PUT_SERVICE_ACCOUNT_PARSER))
                .declare("roles", (b, v) -> b.roles = v.stringArray())
                .declare("enabled", (b, v) -> b.enabled = v.bool())
                .declare("description", (b, v) -> b.description = v.nullableString());

        List<String> roles;
        boolean enabled = true;
        String description;
    }

    record PutAccount(String namespace, String service, List<String> roles, boolean enabled, String description)
            implements Endpoint.Request {

        static PutAccount parse(RestRequest r) {
            AccountBody b = AccountBody.PARSER.parse(r.jsonBody(), new AccountBody());
            if (b.roles == null) {
                throw EsErrors.illegalArgument(ServerEsMessages.requiredFields(List.of("roles")));
            }
            return new PutAccount(r.param("namespace"), r.param("service"), b.roles, b.enabled, b.description);
        }

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>(UserManagedServiceAccounts.nameProblems(namespace, service));
            errors.addAll(UserManagedServiceAccounts.bodyProblems(roles, description));
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }
    }

    /** {@code {"created":true|false}}, always 200. */
    record AccountCreated(boolean created) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            return Json.object().put("created", created);
        }
    }

    private CompletableFuture<AccountCreated> putAccount(PutAccount req, Authentication authentication) {
        ServiceAccountId id = new ServiceAccountId(req.namespace(), req.service());
        ServiceAccountRecord record = ServiceAccountRecord.written(id, req.roles(), req.enabled(), req.description(),
                author(authentication).toString(), clock.millis());
        return userManaged.put(record).handle((result, error) -> {
            if (error != null) {
                throw EsErrors.storeUnavailable(Futures.unwrap(error));
            }
            if (result == PutResult.LEFTOVER_TOKENS) {
                throw EsErrors.illegalArgument(EsMessages.umLeftoverTokens(id.asPrincipal()));
            }
            return new AccountCreated(result == PutResult.CREATED);
        });
    }

    record DeleteAccount(String namespace, String service, boolean force) implements Endpoint.Request {
        @Override
        public void validate() {
            List<String> errors = UserManagedServiceAccounts.nameProblems(namespace, service);
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }
    }

    private CompletableFuture<Found> deleteAccount(DeleteAccount req) {
        ServiceAccountId id = new ServiceAccountId(req.namespace(), req.service());
        return userManaged.delete(id, req.force()).handle((result, error) -> {
            if (error != null) {
                throw EsErrors.storeUnavailable(Futures.unwrap(error));
            }
            if (result == DeleteResult.HAS_TOKENS) {
                throw EsErrors.illegalArgument(EsMessages.umHasTokens(id.asPrincipal()));
            }
            return new Found(result == DeleteResult.DELETED);
        });
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

    /** {@code {"created":true,"token":{"name","value"}}}, rendered once when made (on the worker that stored the token). */
    record Created(JsonNode body, byte[] compactJson) implements Endpoint.Reply {

        static Created of(String name, String value) {
            ObjectNode o = Json.object();
            o.put("created", true);
            ObjectNode t = o.putObject("token");
            t.put("name", name);
            t.put("value", value);
            return new Created(o, Json.bytes(o, false));
        }

        @Override
        public String toString() {
            return "Created[token]"; // the body holds the new secret
        }
    }

    private CompletableFuture<Created> createToken(TokenRequest req, Authentication authentication) {
        ServiceAccountId account = req.account();
        if (UserManagedServiceAccounts.isBuiltInNamespace(account.namespace()) || userManaged == null) {
            if (!tokens.accounts().isKnown(account)) {
                throw EsErrors.illegalArgument(ServerEsMessages.accountDoesNotExist(account.asPrincipal()));
            }
            return createToken(account, req, authentication);
        }
        // a user-managed account must exist; a disabled one may still receive tokens (they work once it is enabled)
        return userManaged.find(account).exceptionally(error -> {
            throw EsErrors.storeUnavailable(Futures.unwrap(error));
        }).thenCompose(found -> {
            if (found.isEmpty()) {
                throw EsErrors.illegalArgument(ServerEsMessages.accountDoesNotExist(account.asPrincipal()));
            }
            return createToken(account, req, authentication);
        });
    }

    private CompletableFuture<Created> createToken(ServiceAccountId account, TokenRequest req, Authentication authentication) {
        return tokens.createNew(new TokenId(account, req.name()), Creator.of(authentication).toString()).handle((token, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof DuplicateTokenException d) {
                    throw EsErrors.duplicateToken(d.tokenId(), identity.indexUuid());
                }
                if (cause instanceof RejectedExecutionException full) {
                    throw full; // the worker's queue is full: answered as every endpoint's (429)
                }
                throw EsErrors.storeUnavailable(cause);
            }
            try (token) {
                return Created.of(token.tokenName(), token.asBearer().revealAsString(SecretAccess.plaintext()));
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
