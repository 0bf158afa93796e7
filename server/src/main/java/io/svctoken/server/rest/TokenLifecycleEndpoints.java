package io.svctoken.server.rest;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.Futures;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.Creator;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TimeBasedIds;
import io.svctoken.core.token.TokenId;
import io.svctoken.core.token.TokenNames;
import io.svctoken.server.NodeIdentity;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.ServiceTokens;
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

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;
import static io.svctoken.server.http.Router.Method.PUT;

/**
 * svctoken's own service-token lifecycle endpoints, under {@code /_svctoken/service/{namespace}/{service}/credential}:
 * the tokens with their lifecycle (filters {@code unused_for}, {@code expiring_within}), one token, create with an
 * expiry and metadata, disable, enable, and rotate with a grace period. Elasticsearch has none of this; its own
 * endpoints are untouched. Their JSON is svctoken's (snake_case, times in epoch milliseconds as Elasticsearch's
 * API keys show them); errors keep Elasticsearch's envelope.
 */
public final class TokenLifecycleEndpoints {

    static final String CREDENTIAL = "/_svctoken/service/{namespace}/{service}/credential";
    static final String TOKEN = CREDENTIAL + "/token";
    /** Metadata is free-form but bounded: it is stored with each token and read with every listing. */
    static final int MAX_METADATA_BYTES = 16 * 1024;
    /** A rotated token's grace period when the request names none. */
    static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    private final ServiceTokens tokens;
    private final NodeIdentity identity;
    private final Clock clock;
    private final Duration maxLifetime;

    /** @param maxLifetime {@code svctoken.service_token.max_lifetime}; null: none */
    public TokenLifecycleEndpoints(ServiceTokens tokens, NodeIdentity identity, Clock clock, Duration maxLifetime) {
        this.tokens = tokens;
        this.identity = identity;
        this.clock = clock;
        this.maxLifetime = maxLifetime;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(GET, CREDENTIAL)
                        .params(Param.string("unused_for"), Param.string("expiring_within"))
                        .parse(Listing::of)
                        .access(Access.action(Actions.SVCTOKEN_GET_TOKENS))
                        .execute((req, authn) -> list(req)),
                Endpoint.on(GET, TOKEN + "/{name}")
                        .parse(r -> Named.of(r, "name"))
                        .access(Access.action(Actions.SVCTOKEN_GET_TOKENS))
                        .execute((req, authn) -> get(req)),
                Endpoint.on(Set.of(POST, PUT), TOKEN + "/{name}").on(POST, TOKEN)
                        .parse(this::create)
                        .access(Access.action(Actions.SVCTOKEN_CREATE_TOKEN))
                        .execute(this::create),
                Endpoint.on(POST, TOKEN + "/{name}/_disable")
                        .parse(r -> Named.of(r, "name"))
                        .access(Access.action(Actions.SVCTOKEN_DISABLE_TOKEN))
                        .execute((req, authn) -> setEnabled(req, false)),
                Endpoint.on(POST, TOKEN + "/{name}/_enable")
                        .parse(r -> Named.of(r, "name"))
                        .access(Access.action(Actions.SVCTOKEN_ENABLE_TOKEN))
                        .execute((req, authn) -> setEnabled(req, true)),
                Endpoint.on(POST, TOKEN + "/{name}/_rotate")
                        .parse(this::rotate)
                        .access(Access.action(Actions.SVCTOKEN_ROTATE_TOKEN))
                        .execute(this::rotate));
    }

    // ------------------------------------------------------------------ reading

    /** One token of an account, named in the path. */
    record Named(String namespace, String service, String name) implements Endpoint.Request {
        static Named of(RestRequest r, String param) {
            return new Named(r.param("namespace"), r.param("service"), r.param(param));
        }

        @Override
        public void validate() {
            account();
            if (!TokenNames.isValid(name)) {
                throw EsErrors.validation(List.of(EsMessages.invalidTokenName(name)));
            }
        }

        ServiceAccountId account() {
            return ServiceAccountEndpoints.accountId(namespace, service);
        }

        TokenId id() {
            return new TokenId(account(), name);
        }
    }

    /** {@code GET .../credential}: every token, or those unused for / expiring within a time. */
    record Listing(String namespace, String service, Duration unusedFor, Duration expiringWithin) implements Endpoint.Request {
        static Listing of(RestRequest r) {
            return new Listing(r.param("namespace"), r.param("service"), duration(r, "unused_for"), duration(r, "expiring_within"));
        }

        @Override
        public void validate() {
            ServiceAccountEndpoints.accountId(namespace, service);
        }

        boolean filtered() {
            return unusedFor != null || expiringWithin != null;
        }

        boolean matches(TokenRecord r, long now) {
            if (unusedFor != null) {
                // the last use, else the creation when known: a token made yesterday was not unused for 90 days
                Long seen = r.lastUsedMillis() != null ? r.lastUsedMillis() : creation(r);
                if (seen != null && seen > now - unusedFor.toMillis()) {
                    return false;
                }
            }
            return expiringWithin == null || (r.expiresAtMillis() != null && r.expiresAtMillis() <= now + expiringWithin.toMillis());
        }
    }

    private static Duration duration(RestRequest r, String param) {
        String v = r.param(param);
        if (v == null) {
            return null;
        }
        try {
            return TimeValues.parse(param, v);
        } catch (SettingsException e) {
            throw EsErrors.illegalArgument(e.getMessage());
        }
    }

    private CompletableFuture<JsonReply> list(Listing req) {
        ServiceAccountId account = ServiceAccountEndpoints.accountId(req.namespace(), req.service());
        long now = clock.millis();
        return tokens.indexTokens(account).thenCombine(tokens.fileTokenNames(account), (records, nodes) -> {
            ObjectNode o = Json.object();
            o.put("service_account", account.asPrincipal());
            List<TokenRecord> shown = records.stream().filter(r -> req.matches(r, now)).toList();
            Map<String, List<String>> files = req.filtered() ? Map.of() : nodes.fileTokens();
            o.put("count", shown.size() + files.size());
            ObjectNode t = o.putObject("tokens");
            shown.forEach(r -> t.set(r.id().tokenName(), lifecycle(r, now)));
            // file tokens have no lifecycle (the service_tokens file holds name and hash only, as Elasticsearch reads it)
            ObjectNode ft = o.putObject("file_tokens");
            files.forEach((name, nodeNames) -> {
                ObjectNode f = ft.putObject(name);
                f.put("source", "file");
                nodeNames.forEach(f.putArray("nodes")::add);
            });
            return JsonReply.ok(o);
        }).exceptionally(error -> {
            throw EsErrors.storeUnavailable(Futures.unwrap(error));
        });
    }

    private CompletableFuture<JsonReply> get(Named req) {
        long now = clock.millis();
        return tokens.indexToken(req.id()).handle((found, error) -> {
            if (error != null) {
                throw EsErrors.storeUnavailable(Futures.unwrap(error));
            }
            return JsonReply.ok(lifecycle(found.orElseThrow(() -> notFound(req.id())), now));
        });
    }

    static EsException notFound(TokenId id) {
        return new EsException("resource_not_found_exception", 404, ServerEsMessages.serviceTokenNotFound(id.qualifiedName()));
    }

    /** Unknown when not recorded (0: never written by svctoken); never made up. */
    private static Long creation(TokenRecord r) {
        return r.creationTimeMillis() > 0 ? r.creationTimeMillis() : null;
    }

    /** A token's lifecycle, as svctoken's endpoints show it. */
    static ObjectNode lifecycle(TokenRecord r, long now) {
        ObjectNode o = Json.object();
        o.put("name", r.id().tokenName());
        o.put("source", "index");
        putMillis(o, "creation", creation(r));
        o.set("created_by", createdBy(r.creatorJson()));
        putMillis(o, "expiration", r.expiresAtMillis());
        o.put("expired", r.expiredAt(now));
        o.put("enabled", r.enabled());
        putMillis(o, "last_used", r.lastUsedMillis());
        o.put("last_used_node", r.lastUsedNode());
        o.put("successor", r.successor());
        o.set("metadata", metadata(r.metadataJson()));
        return o;
    }

    private static void putMillis(ObjectNode o, String field, Long millis) {
        if (millis == null) {
            o.putNull(field);
        } else {
            o.put(field, millis);
        }
    }

    /** {@code principal}, {@code realm}, {@code realm_type} of the stored creator; null when not recorded. */
    private static JsonNode createdBy(String creatorJson) {
        if (creatorJson == null) {
            return Json.object().nullNode();
        }
        try {
            JsonNode c = Json.MAPPER.readTree(creatorJson);
            ObjectNode o = Json.object();
            for (String f : List.of("principal", "realm", "realm_type")) {
                o.set(f, c.has(f) ? c.get(f) : o.nullNode());
            }
            return o;
        } catch (Exception e) {
            return Json.object().nullNode();
        }
    }

    private static JsonNode metadata(String metadataJson) {
        if (metadataJson == null) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(metadataJson);
        } catch (Exception e) {
            return Json.object();
        }
    }

    // ------------------------------------------------------------------ create

    /** The lifecycle a new token is created with: {@code expiration} (a duration) or {@code expires_at}, and metadata. */
    static final class Lifecycle {
        String expiration;
        Object expiresAt;
        ObjectNode metadata;
        String name;
        String grace;
    }

    private static final ObjectParser<Lifecycle> CREATE = new ObjectParser<Lifecycle>(
            ObjectParser.Errors.objectParser(ServerEsMessages.SVCTOKEN_TOKEN_PARSER))
            .declare("expiration", (c, v) -> c.expiration = v.string())
            .declare("expires_at", (c, v) -> c.expiresAt = v.token() == JsonToken.VALUE_NUMBER_INT ? (Object) v.int64() : v.string())
            .declare("metadata", (c, v) -> c.metadata = v.object());

    private static final ObjectParser<Lifecycle> ROTATE = new ObjectParser<Lifecycle>(
            ObjectParser.Errors.objectParser(ServerEsMessages.SVCTOKEN_ROTATE_PARSER))
            .declare("name", (c, v) -> c.name = v.string())
            .declare("grace", (c, v) -> c.grace = v.string())
            .declare("expiration", (c, v) -> c.expiration = v.string())
            .declare("expires_at", (c, v) -> c.expiresAt = v.token() == JsonToken.VALUE_NUMBER_INT ? (Object) v.int64() : v.string())
            .declare("metadata", (c, v) -> c.metadata = v.object());

    /** Create or rotate: the token named in the path, the new one's lifecycle. */
    record Change(Named token, Lifecycle lifecycle) implements Endpoint.Request {
        @Override
        public void validate() {
            token.validate();
            if (lifecycle.name != null && !TokenNames.isValid(lifecycle.name)) {
                throw EsErrors.validation(List.of(EsMessages.invalidTokenName(lifecycle.name)));
            }
            if (lifecycle.expiration != null && lifecycle.expiresAt != null) {
                throw EsErrors.illegalArgument(ServerEsMessages.SVCTOKEN_EXPIRATION_EXCLUSIVE);
            }
            if (lifecycle.metadata != null) {
                int size = lifecycle.metadata.toString().getBytes(StandardCharsets.UTF_8).length;
                if (size > MAX_METADATA_BYTES) {
                    throw EsErrors.illegalArgument(ServerEsMessages.svctokenMetadataTooLarge(MAX_METADATA_BYTES, size));
                }
            }
        }
    }

    private Change create(RestRequest r) {
        String name = r.param("name");
        Named token = new Named(r.param("namespace"), r.param("service"), name == null || name.isEmpty() ? TimeBasedIds.newTokenName() : name);
        Lifecycle l = r.hasBody() ? CREATE.parse(r.body(), new Lifecycle()) : new Lifecycle();
        return new Change(token, l);
    }

    private Change rotate(RestRequest r) {
        Lifecycle l = r.hasBody() ? ROTATE.parse(r.body(), new Lifecycle()) : new Lifecycle();
        return new Change(Named.of(r, "name"), l);
    }

    /**
     * The expiry a new token gets: the requested one, else {@code inherited}, else {@code max_lifetime}'s, else none;
     * one in the past or beyond {@code max_lifetime} is refused.
     */
    private Long expiry(Lifecycle l, long now, Long inherited) {
        Long at = null;
        if (l.expiration != null) {
            try {
                at = now + TimeValues.parse("expiration", l.expiration).toMillis();
            } catch (SettingsException e) {
                throw EsErrors.illegalArgument(e.getMessage());
            }
        } else if (l.expiresAt instanceof Long millis) {
            at = millis;
        } else if (l.expiresAt instanceof String text) {
            try {
                at = Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw EsErrors.illegalArgument(ServerEsMessages.svctokenBadExpiresAt(text));
            }
        } else if (inherited != null) {
            at = inherited;
        }
        if (at != null && at <= now) {
            throw EsErrors.illegalArgument(ServerEsMessages.SVCTOKEN_EXPIRATION_IN_THE_PAST);
        }
        if (maxLifetime != null) {
            long cap = now + maxLifetime.toMillis();
            if (at == null) {
                return cap;
            }
            if (at > cap) {
                throw EsErrors.illegalArgument(ServerEsMessages.svctokenBeyondMaxLifetime(maxLifetime.toMillis()));
            }
        }
        return at;
    }

    private CompletableFuture<JsonReply> create(Change req, Authentication authentication) {
        ServiceAccountId account = req.token().account();
        if (!tokens.accounts().isKnown(account)) {
            throw EsErrors.illegalArgument(ServerEsMessages.accountDoesNotExist(account.asPrincipal()));
        }
        long now = clock.millis();
        Long expiresAt = expiry(req.lifecycle(), now, null);
        String metadata = req.lifecycle().metadata == null ? null : req.lifecycle().metadata.toString();
        ServiceAccountToken token = ServiceAccountToken.newToken(account, req.token().name());
        return tokens.create(token, Creator.of(authentication).toString(), expiresAt, metadata).handle((ok, error) -> {
            try {
                if (error != null) {
                    throw createFailure(Futures.unwrap(error));
                }
                ObjectNode o = Json.object();
                o.put("created", true);
                o.set("token", created(token, expiresAt));
                return JsonReply.ok(o);
            } finally {
                token.close();
            }
        });
    }

    private EsException createFailure(Throwable cause) {
        if (cause instanceof DuplicateTokenException d) {
            return EsErrors.duplicateToken(d.tokenId(), identity.indexUuid());
        }
        if (cause instanceof EsException e) {
            return e;
        }
        return EsErrors.storeUnavailable(cause);
    }

    /** {@code {"name","value","expiration"}}: the value is shown this once. */
    private static ObjectNode created(ServiceAccountToken token, Long expiresAt) {
        ObjectNode t = Json.object();
        t.put("name", token.tokenName());
        t.put("value", token.asBearer().revealAsString(SecretAccess.plaintext()));
        putMillis(t, "expiration", expiresAt);
        return t;
    }

    // ------------------------------------------------------------------ disable, enable

    private CompletableFuture<JsonReply> setEnabled(Named req, boolean enabled) {
        TokenId id = req.id();
        return tokens.setEnabled(id, enabled).handle((found, error) -> {
            if (error != null) {
                throw EsErrors.storeUnavailable(Futures.unwrap(error));
            }
            if (!found) {
                throw notFound(id);
            }
            ObjectNode o = Json.object();
            o.put("acknowledged", true);
            o.put("enabled", enabled);
            return JsonReply.ok(o);
        });
    }

    // ------------------------------------------------------------------ rotate

    /**
     * A successor for the same account (the old token's lifetime and metadata unless the request gives others), and
     * the old token working until its grace period ends: clients switch to the new value with no failed request.
     */
    private CompletableFuture<JsonReply> rotate(Change req, Authentication authentication) {
        TokenId old = req.token().id();
        Lifecycle l = req.lifecycle();
        Duration grace;
        try {
            grace = l.grace == null ? DEFAULT_GRACE : TimeValues.parse("grace", l.grace);
        } catch (SettingsException e) {
            throw EsErrors.illegalArgument(e.getMessage());
        }
        long now = clock.millis();
        String creator = Creator.of(authentication).toString();
        return tokens.indexToken(old).thenCompose(found -> {
            TokenRecord r = found.orElseThrow(() -> notFound(old));
            Long lifetime = r.expiresAtMillis() != null && r.creationTimeMillis() > 0 && r.expiresAtMillis() > r.creationTimeMillis()
                    ? now + (r.expiresAtMillis() - r.creationTimeMillis()) : null;
            Long expiresAt = expiry(l, now, lifetime);
            String metadata = l.metadata != null ? l.metadata.toString() : r.metadataJson();
            String name = l.name != null ? l.name : TimeBasedIds.newTokenName();
            ServiceAccountToken successor = ServiceAccountToken.newToken(old.accountId(), name);
            return tokens.rotate(old, now + grace.toMillis(), successor, creator, expiresAt, metadata).handle((after, error) -> {
                try {
                    if (error != null) {
                        throw createFailure(Futures.unwrap(error));
                    }
                    TokenRecord previous = after.orElseThrow(() -> notFound(old)); // deleted meanwhile: nothing was stored
                    ObjectNode o = Json.object();
                    o.put("created", true);
                    o.set("token", created(successor, expiresAt));
                    ObjectNode p = o.putObject("previous");
                    p.put("name", old.tokenName());
                    putMillis(p, "expiration", previous.expiresAtMillis());
                    return JsonReply.ok(o);
                } finally {
                    successor.close();
                }
            });
        }).exceptionally(error -> {
            throw createFailure(Futures.unwrap(error));
        });
    }
}
