package io.svctoken.server.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.role.RoleDescriptors;
import io.svctoken.core.role.RoleParseException;
import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.text.Levenshtein;
import io.svctoken.core.user.Validation;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.ApiKeyRequestScope;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;
import io.svctoken.server.settings.SettingsException;
import io.svctoken.server.settings.TimeValues;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The API key APIs of Elasticsearch ({@code /_security/api_key}): create, get and invalidate, with
 * Elasticsearch's request parsing (its {@code ObjectParser} errors), request validation (before
 * authorization, as in Elasticsearch) and response shapes.
 */
public final class ApiKeyHandlers {

    private ApiKeyHandlers() {
    }

    // ------------------------------------------------------------------ create

    /** {@code POST|PUT /_security/api_key}: {@code {"id","name","expiration"?,"api_key","encoded"}}. */
    public static final class Create extends WriteHandler {
        private static final List<String> FIELDS = List.of("name", "role_descriptors", "expiration", "metadata");
        /** Parses descriptors whose names the role API would refuse (Elasticsearch does not check API key role names). */
        private static final String PLACEHOLDER = "api_key_role_descriptor";

        private final ApiKeyService apiKeys;
        private final Authorizer authorizer;
        private final ReservedRoles reserved;

        public Create(ApiKeyService apiKeys, Authorizer authorizer, ReservedRoles reserved) {
            this.apiKeys = apiKeys;
            this.authorizer = authorizer;
            this.reserved = reserved;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            request.jsonBody(); // required, a JSON object, well-formed
            String name = null;
            String expirationText = null;
            ObjectNode metadata = null;
            List<RoleDescriptor> descriptors = null;
            List<String> descriptorErrors = new ArrayList<>();
            try (JsonParser p = Json.MAPPER.getFactory().createParser(request.body())) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonLocation fieldAt = p.currentTokenLocation();
                    p.nextToken();
                    switch (field) {
                        case "name" -> name = RestSupport.storableText(field, string(p, EsMessages.API_KEY_REQUEST_PARSER, field));
                        case "expiration" -> expirationText = string(p, EsMessages.API_KEY_REQUEST_PARSER, field);
                        case "metadata" -> metadata = object(p, EsMessages.API_KEY_REQUEST_PARSER, field);
                        case "role_descriptors" -> {
                            ObjectNode all = object(p, EsMessages.API_KEY_REQUEST_PARSER, field);
                            descriptors = new ArrayList<>();
                            for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                                Map.Entry<String, JsonNode> e = it.next();
                                try {
                                    descriptors.add(parseDescriptor(e.getKey(), e.getValue(), descriptorErrors));
                                } catch (RoleParseException ex) {
                                    throw xContent(p.currentTokenLocation(),
                                            EsMessages.objectParserFailedToParseField(EsMessages.API_KEY_REQUEST_PARSER, field),
                                            EsException.from(throwable(ex)));
                                }
                            }
                        }
                        default -> throw unknownField(fieldAt, EsMessages.API_KEY_REQUEST_PARSER, field, FIELDS);
                    }
                }
            } catch (IOException e) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, EsMessages.FAILED_TO_PARSE_REQUEST_BODY);
            }
            if (name == null) {
                throw EsErrors.illegalArgument(EsMessages.requiredFields(List.of("name")));
            }
            Duration expiration = null;
            if (expirationText != null) {
                try {
                    expiration = TimeValues.parse("expiration", expirationText);
                } catch (SettingsException e) {
                    throw new EsException(EsErrors.X_CONTENT_PARSE, 400, EsMessages.failedToBuild(EsMessages.API_KEY_REQUEST_PARSER),
                            EsException.from(new ParseException(e.getMessage(), null)));
                }
            }
            List<String> errors = new ArrayList<>();
            if (name.isEmpty()) {
                errors.add(EsMessages.API_KEY_NAME_REQUIRED);
            } else {
                if (name.length() > 256) {
                    errors.add(EsMessages.API_KEY_NAME_TOO_LONG);
                }
                if (!name.equals(name.trim())) {
                    errors.add(EsMessages.API_KEY_NAME_WHITESPACE);
                }
                if (name.startsWith("_")) {
                    errors.add(EsMessages.API_KEY_NAME_UNDERSCORE);
                }
            }
            if (metadata != null && hasReservedKey(metadata)) {
                errors.add(EsMessages.API_KEY_METADATA_RESERVED_KEYS);
            }
            errors.addAll(descriptorErrors);
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }

            authorizer.authorize(authentication, Actions.CREATE_API_KEY, ApiKeyRequestScope.create());
            List<RoleDescriptor> own = descriptors == null ? List.of() : descriptors;
            if (authentication instanceof ApiKeyAuthn && (own.isEmpty() || !own.stream().allMatch(Create::isEmpty))) {
                throw EsErrors.illegalArgument(EsMessages.DERIVED_API_KEY_NEEDS_EMPTY_DESCRIPTOR);
            }
            List<RoleDescriptor> limitedBy = authorizer.effectiveDescriptors(authentication);
            return apiKeys.create(authentication, name, expiration, own, metadata, limitedBy).thenApply(created -> {
                try {
                    ObjectNode o = Json.object();
                    o.put("id", created.id());
                    o.put("name", created.name());
                    if (created.expirationMillis() != null) {
                        o.put("expiration", created.expirationMillis());
                    }
                    String key = created.secret().revealAsString();
                    o.put("api_key", key);
                    o.put("encoded", Base64.getEncoder().encodeToString((created.id() + ":" + key).getBytes(StandardCharsets.UTF_8)));
                    return RestResponse.ok(o);
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
    }

    // ------------------------------------------------------------------ get

    /** {@code GET /_security/api_key}: {@code {"api_keys":[...]}}; 404 when an {@code id} was asked for and not found. */
    public static final class Get implements RestHandler {
        private static final Set<String> PARAMS = Set.of("id", "name", "username", "realm_name", "owner", "with_limited_by", "active_only",
                "with_profile_uid");
        private final ApiKeyService apiKeys;
        private final Authorizer authorizer;

        public Get(ApiKeyService apiKeys, Authorizer authorizer) {
            this.apiKeys = apiKeys;
            this.authorizer = authorizer;
        }

        @Override
        public Set<String> params() {
            return PARAMS;
        }

        @Override
        public void prepare(RestRequest request) {
            for (String b : List.of("owner", "with_limited_by", "active_only", "with_profile_uid")) {
                request.paramAsBoolean(b);
            }
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String id = textOrNull(request.param("id"));
            String name = textOrNull(request.param("name"));
            String username = textOrNull(request.param("username"));
            String realmName = textOrNull(request.param("realm_name"));
            boolean owner = request.paramAsBoolean("owner");
            boolean withLimitedBy = request.paramAsBoolean("with_limited_by");
            boolean activeOnly = request.paramAsBoolean("active_only");
            List<String> errors = new ArrayList<>();
            if ((id != null || name != null) && (realmName != null || username != null)) {
                errors.add(EsMessages.GET_API_KEY_ID_OR_NAME_WITH_USER);
            }
            if (owner && (realmName != null || username != null)) {
                errors.add(EsMessages.GET_API_KEY_OWNED_WITH_USER);
            }
            if (id != null && name != null) {
                errors.add(EsMessages.GET_API_KEY_ID_AND_NAME);
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
            List<String> ids = id == null ? null : List.of(id);
            authorizer.authorize(authentication, Actions.GET_API_KEY,
                    new ApiKeyRequestScope(ApiKeyRequestScope.Kind.GET, ids, username, realmName, owner, withLimitedBy));
            List<String> realms = realmName == null ? null : List.of(realmName);
            if (owner) {
                username = authentication.principal();
                realms = ApiKeyService.ownerRealmNames(authentication);
            }
            ApiKeyFilter filter = new ApiKeyFilter(ids, name, username, realms, false, activeOnly ? apiKeys.now() : null);
            return apiKeys.find(filter).thenApply(found -> {
                ObjectNode o = Json.object();
                ArrayNode list = o.putArray("api_keys");
                found.forEach(k -> list.add(toJson(k, withLimitedBy)));
                return RestResponse.of(id != null && found.isEmpty() ? 404 : 200, o);
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
            if (withLimitedBy) {
                o.putArray("limited_by").add(ApiKeyService.object(k.limitedByJson()));
            }
            return o;
        }
    }

    // ------------------------------------------------------------------ invalidate

    /**
     * {@code DELETE /_security/api_key}: {@code {"invalidated_api_keys":[...],"previously_invalidated_api_keys":[],"error_count":0}}.
     * Keys already invalidated are not selected (as in Elasticsearch), so they are listed nowhere.
     */
    public static final class Invalidate implements RestHandler {
        private static final List<String> FIELDS = List.of("realm_name", "username", "name", "owner", "ids");
        private final ApiKeyService apiKeys;
        private final Authorizer authorizer;

        public Invalidate(ApiKeyService apiKeys, Authorizer authorizer) {
            this.apiKeys = apiKeys;
            this.authorizer = authorizer;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            request.jsonBody();
            String parser = EsMessages.INVALIDATE_API_KEY_PARSER;
            String realmName = null;
            String username = null;
            String name = null;
            boolean owner = false;
            List<String> ids = null;
            try (JsonParser p = Json.MAPPER.getFactory().createParser(request.body())) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonLocation fieldAt = p.currentTokenLocation();
                    p.nextToken();
                    switch (field) {
                        case "realm_name" -> realmName = string(p, parser, field);
                        case "username" -> username = string(p, parser, field);
                        case "name" -> name = string(p, parser, field);
                        case "owner" -> owner = bool(p, parser, field);
                        case "ids" -> ids = strings(p, parser, field);
                        default -> throw unknownField(fieldAt, parser, field, FIELDS);
                    }
                }
            } catch (IOException e) {
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, EsMessages.FAILED_TO_PARSE_REQUEST_BODY);
            }
            if (ids != null) {
                String idsError = null;
                if (ids.isEmpty()) {
                    idsError = EsMessages.INVALIDATE_API_KEY_EMPTY_IDS;
                } else {
                    List<Integer> blank = new ArrayList<>();
                    for (int i = 0; i < ids.size(); i++) {
                        if (ids.get(i) == null || ids.get(i).isBlank()) {
                            blank.add(i);
                        }
                    }
                    if (!blank.isEmpty()) {
                        idsError = EsMessages.invalidateApiKeyBlankIds(blank.size(), blank.toString());
                    }
                }
                if (idsError != null) {
                    throw new EsException(EsErrors.X_CONTENT_PARSE, 400, EsMessages.failedToBuild(parser),
                            EsException.from(new ActionRequestValidationException(EsMessages.validationFailed(List.of(idsError)))));
                }
            }
            realmName = textOrNull(realmName);
            username = textOrNull(username);
            name = textOrNull(name);
            List<String> errors = new ArrayList<>();
            if (realmName == null && username == null && ids == null && name == null && !owner) {
                errors.add(EsMessages.INVALIDATE_API_KEY_NOTHING_SPECIFIED);
            }
            if ((ids != null || name != null) && (realmName != null || username != null)) {
                errors.add(EsMessages.INVALIDATE_API_KEY_IDS_OR_NAME_WITH_USER);
            }
            if (owner && (realmName != null || username != null)) {
                errors.add(EsMessages.INVALIDATE_API_KEY_OWNED_WITH_USER);
            }
            if (ids != null && name != null) {
                errors.add(EsMessages.INVALIDATE_API_KEY_IDS_AND_NAME);
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
            authorizer.authorize(authentication, Actions.INVALIDATE_API_KEY,
                    new ApiKeyRequestScope(ApiKeyRequestScope.Kind.INVALIDATE, ids, username, realmName, owner, false));
            List<String> realms = realmName == null ? null : List.of(realmName);
            if (owner) {
                username = authentication.principal();
                realms = ApiKeyService.ownerRealmNames(authentication);
            }
            return apiKeys.invalidate(new ApiKeyFilter(ids, name, username, realms, true, null)).thenApply(done -> {
                ObjectNode o = Json.object();
                ArrayNode invalidated = o.putArray("invalidated_api_keys");
                done.forEach(invalidated::add);
                o.putArray("previously_invalidated_api_keys");
                o.put("error_count", 0);
                return RestResponse.ok(o);
            });
        }
    }

    // ------------------------------------------------------------------ parsing helpers

    /** Elasticsearch's exception classes, named so that {@link EsException#from} renders their types; causes, never root causes. */
    private static final class ParseException extends RuntimeException {
        ParseException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private static final class XContentParseException extends RuntimeException {
        XContentParseException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private static final class ValidationException extends RuntimeException {
        ValidationException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private static final class ActionRequestValidationException extends RuntimeException {
        ActionRequestValidationException(String message) {
            super(message, null, false, false);
        }
    }

    /** A role parse refusal as the cause of the request parser's error (Elasticsearch's root cause is then the outer error). */
    private static Throwable throwable(RoleParseException e) {
        Throwable inner = e.wrapped() == null ? null : throwable(e.wrapped());
        return switch (e.type()) {
            case PARSE_EXCEPTION -> new ParseException(e.getMessage(), inner);
            case X_CONTENT_PARSE_EXCEPTION -> new XContentParseException(e.getMessage(), inner);
            case ILLEGAL_ARGUMENT_EXCEPTION -> new IllegalArgumentException(e.getMessage(), inner);
            case VALIDATION_EXCEPTION -> new ValidationException(e.getMessage(), inner);
            case ACTION_REQUEST_VALIDATION_EXCEPTION -> new ActionRequestValidationException(e.getMessage());
        };
    }

    private static EsException xContent(JsonLocation at, String message, EsException cause) {
        return new EsException(EsErrors.X_CONTENT_PARSE, 400, "[" + at.getLineNr() + ":" + at.getColumnNr() + "] " + message, cause);
    }

    private static EsException unknownField(JsonLocation at, String parser, String field, List<String> known) {
        return xContent(at, EsMessages.objectParserUnknownField(parser, field) + suggest(field, known), null);
    }

    private static EsException unsupported(JsonParser p, String parser, String field) {
        return xContent(p.currentTokenLocation(), EsMessages.objectParserUnsupportedValue(parser, field, token(p.currentToken())), null);
    }

    /** Elasticsearch's "did you mean": similarity above 0.5, most similar first, ties by name. */
    private static String suggest(String unknown, List<String> candidates) {
        return io.svctoken.core.text.Levenshtein.didYouMean(unknown, candidates);
    }

    private static String token(JsonToken t) {
        if (t == null) {
            return "null";
        }
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "VALUE_NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "VALUE_BOOLEAN";
            default -> t.name();
        };
    }

    /** {@code declareString}: a string value only. */
    private static String string(JsonParser p, String parser, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw unsupported(p, parser, field);
        }
        return p.getText();
    }

    /** {@code declareObject}: an object only. */
    private static ObjectNode object(JsonParser p, String parser, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw unsupported(p, parser, field);
        }
        return (ObjectNode) Json.MAPPER.readTree(p);
    }

    /** {@code declareBoolean}: a boolean, or the strings {@code true}/{@code false}. */
    private static boolean bool(JsonParser p, String parser, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw unsupported(p, parser, field);
        }
        String v = p.getText();
        if (!v.equals("true") && !v.equals("false")) {
            throw xContent(p.currentTokenLocation(), EsMessages.objectParserFailedToParseField(parser, field),
                    EsException.from(new IllegalArgumentException(EsMessages.notABoolean(v))));
        }
        return v.equals("true");
    }

    /** {@code declareStringArray}: an array of values (or a single string). */
    private static List<String> strings(JsonParser p, String parser, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return List.of(p.getText());
        }
        if (t != JsonToken.START_ARRAY) {
            throw unsupported(p, parser, field);
        }
        List<String> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (!t.isScalarValue()) {
                throw xContent(p.currentTokenLocation(), EsMessages.objectParserFailedToParseField(parser, field), null);
            }
            out.add(t == JsonToken.VALUE_NULL ? null : p.getText());
        }
        return out;
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
