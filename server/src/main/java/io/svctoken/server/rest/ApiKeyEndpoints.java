package io.svctoken.server.rest;

import io.svctoken.server.ServerEsMessages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.role.RoleDescriptors;
import io.svctoken.core.role.RoleParseException;
import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.user.Validation;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.ApiKeyRequestScope;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import io.svctoken.core.Futures;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.server.NodeIdentity;
import io.svctoken.server.audit.Changes;
import io.svctoken.server.cluster.Invalidations;
import io.svctoken.server.cluster.NodesHeader;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.ObjectParser;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.settings.SettingsException;
import io.svctoken.server.settings.TimeValues;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;
import static io.svctoken.server.http.Router.Method.PUT;

/**
 * The API key APIs of Elasticsearch ({@code /_security/api_key}): create, get and invalidate, with
 * Elasticsearch's request parsing (its {@code ObjectParser} errors), request validation (before
 * authorization, as in Elasticsearch) and response shapes. Own keys need no {@code manage_api_key}: the
 * authorization is scoped by the request.
 */
public final class ApiKeyEndpoints {

    private static final String API_KEY = "/_security/api_key";
    /** Parses descriptors whose names the role API would refuse (Elasticsearch does not check API key role names). */
    private static final String PLACEHOLDER = "api_key_role_descriptor";

    private final ApiKeyService apiKeys;
    private final Authorizer authorizer;
    private final ReservedRoles reserved;
    private final Invalidations invalidations;
    private final NodeIdentity identity;
    private final long ackTimeoutMillis;
    private final ObjectParser<Create> createParser;
    private final ObjectParser<Update> updateParser;
    private final ObjectParser<Update> bulkUpdateParser;
    private final ObjectParser<Grant> grantParser;
    private AuthenticationService authentication;
    private AccessTokenResolver accessTokens = AccessTokenResolver.NONE;
    private boolean userManagedGrant;

    /**
     * @param authorizer    for the caller's own role descriptors, which limit a new key
     * @param invalidations where a cache clearing is announced to the other nodes
     */
    public ApiKeyEndpoints(ApiKeyService apiKeys, Authorizer authorizer, ReservedRoles reserved, Invalidations invalidations,
                           NodeIdentity identity, long ackTimeoutMillis) {
        this.apiKeys = apiKeys;
        this.authorizer = authorizer;
        this.reserved = reserved;
        this.invalidations = invalidations;
        this.identity = identity;
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.createParser = new ObjectParser<Create>(ObjectParser.Errors.objectParser(ServerEsMessages.API_KEY_REQUEST_PARSER))
                .declare("name", (c, v) -> c.name = RestSupport.storableText(v.field(), v.string()))
                .declare("role_descriptors", (c, v) -> {
                    ObjectNode all = v.object();
                    c.descriptors = new ArrayList<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        try {
                            c.descriptors.add(parseDescriptor(e.getKey(), e.getValue(), c.descriptorErrors));
                        } catch (RoleParseException ex) {
                            throw v.failed(nested(ex));
                        }
                    }
                })
                .declare("expiration", (c, v) -> c.expirationText = v.string())
                .declare("metadata", (c, v) -> c.metadata = v.object());
        this.updateParser = updateFields(new ObjectParser<>(ObjectParser.Errors.objectParser(ServerEsMessages.UPDATE_API_KEY_PARSER)));
        this.bulkUpdateParser = updateFields(new ObjectParser<Update>(ObjectParser.Errors.objectParser(ServerEsMessages.BULK_UPDATE_API_KEY_PARSER))
                .declare("ids", (u, v) -> u.ids = v.scalars()));
        this.grantParser = new ObjectParser<Grant>(ObjectParser.Errors.objectParser(ServerEsMessages.GRANT_API_KEY_PARSER))
                .declare("grant_type", (g, v) -> g.type = v.string())
                .declare("username", (g, v) -> g.username = v.string())
                .declare("password", (g, v) -> g.password = v.string())
                .declare("access_token", (g, v) -> g.accessToken = v.string())
                .declare("run_as", (g, v) -> g.runAs = v.string())
                .declare("client_authentication", (g, v) -> {
                    v.object();
                    g.clientAuthentication = true;
                })
                .declare("api_key", (g, v) -> {
                    ObjectNode body = v.object();
                    try {
                        g.key = createParser.parse(body, new Create());
                    } catch (EsException e) {
                        throw v.failed(EsException.nestedCause(e.type(), e.getMessage()));
                    }
                    if (g.key.name == null) {
                        throw v.failed(EsException.nestedCause(EsErrors.ILLEGAL_ARGUMENT, ServerEsMessages.requiredFields(List.of("name"))));
                    }
                });
    }

    /**
     * What the grant API authenticates with: the realms (password grants) and the node's access tokens (none until the
     * OAuth2 token service resolves them).
     */
    public ApiKeyEndpoints grants(AuthenticationService authentication, AccessTokenResolver accessTokens) {
        this.authentication = authentication;
        this.accessTokens = accessTokens;
        return this;
    }

    /**
     * The 9.x line's {@code _user_managed_service_account} grant and its {@code service_account_token} field; without
     * it (8.19) the field is unknown and the grant type unsupported, as 8.19 answers.
     */
    public ApiKeyEndpoints userManagedGrant(boolean enabled) {
        this.userManagedGrant = enabled;
        if (enabled) {
            grantParser.declare("service_account_token", (g, v) -> g.serviceAccountToken = v.string());
        }
        return this;
    }

    /** The fields both update payloads share (Elasticsearch's {@code UpdateApiKeyRequestTranslator}). */
    private ObjectParser<Update> updateFields(ObjectParser<Update> parser) {
        return parser
                .declare("role_descriptors", (u, v) -> {
                    ObjectNode all = v.object();
                    u.descriptors = new ArrayList<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        try {
                            u.descriptors.add(parseDescriptor(e.getKey(), e.getValue(), u.descriptorErrors));
                        } catch (RoleParseException ex) {
                            throw v.failed(nested(ex));
                        }
                    }
                })
                .declare("metadata", (u, v) -> u.metadata = v.object())
                .declare("expiration", (u, v) -> u.expirationText = v.string());
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(Set.of(POST, PUT), API_KEY)
                        .params(Param.refresh())
                        .parse(this::create)
                        .access(Access.apiKeys(Actions.CREATE_API_KEY, req -> ApiKeyRequestScope.create()))
                        .changes((req, authn, reply) -> Changes.createApiKey(((Created) reply).id(), req.name, req.expirationText,
                                req.descriptors, req.metadata))
                        .execute(this::create),
                Endpoint.on(GET, API_KEY)
                        .params(Param.string("id"), Param.string("name"), Param.string("username"), Param.string("realm_name"),
                                Param.bool("owner"), Param.bool("with_limited_by"), Param.bool("active_only"), Param.bool("with_profile_uid"))
                        .parse(Get::parse)
                        .access(Access.apiKeys(Actions.GET_API_KEY, Get::scope))
                        .execute(this::get),
                Endpoint.on(DELETE, API_KEY)
                        .parse(Invalidate::parse)
                        .access(Access.apiKeys(Actions.INVALIDATE_API_KEY, Invalidate::scope))
                        .changes((req, authn, reply) -> Changes.invalidateApiKeys(req.ids, req.name, req.owner, req.username, req.realmName))
                        .execute(this::invalidate),
                Endpoint.on(PUT, API_KEY + "/{ids}")
                        .parse(this::update)
                        .access(Access.apiKeys(Actions.UPDATE_API_KEY, Update::scope))
                        .changes((req, authn, reply) -> Changes.updateApiKey(req.ids.get(0), req.descriptors, req.metadata, req.expirationText))
                        .execute(this::updateOne),
                Endpoint.on(POST, API_KEY + "/_bulk_update")
                        .parse(this::bulkUpdate)
                        .access(Access.apiKeys(Actions.BULK_UPDATE_API_KEY, Update::scope))
                        .changes((req, authn, reply) -> Changes.updateApiKeys(req.ids, req.descriptors, req.metadata, req.expirationText))
                        .execute(this::updateMany),
                Endpoint.on(Set.of(POST, PUT), API_KEY + "/grant")
                        .params(Param.refresh())
                        .parse(this::grant)
                        .access(Access.action(Actions.GRANT_API_KEY))
                        .changes((req, authn, reply) -> Changes.grantApiKey(((Created) reply).id(), req.key.name, req.key.expirationText,
                                req.key.descriptors, req.key.metadata, req.type, req.username, req.password != null,
                                req.accessToken != null, req.runAs))
                        .execute(this::grant),
                Endpoint.on(POST, CROSS_CLUSTER)
                        .params(Param.refresh())
                        .parse(this::crossCluster)
                        .access(Access.action(Actions.CREATE_CROSS_CLUSTER_API_KEY))
                        .changes((req, authn, reply) -> Changes.createApiKey(ApiKeyRecord.TYPE_CROSS_CLUSTER, ((Created) reply).id(),
                                req.key.name, req.key.expirationText, List.of(req.descriptor), req.key.metadata))
                        .execute((req, authn) -> apiKeys.createCrossCluster(authn, req.key.name, req.key.expiration, req.descriptor,
                                req.key.metadata).thenApply(ApiKeyEndpoints::created)),
                Endpoint.on(PUT, CROSS_CLUSTER + "/{id}")
                        .parse(this::crossClusterUpdate)
                        .access(Access.action(Actions.UPDATE_CROSS_CLUSTER_API_KEY))
                        .changes((req, authn, reply) -> Changes.updateApiKey(ApiKeyRecord.TYPE_CROSS_CLUSTER, req.key.ids.get(0),
                                req.descriptor == null ? null
                                : List.of(req.descriptor), req.key.metadata, req.key.expirationText))
                        .execute(this::crossClusterUpdate),
                Endpoint.on(Set.of(GET, POST), "/_security/_query/api_key")
                        .params(Param.bool("with_limited_by"), Param.bool("with_profile_uid"), Param.bool("typed_keys"))
                        .parse(this::query)
                        .access(Access.apiKeys(Actions.QUERY_API_KEY, req -> ApiKeyRequestScope.query()))
                        .execute(this::query),
                // Elasticsearch serves it with the security cache clearing action (cache name api_key)
                Endpoint.on(POST, API_KEY + "/{ids}/_clear_cache")
                        .parse(ClearCache::of)
                        .access(Access.action(Actions.CLEAR_SECURITY_CACHE))
                        .execute((req, authn) -> clearCache(req)));
    }

    // ------------------------------------------------------------------ create

    /** {@code POST|PUT /_security/api_key}. */
    static final class Create implements Endpoint.Request {
        String name;
        String expirationText;
        Duration expiration;
        ObjectNode metadata;
        List<RoleDescriptor> descriptors;
        final List<String> descriptorErrors = new ArrayList<>();

        @Override
        public void validate() {
            List<String> errors = errors();
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }

        /** CreateApiKeyRequest.validate's findings, in its order. */
        List<String> errors() {
            List<String> errors = new ArrayList<>();
            if (name == null || name.isEmpty()) {
                errors.add(ServerEsMessages.API_KEY_NAME_REQUIRED);
            } else {
                if (name.length() > 256) {
                    errors.add(ServerEsMessages.API_KEY_NAME_TOO_LONG);
                }
                if (!name.equals(name.trim())) {
                    errors.add(ServerEsMessages.API_KEY_NAME_WHITESPACE);
                }
                if (name.startsWith("_")) {
                    errors.add(ServerEsMessages.API_KEY_NAME_UNDERSCORE);
                }
            }
            if (metadata != null && hasReservedKey(metadata)) {
                errors.add(ServerEsMessages.API_KEY_METADATA_RESERVED_KEYS);
            }
            errors.addAll(descriptorErrors);
            return errors;
        }
    }

    private Create create(RestRequest request) {
        request.jsonBody(); // required, a JSON object, well-formed
        Create c = createParser.parse(request.body(), new Create());
        if (c.name == null) {
            throw EsErrors.illegalArgument(ServerEsMessages.requiredFields(List.of("name")));
        }
        return expiration(c);
    }

    private static Create expiration(Create c) {
        if (c.expirationText != null) {
            try {
                c.expiration = TimeValues.parse("expiration", c.expirationText);
            } catch (SettingsException e) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.failedToBuild(ServerEsMessages.API_KEY_REQUEST_PARSER),
                        EsException.nestedCause(EsErrors.PARSE, e.getMessage()));
            }
        }
        return c;
    }

    /** {@code {"id","name","expiration"?,"api_key","encoded"}}. */
    record Created(String id, String name, Long expirationMillis, String apiKey) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.put("id", id);
            o.put("name", name);
            if (expirationMillis != null) {
                o.put("expiration", expirationMillis);
            }
            o.put("api_key", apiKey);
            o.put("encoded", Base64.getEncoder().encodeToString((id + ":" + apiKey).getBytes(StandardCharsets.UTF_8)));
            return o;
        }
    }

    private CompletableFuture<Created> create(Create req, Authentication authentication) {
        List<RoleDescriptor> own = req.descriptors == null ? List.of() : req.descriptors;
        if (authentication instanceof ApiKeyAuthn && (own.isEmpty() || !own.stream().allMatch(ApiKeyEndpoints::isEmpty))) {
            throw EsErrors.illegalArgument(ServerEsMessages.DERIVED_API_KEY_NEEDS_EMPTY_DESCRIPTOR);
        }
        List<RoleDescriptor> limitedBy = authorizer.effectiveDescriptors(authentication);
        return apiKeys.create(authentication, req.name, req.expiration, own, req.metadata, limitedBy).thenApply(created -> {
            try {
                return new Created(created.id(), created.name(), created.expirationMillis(), created.secret().revealAsString(SecretAccess.plaintext()));
            } finally {
                created.secret().wipe();
            }
        });
    }

    /**
     * One descriptor, checked as the role API checks a role body; request-validation findings are
     * collected (Elasticsearch reports them with the request's own), parse errors thrown.
     */
    private RoleDescriptor parseDescriptor(String name, JsonNode body, List<String> validationErrors) {
        boolean nameRefused = Validation.Roles.validateRoleName(name, false, reserved::isReserved, Validation.NATIVE_MAX_NAME_LENGTH)
                .isPresent();
        try {
            RoleDescriptor rd = RoleDescriptors.parseApiBody(nameRefused ? PLACEHOLDER : name, body.toString(), reserved);
            return new RoleDescriptor(name, rd.toDisplayJson());
        } catch (RoleParseException e) {
            if (e.type() != RoleParseException.Type.ACTION_REQUEST_VALIDATION_EXCEPTION) {
                throw nameRefused ? renamed(e, name) : e;
            }
            validationErrors.addAll(splitValidation(e.getMessage()));
            return new RoleDescriptor(name, Json.object());
        }
    }

    private static RoleParseException renamed(RoleParseException e, String name) {
        RoleParseException inner = e.wrapped() == null ? null : renamed(e.wrapped(), name);
        return new RoleParseException(e.type(), e.getMessage().replace("[" + PLACEHOLDER + "]", "[" + name + "]"), inner);
    }

    /** A role parse refusal as the cause of the request parser's error: rendered under caused_by, never a root cause. */
    private static EsException nested(RoleParseException e) {
        boolean withCause = e.wrapped() != null && e.type() != RoleParseException.Type.ACTION_REQUEST_VALIDATION_EXCEPTION;
        return EsException.nestedCause(e.esType(), e.getMessage(), withCause ? nested(e.wrapped()) : null);
    }

    /** Elasticsearch's {@code RoleDescriptor.isEmpty}: no privileges of any kind and no metadata. */
    private static boolean isEmpty(RoleDescriptor rd) {
        ObjectNode d = rd.toDisplayJson();
        for (String f : List.of("cluster", "indices", "applications", "run_as", "remote_indices", "remote_cluster", "global", "metadata")) {
            JsonNode n = d.get(f);
            if (n != null && !n.isNull() && !n.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ get

    /** {@code GET /_security/api_key}: {@code {"api_keys":[...]}}; 404 when an {@code id} was asked for and not found. */
    record Get(String id, String name, String username, String realmName, boolean owner, boolean withLimitedBy, boolean activeOnly)
            implements Endpoint.Request {

        static Get parse(RestRequest r) {
            return new Get(textOrNull(r.param("id")), textOrNull(r.param("name")), textOrNull(r.param("username")),
                    textOrNull(r.param("realm_name")), r.paramAsBoolean("owner"), r.paramAsBoolean("with_limited_by"),
                    r.paramAsBoolean("active_only"));
        }

        @Override
        public void validate() {
            checkSelection(new ArrayList<>(), id != null, name != null, username != null || realmName != null, owner,
                    ServerEsMessages.GET_API_KEY_ID_OR_NAME_WITH_USER, ServerEsMessages.GET_API_KEY_OWNED_WITH_USER, ServerEsMessages.GET_API_KEY_ID_AND_NAME);
        }

        List<String> ids() {
            return id == null ? null : List.of(id);
        }

        ApiKeyRequestScope scope() {
            return new ApiKeyRequestScope(ApiKeyRequestScope.Kind.GET, ids(), username, realmName, owner, withLimitedBy);
        }
    }

    private CompletableFuture<JsonReply> get(Get req, Authentication authentication) {
        String username = req.username();
        List<String> realms = req.realmName() == null ? null : List.of(req.realmName());
        if (req.owner()) {
            username = authentication.principal();
            realms = ApiKeyService.ownerRealmNames(authentication);
        }
        ApiKeyFilter filter = new ApiKeyFilter(req.ids(), req.name(), username, realms, false, req.activeOnly() ? apiKeys.now() : null);
        return apiKeys.find(filter).thenApply(found -> {
            ObjectNode o = Json.object();
            ArrayNode list = o.putArray("api_keys");
            found.forEach(k -> list.add(toJson(k, req.withLimitedBy())));
            return new JsonReply(req.id() != null && found.isEmpty() ? 404 : 200, o);
        });
    }

    /** Elasticsearch's {@code ApiKey} as the get API shows it. */
    static ObjectNode toJson(ApiKeyRecord k, boolean withLimitedBy) {
        ObjectNode o = Json.object();
        o.put("id", k.id());
        o.put("name", k.name());
        o.put("type", k.type());
        o.put("creation", k.creationTimeMillis());
        if (k.expirationTimeMillis() != null) {
            o.put("expiration", k.expirationTimeMillis());
        }
        o.put("invalidated", k.invalidated());
        if (k.invalidationTimeMillis() != null) {
            o.put("invalidation", k.invalidationTimeMillis());
        }
        o.put("username", k.ownerUsername());
        o.put("realm", k.ownerRealm());
        o.put("realm_type", k.ownerRealmType());
        o.set("metadata", ApiKeyService.object(k.metadataJson()));
        o.set("role_descriptors", ApiKeyService.object(k.roleDescriptorsJson()));
        if (ApiKeyRecord.TYPE_CROSS_CLUSTER.equals(k.type())) {
            // its access instead of limited-by descriptors (it has none)
            o.set("access", CrossClusterAccess.access(ApiKeyService.object(k.roleDescriptorsJson())));
            return o;
        }
        if (withLimitedBy) {
            o.putArray("limited_by").add(ApiKeyService.object(k.limitedByJson()));
        }
        return o;
    }

    // ------------------------------------------------------------------ invalidate

    /**
     * {@code DELETE /_security/api_key}: {@code {"invalidated_api_keys":[...],"previously_invalidated_api_keys":[],"error_count":0}}.
     * Keys already invalidated are not selected (as in Elasticsearch), so they are listed nowhere.
     */
    static final class Invalidate implements Endpoint.Request {
        private static final ObjectParser<Invalidate> PARSER = new ObjectParser<>(
                ObjectParser.Errors.objectParser(ServerEsMessages.INVALIDATE_API_KEY_PARSER), Invalidate::new)
                .declare("realm_name", (i, v) -> i.realmName = v.string())
                .declare("username", (i, v) -> i.username = v.string())
                .declare("name", (i, v) -> i.name = v.string())
                .declare("owner", (i, v) -> i.owner = v.booleanOrString())
                .declare("ids", (i, v) -> i.ids = v.scalars());

        String realmName;
        String username;
        String name;
        boolean owner;
        List<String> ids;

        static Invalidate parse(RestRequest request) {
            request.jsonBody();
            Invalidate i = PARSER.parse(request.body());
            if (i.ids != null) {
                String idsError = null;
                if (i.ids.isEmpty()) {
                    idsError = ServerEsMessages.INVALIDATE_API_KEY_EMPTY_IDS;
                } else {
                    List<Integer> blank = new ArrayList<>();
                    for (int n = 0; n < i.ids.size(); n++) {
                        if (i.ids.get(n) == null || i.ids.get(n).isBlank()) {
                            blank.add(n);
                        }
                    }
                    if (!blank.isEmpty()) {
                        idsError = ServerEsMessages.invalidateApiKeyBlankIds(blank.size(), blank.toString());
                    }
                }
                if (idsError != null) {
                    throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.failedToBuild(ServerEsMessages.INVALIDATE_API_KEY_PARSER),
                            EsException.nestedCause(EsErrors.VALIDATION, EsMessages.validationFailed(List.of(idsError))));
                }
            }
            i.realmName = textOrNull(i.realmName);
            i.username = textOrNull(i.username);
            i.name = textOrNull(i.name);
            return i;
        }

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (realmName == null && username == null && ids == null && name == null && !owner) {
                errors.add(ServerEsMessages.INVALIDATE_API_KEY_NOTHING_SPECIFIED);
            }
            checkSelection(errors, ids != null, name != null, username != null || realmName != null, owner,
                    ServerEsMessages.INVALIDATE_API_KEY_IDS_OR_NAME_WITH_USER, ServerEsMessages.INVALIDATE_API_KEY_OWNED_WITH_USER,
                    ServerEsMessages.INVALIDATE_API_KEY_IDS_AND_NAME);
        }

        ApiKeyRequestScope scope() {
            return new ApiKeyRequestScope(ApiKeyRequestScope.Kind.INVALIDATE, ids, username, realmName, owner, false);
        }
    }

    private CompletableFuture<JsonReply> invalidate(Invalidate req, Authentication authentication) {
        String username = req.username;
        List<String> realms = req.realmName == null ? null : List.of(req.realmName);
        if (req.owner) {
            username = authentication.principal();
            realms = ApiKeyService.ownerRealmNames(authentication);
        }
        return apiKeys.invalidate(new ApiKeyFilter(req.ids, req.name, username, realms, true, null)).thenApply(done -> {
            ObjectNode o = Json.object();
            ArrayNode invalidated = o.putArray("invalidated_api_keys");
            done.forEach(invalidated::add);
            o.putArray("previously_invalidated_api_keys");
            o.put("error_count", 0);
            return JsonReply.ok(o);
        });
    }

    // ------------------------------------------------------------------ update

    /** {@code PUT /_security/api_key/{id}} and {@code POST /_security/api_key/_bulk_update}: null parts are kept as stored. */
    static final class Update implements Endpoint.Request {
        List<String> ids;
        List<RoleDescriptor> descriptors;
        ObjectNode metadata;
        String expirationText;
        Duration expiration;
        final List<String> descriptorErrors = new ArrayList<>();

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (metadata != null && hasReservedKey(metadata)) {
                errors.add(ServerEsMessages.API_KEY_METADATA_RESERVED_KEYS);
            }
            errors.addAll(descriptorErrors);
            if (ids.isEmpty()) {
                errors.add(ServerEsMessages.BULK_UPDATE_API_KEY_EMPTY_IDS);
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }

        ApiKeyRequestScope scope() {
            return new ApiKeyRequestScope(ApiKeyRequestScope.Kind.UPDATE, ids, null, null, false, false);
        }
    }

    /** The single form: its body is optional, the id is the path's. */
    private Update update(RestRequest request) {
        Update u = new Update();
        if (request.hasBody()) {
            request.jsonBody();
            updateParser.parse(request.body(), u);
        }
        u.ids = List.of(request.param("ids"));
        return expiration(u, ServerEsMessages.UPDATE_API_KEY_PARSER);
    }

    private Update bulkUpdate(RestRequest request) {
        request.jsonBody();
        Update u = bulkUpdateParser.parse(request.body(), new Update());
        if (u.ids == null) {
            throw EsErrors.illegalArgument(ServerEsMessages.requiredFields(List.of("ids")));
        }
        return expiration(u, ServerEsMessages.BULK_UPDATE_API_KEY_PARSER);
    }

    private static Update expiration(Update u, String parser) {
        if (u.expirationText != null) {
            try {
                u.expiration = TimeValues.parse("expiration", u.expirationText);
            } catch (SettingsException e) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.failedToBuild(parser),
                        EsException.nestedCause(EsErrors.PARSE, e.getMessage()));
            }
        }
        return u;
    }

    private CompletableFuture<ApiKeyService.UpdateResult> update(Update req, Authentication authentication) {
        // the owner's descriptors now: only a user reaches the store (a key is refused by the service)
        List<RoleDescriptor> limitedBy = authentication instanceof ApiKeyAuthn ? List.of() : authorizer.effectiveDescriptors(authentication);
        return apiKeys.update(authentication, req.ids, req.descriptors, req.metadata, req.expiration, limitedBy);
    }

    /** {@code {"updated":true|false}}; a refusal of the key is the request's error, as Elasticsearch answers the single form. */
    private CompletableFuture<JsonReply> updateOne(Update req, Authentication authentication) {
        return update(req, authentication).thenApply(result -> {
            if (!result.errors().isEmpty()) {
                throw result.errors().values().iterator().next();
            }
            ObjectNode o = Json.object();
            o.put("updated", !result.updated().isEmpty());
            return JsonReply.ok(o);
        });
    }

    /** {@code {"updated":[...],"noops":[...],"errors":{"count":n,"details":{id:{type,reason}}}}}, errors only when there are. */
    private CompletableFuture<JsonReply> updateMany(Update req, Authentication authentication) {
        return update(req, authentication).thenApply(result -> {
            ObjectNode o = Json.object();
            result.updated().forEach(o.putArray("updated")::add);
            result.noops().forEach(o.putArray("noops")::add);
            if (!result.errors().isEmpty()) {
                ObjectNode errors = o.putObject("errors");
                errors.put("count", result.errors().size());
                ObjectNode details = errors.putObject("details");
                result.errors().forEach((id, e) -> {
                    EsException es = EsException.from(e);
                    details.putObject(id).put("type", es.type()).put("reason", es.getMessage());
                });
            }
            return JsonReply.ok(o);
        });
    }

    // ------------------------------------------------------------------ grant

    /** {@code POST|PUT /_security/api_key/grant}: a key created for the user the grant's credentials name. */
    static final class Grant implements Endpoint.Request {
        String type;
        String username;
        String password;
        String accessToken;
        String serviceAccountToken;
        String runAs;
        boolean clientAuthentication;
        boolean userManagedGrant;
        Create key = new Create();
        RequestInfo request;

        @Override
        public void validate() {
            List<String> errors = key.errors();
            if (type == null) {
                errors.add(ServerEsMessages.GRANT_TYPE_REQUIRED);
            } else if (type.equals("password")) {
                required(errors, "username", username);
                required(errors, "password", password);
                unsupported(errors, "access_token", accessToken);
                unsupported(errors, "service_account_token", serviceAccountToken);
            } else if (type.equals("access_token")) {
                required(errors, "access_token", accessToken);
                unsupported(errors, "username", username);
                unsupported(errors, "password", password);
                unsupported(errors, "service_account_token", serviceAccountToken);
            } else if (userManagedGrant && type.equals(ServerEsMessages.USER_MANAGED_SERVICE_ACCOUNT_GRANT)) {
                required(errors, "service_account_token", serviceAccountToken);
                unsupported(errors, "username", username);
                unsupported(errors, "password", password);
                unsupported(errors, "access_token", accessToken);
                // a service account cannot run as anyone: refused before authenticating
                unsupported(errors, "run_as", runAs);
                if (clientAuthentication) {
                    errors.add(ServerEsMessages.grantFieldNotSupported("client_authentication", type));
                }
            } else {
                errors.add(ServerEsMessages.grantTypeNotSupported(type));
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }

        private void required(List<String> errors, String field, String value) {
            if (value == null || value.isEmpty()) {
                errors.add(ServerEsMessages.grantFieldRequired(field, type));
            }
        }

        private void unsupported(List<String> errors, String field, String value) {
            if (value != null && !value.isEmpty()) {
                errors.add(ServerEsMessages.grantFieldNotSupported(field, type));
            }
        }
    }

    private Grant grant(RestRequest request) {
        request.jsonBody();
        Grant g = grantParser.parse(request.body(), new Grant());
        g.request = request.info(); // its client address: password failures count against it, as Basic ones do
        g.userManagedGrant = userManagedGrant;
        expiration(g.key);
        return g;
    }

    /**
     * Authenticates the grant's credentials (a password through the realms, an access token through {@link #accessTokens}),
     * then creates the key as that user would, limited by that user's descriptors. A credential that does not
     * authenticate is Elasticsearch's 403, its 401 under {@code caused_by}.
     */
    private CompletableFuture<Created> grant(Grant req, Authentication caller) {
        CompletableFuture<Optional<Authentication>> granted;
        String principal;
        if (req.type.equals(ServerEsMessages.USER_MANAGED_SERVICE_ACCOUNT_GRANT)) {
            return userManagedGrant(req);
        }
        if (req.type.equals("password")) {
            principal = req.username;
            granted = authentication.authenticatePassword(req.username, Secret.of(req.password), req.runAs, req.request)
                    .thenApply(Optional::of);
        } else {
            if (req.clientAuthentication) {
                // no realm here takes JWTs, the only tokens Elasticsearch accepts client authentication with
                throw new EsException(EsErrors.SECURITY_EXCEPTION, 400, ServerEsMessages.GRANT_CLIENT_AUTHENTICATION_NOT_SUPPORTED);
            }
            principal = ServerEsMessages.BEARER_TOKEN_PRINCIPAL;
            granted = accessTokens.resolve(Secret.of(req.accessToken), req.runAs);
        }
        return granted.handle((found, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof AuthenticationException ae && ae.kind() == AuthenticationException.Kind.THROTTLED) {
                    throw ae;
                }
                if (!(cause instanceof AuthenticationException)) {
                    throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
                }
                found = Optional.empty();
            }
            if (found.isEmpty()) {
                throw new EsException(EsErrors.SECURITY_EXCEPTION, 403, ServerEsMessages.GRANT_API_KEY_AUTHENTICATION_FAILED,
                        EsException.nestedCause(EsErrors.SECURITY_EXCEPTION,
                                EsMessages.unableToAuthenticateUserForAction(principal, Actions.GRANT_API_KEY)));
            }
            Authentication user = found.get();
            authorizer.checkGrantedRunAs(user);
            return user;
        }).thenCompose(user -> create(req.key, user));
    }

    /**
     * The {@code _user_managed_service_account} grant: the token authenticates as in a Bearer header, then the key is
     * created as that account would create it (owned by it, limited by its roles). A token that is not one is a 400, a
     * built-in account's is refused after it authenticates, and a failed authentication is the grant's 403 with the
     * token's 401 under it.
     */
    private CompletableFuture<Created> userManagedGrant(Grant req) {
        Optional<ServiceAccountToken> token = TokenCodec.decode(req.serviceAccountToken);
        if (token.isEmpty()) {
            throw new EsException(EsErrors.SECURITY_EXCEPTION, 400, ServerEsMessages.SERVICE_ACCOUNT_TOKEN_NOT_VALID);
        }
        InetAddress client = req.request.origin() == null ? null : req.request.origin().getAddress();
        return authentication.authenticateServiceToken(token.get(), client).handle((account, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof AuthenticationException ae && ae.kind() == AuthenticationException.Kind.UNAUTHENTICATED) {
                    throw new EsException(EsErrors.SECURITY_EXCEPTION, 403, ServerEsMessages.GRANT_API_KEY_AUTHENTICATION_FAILED,
                            EsException.nestedCause(EsErrors.SECURITY_EXCEPTION, ae.getMessage()));
                }
                throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
            }
            if (!(account instanceof ServiceAccountAuthn sa) || !sa.userManaged()) {
                throw new EsException(EsErrors.SECURITY_EXCEPTION, 400, ServerEsMessages.SERVICE_ACCOUNT_TOKEN_NOT_USER_MANAGED);
            }
            return account;
        }).thenCompose(account -> create(req.key, account));
    }

    // ------------------------------------------------------------------ cross-cluster keys

    private static final String CROSS_CLUSTER = "/_security/cross_cluster/api_key";

    /** {@code POST /_security/cross_cluster/api_key}: name, access, expiration, metadata. */
    static final class CrossClusterCreate implements Endpoint.Request {
        final Create key = new Create();
        JsonNode access;
        RoleDescriptor descriptor;

        @Override
        public void validate() {
            key.validate();
        }
    }

    private static final ObjectParser<CrossClusterCreate> CROSS_CLUSTER_PARSER = new ObjectParser<CrossClusterCreate>(
            ObjectParser.Errors.objectParser(ServerEsMessages.CROSS_CLUSTER_API_KEY_PARSER))
            .declare("name", (c, v) -> c.key.name = RestSupport.storableText(v.field(), v.string()))
            .declare("access", (c, v) -> c.access = v.object())
            .declare("expiration", (c, v) -> c.key.expirationText = v.string())
            .declare("metadata", (c, v) -> c.key.metadata = v.object());

    private CrossClusterCreate crossCluster(RestRequest request) {
        request.jsonBody();
        CrossClusterCreate c = CROSS_CLUSTER_PARSER.parse(request.body(), new CrossClusterCreate());
        List<String> missing = new ArrayList<>();
        if (c.key.name == null) {
            missing.add("name");
        }
        if (c.access == null) {
            missing.add("access");
        }
        if (!missing.isEmpty()) {
            throw EsErrors.illegalArgument(ServerEsMessages.requiredFields(missing));
        }
        c.descriptor = CrossClusterAccess.descriptor(c.access);
        expiration(c.key);
        return c;
    }

    private static Created created(ApiKeyService.Created created) {
        try {
            return new Created(created.id(), created.name(), created.expirationMillis(), created.secret().revealAsString(SecretAccess.plaintext()));
        } finally {
            created.secret().wipe();
        }
    }

    /** {@code PUT /_security/cross_cluster/api_key/{id}}: access, metadata, expiration, each optional. */
    static final class CrossClusterUpdate implements Endpoint.Request {
        final Update key = new Update();
        RoleDescriptor descriptor;

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (key.metadata != null && hasReservedKey(key.metadata)) {
                errors.add(ServerEsMessages.API_KEY_METADATA_RESERVED_KEYS);
            }
            if (descriptor == null && key.metadata == null) {
                errors.add(ServerEsMessages.CROSS_CLUSTER_UPDATE_NOTHING);
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }
    }

    private static final ObjectParser<CrossClusterUpdate> CROSS_CLUSTER_UPDATE_PARSER = new ObjectParser<CrossClusterUpdate>(
            ObjectParser.Errors.objectParser(ServerEsMessages.UPDATE_CROSS_CLUSTER_API_KEY_PARSER))
            .declare("access", (c, v) -> c.descriptor = CrossClusterAccess.descriptor(v.object()))
            .declare("expiration", (c, v) -> c.key.expirationText = v.string())
            .declare("metadata", (c, v) -> c.key.metadata = v.object());

    private CrossClusterUpdate crossClusterUpdate(RestRequest request) {
        CrossClusterUpdate c = new CrossClusterUpdate();
        request.jsonBody(); // required here, unlike the REST key update's
        CROSS_CLUSTER_UPDATE_PARSER.parse(request.body(), c);
        c.key.ids = List.of(request.param("id"));
        expiration(c.key, ServerEsMessages.UPDATE_CROSS_CLUSTER_API_KEY_PARSER);
        return c;
    }

    private CompletableFuture<JsonReply> crossClusterUpdate(CrossClusterUpdate req, Authentication authentication) {
        return apiKeys.update(ApiKeyRecord.TYPE_CROSS_CLUSTER, authentication, req.key.ids, req.descriptor == null ? null : List.of(req.descriptor),
                req.key.metadata, req.key.expiration, List.of()).thenApply(result -> {
            if (!result.errors().isEmpty()) {
                throw result.errors().values().iterator().next();
            }
            ObjectNode o = Json.object();
            o.put("updated", !result.updated().isEmpty());
            return JsonReply.ok(o);
        });
    }

    // ------------------------------------------------------------------ query

    /** {@code GET|POST /_security/_query/api_key}: the body is optional (none: every visible key). */
    static final class Query implements Endpoint.Request {
        ApiKeyQuery.Node query;
        Integer from;
        Integer size;
        List<ApiKeyQuery.Sort> sorts = List.of();
        List<JsonNode> searchAfter;
        ObjectNode aggregations;
        boolean withLimitedBy;

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (from != null && from < 0) {
                errors.add(ServerEsMessages.negativeParameter("from", from));
            }
            if (size != null && size < 0) {
                errors.add(ServerEsMessages.negativeParameter("size", size));
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }
    }

    private static final ObjectParser<Query> QUERY_PARSER = new ObjectParser<Query>(
            ObjectParser.Errors.objectParser(ServerEsMessages.QUERY_API_KEY_PARSER))
            .declare("query", (q, v) -> {
                JsonNode tree = v.tree();
                try {
                    q.query = ApiKeyQuery.parse(tree);
                } catch (EsException e) {
                    throw v.failed(e);
                }
            })
            .declare("from", (q, v) -> q.from = v.int32())
            .declare("size", (q, v) -> q.size = v.int32())
            .declare("sort", (q, v) -> {
                JsonNode tree = v.tree();
                List<ApiKeyQuery.Sort> sorts = new ArrayList<>();
                try {
                    if (tree.isArray()) {
                        tree.forEach(s -> sorts.add(ApiKeyQuery.parseSort(s)));
                    } else {
                        sorts.add(ApiKeyQuery.parseSort(tree));
                    }
                } catch (EsException e) {
                    throw v.failed(EsException.nestedCause(e.type(), e.getMessage()));
                }
                q.sorts = sorts;
            })
            .declare("search_after", (q, v) -> {
                JsonNode tree = v.tree();
                if (!tree.isArray()) {
                    throw v.wrongType("array");
                }
                q.searchAfter = new ArrayList<>();
                tree.forEach(q.searchAfter::add);
            })
            .declare("aggs", (q, v) -> q.aggregations = v.object())
            .declare("aggregations", (q, v) -> q.aggregations = v.object());

    private Query query(RestRequest request) {
        Query q = new Query();
        if (request.hasBody()) {
            request.jsonBody();
            QUERY_PARSER.parse(request.body(), q);
        }
        q.withLimitedBy = request.paramAsBoolean("with_limited_by");
        return q;
    }

    /**
     * Runs the query over the keys the caller may see: every key with manage_api_key or read_security (or more), else
     * the caller's own (an API key: itself only), as Elasticsearch filters it for manage_own_api_key.
     */
    private CompletableFuture<JsonReply> query(Query req, Authentication authentication) {
        if (req.query != null) {
            ApiKeyQuery.check(req.query);
        }
        ApiKeyQuery.checkSort(req.sorts);
        ApiKeyQuery.checkAggregations(req.aggregations);
        if (req.searchAfter != null && req.searchAfter.size() != req.sorts.size()) {
            throw EsErrors.illegalArgument(ServerEsMessages.searchAfterSortSize(req.searchAfter.size(), req.sorts.size()));
        }
        ApiKeyFilter visible = ApiKeyFilter.all();
        if (!authorizer.permits(authentication, Actions.QUERY_API_KEY)) {
            visible = authentication instanceof ApiKeyAuthn key
                    ? new ApiKeyFilter(List.of(key.id()), null, null, null, false, null)
                    : new ApiKeyFilter(null, null, authentication.principal(), ApiKeyService.ownerRealmNames(authentication), false, null);
        }
        long now = apiKeys.now();
        return apiKeys.find(visible).thenApply(found -> {
            record Hit(ApiKeyRecord key, List<JsonNode> sortValues) {
            }
            List<Hit> hits = new ArrayList<>();
            for (ApiKeyRecord k : found) {
                ApiKeyQuery.Doc d = new ApiKeyQuery.Doc(k);
                if (req.query == null || ApiKeyQuery.matches(req.query, d, now)) {
                    hits.add(new Hit(k, ApiKeyQuery.sortValues(d, req.sorts, hits.size())));
                }
            }
            int total = hits.size();
            List<ApiKeyQuery.Doc> matched = new ArrayList<>();
            if (req.aggregations != null) {
                hits.forEach(h -> matched.add(new ApiKeyQuery.Doc(h.key())));
            }
            if (!req.sorts.isEmpty()) {
                Comparator<List<JsonNode>> order = ApiKeyQuery.comparator(req.sorts);
                hits.sort((a, b) -> order.compare(a.sortValues(), b.sortValues()));
                if (req.searchAfter != null) {
                    hits.removeIf(h -> order.compare(h.sortValues(), req.searchAfter) <= 0);
                }
            }
            int from = req.from == null ? 0 : req.from;
            int size = req.size == null ? 10 : req.size;
            List<Hit> page = hits.subList(Math.min(from, hits.size()), (int) Math.min((long) from + size, hits.size()));
            ObjectNode o = Json.object();
            o.put("total", total);
            o.put("count", page.size());
            ArrayNode list = o.putArray("api_keys");
            for (Hit h : page) {
                ObjectNode k = toJson(h.key(), req.withLimitedBy);
                if (!req.sorts.isEmpty()) {
                    k.set("_sort", ApiKeyQuery.array(h.sortValues()));
                }
                list.add(k);
            }
            if (req.aggregations != null) {
                o.set("aggregations", ApiKeyQuery.aggregate(req.aggregations, matched, now));
            }
            return JsonReply.ok(o);
        });
    }

    // ------------------------------------------------------------------ cache

    /** {@code POST /_security/api_key/{ids}/_clear_cache}: a comma list of ids, or {@code *} / {@code _all} (null: every key). */
    record ClearCache(List<String> ids) implements Endpoint.Request {
        static ClearCache of(RestRequest r) {
            List<String> ids = Arrays.asList(r.param("ids").split(",", -1));
            boolean all = ids.size() == 1 && (ids.get(0).equals("*") || ids.get(0).equals("_all"));
            return new ClearCache(all ? null : ids);
        }
    }

    /** Forgets the cached authentications here at once, then on every node; answers with the nodes that did. */
    private CompletableFuture<JsonReply> clearCache(ClearCache req) {
        apiKeys.invalidateCached(req.ids());
        return invalidations.publish(InvalidationBus.API_KEYS, req.ids()).thenApply(ack -> {
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

    // ------------------------------------------------------------------ helpers

    /**
     * The get and invalidate requests' rules on how keys are selected (each API words them its own way): ids or a
     * name exclude a user or realm, so does {@code owner}, and ids exclude a name. Throws all findings, numbered.
     */
    private static void checkSelection(List<String> errors, boolean byId, boolean byName, boolean byUser, boolean owner,
                                       String idOrNameWithUser, String ownedWithUser, String idAndName) {
        if ((byId || byName) && byUser) {
            errors.add(idOrNameWithUser);
        }
        if (owner && byUser) {
            errors.add(ownedWithUser);
        }
        if (byId && byName) {
            errors.add(idAndName);
        }
        if (!errors.isEmpty()) {
            throw EsErrors.validation(errors);
        }
    }

    /** {@code Validation Failed: 1: a;2: b;} back into its findings. */
    static List<String> splitValidation(String message) {
        String body = message.startsWith("Validation Failed: ") ? message.substring("Validation Failed: ".length()) : message;
        List<String> out = new ArrayList<>();
        for (String part : body.split(";(?=\\d+: |$)")) {
            if (!part.isEmpty()) {
                out.add(part.replaceFirst("^\\d+: ", ""));
            }
        }
        return out;
    }

    private static boolean hasReservedKey(ObjectNode metadata) {
        for (Iterator<String> it = metadata.fieldNames(); it.hasNext(); ) {
            if (it.next().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static String textOrNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
