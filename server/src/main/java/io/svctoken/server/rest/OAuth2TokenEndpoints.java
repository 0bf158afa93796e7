package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.Futures;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authc.ServiceAccountAuthn;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.oauth2.OAuth2TokenService;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.ObjectParser;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.render.AuthenticationJson;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.POST;

/**
 * Elasticsearch's token service API ({@code /_security/oauth2/token}): getting an access token with the {@code password},
 * {@code client_credentials} or {@code refresh_token} grant, and invalidating tokens. The get API answers its own
 * failures in OAuth2's form ({@code {"error": ..., "error_description": ...}}, 400) where Elasticsearch does, everything
 * else in the usual error envelope. Both need {@code manage_token} (or {@code manage_security}).
 */
public final class OAuth2TokenEndpoints {

    private static final String PATH = "/_security/oauth2/token";

    private final OAuth2TokenService tokens;
    private final boolean enabled;
    private final AuthenticationService authentication;
    private final CompatibilityVersion compatibility;
    /** The 9.x line's {@code _user_managed_service_account} grant (8.19 knows neither it nor its field). */
    private final boolean userManagedGrant;

    /** @param enabled {@code xpack.security.authc.token.enabled}: without it both APIs answer {@code security tokens are not enabled} */
    public OAuth2TokenEndpoints(OAuth2TokenService tokens, boolean enabled, AuthenticationService authentication,
                                CompatibilityVersion compatibility) {
        this.tokens = tokens;
        this.enabled = enabled;
        this.authentication = authentication;
        this.compatibility = compatibility;
        this.userManagedGrant = compatibility == CompatibilityVersion.V9;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(POST, PATH)
                        .parse(request -> Get.parse(request, userManagedGrant))
                        .access(Access.routed(Actions.CREATE_TOKEN, Get::action))
                        .execute(this::get),
                Endpoint.on(DELETE, PATH)
                        .parse(Invalidate::parse)
                        .access(Access.action(Actions.INVALIDATE_TOKEN))
                        .execute(this::invalidate));
    }

    /** Elasticsearch's {@code FeatureNotEnabledException}: 400, with the feature's name for clients (Kibana) to read. */
    private static EsException notEnabled() {
        return new EsException("feature_not_enabled_exception", 400, ServerEsMessages.SECURITY_TOKENS_NOT_ENABLED)
                .withMetadata("disabled.feature", "security_tokens");
    }

    /** OAuth2's error form (RFC 6749 section 5.2), 400. */
    private static EsException oauthError(String error, String description) {
        ObjectNode o = Json.object();
        o.put("error", error);
        o.put("error_description", description);
        return new EsException(EsErrors.SECURITY_EXCEPTION, 400, description).withBody(o);
    }

    // ------------------------------------------------------------------ get a token

    /** {@code POST /_security/oauth2/token}, Elasticsearch's {@code CreateTokenRequest}. */
    static final class Get implements Endpoint.Request {
        private static final ObjectParser<Get> PARSER = parser();
        /** The 9.x line's: 8.19's fields and the exchange's {@code service_account_token}. */
        private static final ObjectParser<Get> PARSER_9 = parser()
                .declare("service_account_token", (g, v) -> g.serviceAccountToken = Secret.of(v.string()));

        private static ObjectParser<Get> parser() {
            return new ObjectParser<>(ObjectParser.Errors.objectParser(ServerEsMessages.TOKEN_REQUEST_PARSER), Get::new)
                    .declare("grant_type", (g, v) -> g.grantType = v.string())
                    .declare("username", (g, v) -> g.username = v.string())
                    .declare("password", (g, v) -> g.password = Secret.of(v.string()))
                    .declare("kerberos_ticket", (g, v) -> g.kerberosTicket = Secret.of(v.string()))
                    .declare("scope", (g, v) -> g.scope = v.string())
                    .declare("refresh_token", (g, v) -> g.refreshToken = Secret.of(v.string()));
        }

        String grantType;
        String username;
        Secret password;
        Secret kerberosTicket;
        String scope;
        Secret refreshToken;
        Secret serviceAccountToken;
        boolean userManagedGrant;
        /** The client's address: a password tried here spends the same failure budget as in a Basic header. */
        java.net.InetAddress client;

        static Get parse(RestRequest request, boolean userManagedGrant) {
            request.jsonBody();
            Get g = (userManagedGrant ? PARSER_9 : PARSER).parse(request.body());
            g.userManagedGrant = userManagedGrant;
            g.client = request.info().origin() == null ? null : request.info().origin().getAddress();
            return g;
        }

        /** Elasticsearch checks the refresh grant with the refresh action, every other with the create action. */
        String action() {
            return "refresh_token".equals(grantType) ? Actions.REFRESH_TOKEN : Actions.CREATE_TOKEN;
        }

        /** Elasticsearch's checks, in its order; a bad grant type is {@code unsupported_grant_type}, the rest {@code invalid_request}. */
        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            String type = grantType == null ? "" : grantType;
            switch (type) {
                case "password" -> {
                    unsupported(errors, "kerberos_ticket", kerberosTicket);
                    unsupported(errors, "refresh_token", refreshToken);
                    unsupported(errors, "service_account_token", serviceAccountToken);
                    required(errors, "username", username == null || username.isEmpty());
                    required(errors, "password", password == null || password.length() == 0);
                }
                case "_kerberos" -> {
                    unsupported(errors, "username", username);
                    unsupported(errors, "password", password);
                    unsupported(errors, "refresh_token", refreshToken);
                    unsupported(errors, "service_account_token", serviceAccountToken);
                    required(errors, "kerberos_ticket", kerberosTicket == null || kerberosTicket.length() == 0);
                }
                case "refresh_token" -> {
                    unsupported(errors, "username", username);
                    unsupported(errors, "password", password);
                    unsupported(errors, "kerberos_ticket", kerberosTicket);
                    unsupported(errors, "service_account_token", serviceAccountToken);
                    required(errors, "refresh_token", refreshToken == null || refreshToken.length() == 0);
                }
                case "client_credentials" -> {
                    unsupported(errors, "username", username);
                    unsupported(errors, "password", password);
                    unsupported(errors, "kerberos_ticket", kerberosTicket);
                    unsupported(errors, "refresh_token", refreshToken);
                    unsupported(errors, "service_account_token", serviceAccountToken);
                }
                case ServerEsMessages.USER_MANAGED_SERVICE_ACCOUNT_GRANT -> {
                    if (userManagedGrant) {
                        unsupported(errors, "username", username);
                        unsupported(errors, "password", password);
                        unsupported(errors, "kerberos_ticket", kerberosTicket);
                        unsupported(errors, "refresh_token", refreshToken);
                        required(errors, "service_account_token", serviceAccountToken == null || serviceAccountToken.length() == 0);
                    } else {
                        errors.add(ServerEsMessages.GRANT_TYPE_VALUES);
                    }
                }
                default -> errors.add(userManagedGrant ? ServerEsMessages.GRANT_TYPE_VALUES_9 : ServerEsMessages.GRANT_TYPE_VALUES);
            }
            if (!errors.isEmpty()) {
                wipe();
                // Elasticsearch tells the two apart by whether any message mentions grant_type
                boolean grant = errors.stream().anyMatch(e -> e.contains("grant_type"));
                throw oauthError(grant ? "unsupported_grant_type" : "invalid_request", EsMessages.validationFailed(errors));
            }
        }

        private void unsupported(List<String> errors, String field, Object value) {
            if (value != null) {
                errors.add(ServerEsMessages.fieldNotSupportedWithGrant(field, grantType));
            }
        }

        private static void required(List<String> errors, String field, boolean missing) {
            if (missing) {
                errors.add(ServerEsMessages.fieldMissing(field));
            }
        }

        void wipe() {
            for (Secret s : new Secret[]{password, kerberosTicket, refreshToken, serviceAccountToken}) {
                if (s != null) {
                    s.wipe();
                }
            }
        }
    }

    /** Elasticsearch's {@code CreateTokenResponse}: the new token, its type and lifetime, then what applies. */
    record Created(String accessToken, long expiresIn, String refreshToken, String scope, Authentication authentication)
            implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.put("access_token", accessToken);
            o.put("type", "Bearer");
            o.put("expires_in", expiresIn);
            if (refreshToken != null) {
                o.put("refresh_token", refreshToken);
            }
            if (scope != null) {
                o.put("scope", scope);
            }
            o.set("authentication", AuthenticationJson.authenticate(authentication));
            return o;
        }

        @Override
        public String toString() {
            return "Created[" + authentication.principal() + "]";
        }
    }

    private CompletableFuture<Created> get(Get req, Authentication caller) {
        if (!enabled) {
            req.wipe();
            throw notEnabled();
        }
        // the only scope Elasticsearch supports, named back when one was asked for
        String scope = req.scope == null ? null : "full";
        CompletableFuture<OAuth2TokenService.Issued> issued;
        switch (req.grantType) {
            case "password" -> {
                String failure = EsMessages.unableToAuthenticateUserForAction(req.username, Actions.CREATE_TOKEN);
                issued = authentication.authenticatePassword(req.username, req.password, failure, req.client)
                        .thenCompose(user -> tokens.create(user, caller, true));
            }
            case "client_credentials" -> issued = clientCredentials(caller);
            case ServerEsMessages.USER_MANAGED_SERVICE_ACCOUNT_GRANT -> {
                return exchange(req, caller);
            }
            case "refresh_token" -> {
                Secret refresh = req.refreshToken;
                issued = tokens.refresh(refresh, caller).whenComplete((i, e) -> refresh.wipe());
            }
            default -> {
                // _kerberos: no realm here reads a ticket, so it authenticates nobody (as Elasticsearch without a Kerberos realm)
                req.wipe();
                throw AuthenticationException.unauthenticated(
                        EsMessages.unableToAuthenticateUserForAction(ServerEsMessages.KERBEROS_PRINCIPAL, Actions.CREATE_TOKEN));
            }
        }
        boolean realmAuthentication = "password".equals(req.grantType);
        return issued.handle((i, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof OAuth2TokenService.InvalidGrant g) {
                    throw oauthError("invalid_grant", g.getMessage());
                }
                throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
            }
            try (i) {
                // Elasticsearch answers with the authentication the token was made from: the realm's for a password,
                // the caller's for client credentials, the token's own for a refresh
                Authentication shown = realmAuthentication || "refresh_token".equals(req.grantType) ? i.authentication() : caller;
                return new Created(i.accessToken().revealAsString(SecretAccess.plaintext()), i.expiresInSeconds(),
                        i.refreshToken() == null ? null : i.refreshToken().revealAsString(SecretAccess.plaintext()), scope, shown);
            }
        });
    }

    /**
     * The exchange of a user-managed account's service token (9.x line): the token authenticates as in a Bearer header, on
     * every exchange; the access token stands for the account (its roles by name, as when minted) and comes without a
     * refresh token, so the account's credential is checked again for the next one. The answer shows the service token's
     * authentication.
     */
    private CompletableFuture<Created> exchange(Get req, Authentication caller) {
        Optional<ServiceAccountToken> token;
        char[] chars = req.serviceAccountToken.reveal(SecretAccess.plaintext());
        try {
            token = TokenCodec.decode(CharBuffer.wrap(chars));
        } finally {
            Arrays.fill(chars, '\0');
            req.wipe();
        }
        if (token.isEmpty()) {
            throw oauthError("invalid_grant", ServerEsMessages.SERVICE_ACCOUNT_TOKEN_NOT_VALID_FOR_EXCHANGE);
        }
        String scope = req.scope == null ? null : "full";
        return authentication.authenticateServiceToken(token.get(), req.client).thenCompose(authn -> {
            if (!(authn instanceof ServiceAccountAuthn sa) || !sa.userManaged()) {
                throw oauthError("invalid_grant", ServerEsMessages.SERVICE_ACCOUNT_TOKEN_NOT_USER_MANAGED_FOR_EXCHANGE);
            }
            ObjectNode metadata = Json.object().put(sa.authentication().account().metadataMarker(), true);
            User account = new User(sa.principal(), sa.roles(), sa.authentication().account().fullName(), null, metadata, true);
            return tokens.create(new UserAuthentication(account, ServiceAccountAuthn.REALM_REF, ServiceAccountAuthn.REALM_REF, null),
                    caller, false).thenApply(i -> {
                        try (i) {
                            return new Created(i.accessToken().revealAsString(SecretAccess.plaintext()), i.expiresInSeconds(), null, scope, sa);
                        }
                    });
        });
    }

    /** A token for the caller itself, without refresh token; never for a service account (Elasticsearch's rule). */
    private CompletableFuture<OAuth2TokenService.Issued> clientCredentials(Authentication caller) {
        if (caller instanceof ServiceAccountAuthn) {
            // the 8.x action failed with a plain exception (500); the 9.x line made it a 400 security_exception
            throw compatibility == CompatibilityVersion.V8_19 ? new EsException("exception", 500, EsMessages.SERVICE_ACCOUNT_OAUTH2)
                    : new EsException(EsErrors.SECURITY_EXCEPTION, 400, EsMessages.SERVICE_ACCOUNT_OAUTH2);
        }
        if (caller instanceof ApiKeyAuthn) {
            throw EsErrors.illegalArgument(ServerEsMessages.API_KEY_CLIENT_CREDENTIALS);
        }
        UserAuthentication user = (UserAuthentication) caller;
        return tokens.create(user, caller, false);
    }

    // ------------------------------------------------------------------ invalidate

    /** {@code DELETE /_security/oauth2/token}: one token, one refresh token, or a realm's and/or a user's tokens. */
    static final class Invalidate implements Endpoint.Request {
        private static final ObjectParser<Invalidate> PARSER = new ObjectParser<>(
                ObjectParser.Errors.objectParser(ServerEsMessages.INVALIDATE_TOKEN_PARSER), Invalidate::new)
                .declare("token", (i, v) -> i.token = Secret.of(v.string()))
                .declare("refresh_token", (i, v) -> i.refreshToken = Secret.of(v.string()))
                .declare("realm_name", (i, v) -> i.realmName = v.string())
                .declare("username", (i, v) -> i.username = v.string());

        Secret token;
        Secret refreshToken;
        String realmName;
        String username;

        static Invalidate parse(RestRequest request) {
            request.jsonBody();
            Invalidate i = PARSER.parse(request.body());
            // empty strings count as absent (Elasticsearch's Strings.hasLength)
            if (i.token != null && i.token.length() == 0) {
                i.token = null;
            }
            if (i.refreshToken != null && i.refreshToken.length() == 0) {
                i.refreshToken = null;
            }
            if (i.token != null && i.refreshToken != null) {
                i.token.wipe();
                i.refreshToken.wipe();
                // thrown while Elasticsearch's parser builds the request: its "failed to build" error, the reason as its cause
                throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.failedToBuild(ServerEsMessages.INVALIDATE_TOKEN_PARSER),
                        EsException.nestedCause(EsErrors.ILLEGAL_ARGUMENT, ServerEsMessages.INVALIDATE_TOKEN_ONE_OF));
            }
            return i;
        }

        private static boolean hasText(String s) {
            return s != null && !s.isBlank();
        }

        Secret tokenString() {
            return token != null ? token : refreshToken;
        }

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (hasText(realmName) || hasText(username)) {
                if (tokenString() != null) {
                    errors.add(ServerEsMessages.INVALIDATE_TOKEN_STRING_NOT_ALLOWED);
                }
            } else if (tokenString() == null) {
                errors.add(ServerEsMessages.INVALIDATE_TOKEN_STRING_REQUIRED);
            }
            if (!errors.isEmpty()) {
                if (tokenString() != null) {
                    tokenString().wipe();
                }
                throw EsErrors.validation(errors);
            }
        }
    }

    private CompletableFuture<JsonReply> invalidate(Invalidate req, Authentication caller) {
        if (!enabled) {
            if (req.tokenString() != null) {
                req.tokenString().wipe();
            }
            throw notEnabled();
        }
        CompletableFuture<OAuth2TokenService.Invalidation> done;
        if (req.token != null) {
            done = tokens.invalidateAccessToken(req.token).whenComplete((r, e) -> req.token.wipe());
        } else if (req.refreshToken != null) {
            done = tokens.invalidateRefreshToken(req.refreshToken).whenComplete((r, e) -> req.refreshToken.wipe());
        } else {
            done = tokens.invalidateFor(req.realmName == null || req.realmName.isEmpty() ? null : req.realmName,
                    req.username == null || req.username.isEmpty() ? null : req.username);
        }
        return done.thenApply(r -> {
            ObjectNode o = Json.object();
            o.put("invalidated_tokens", r.invalidated());
            o.put("previously_invalidated_tokens", r.previouslyInvalidated());
            o.put("error_count", 0);
            return new JsonReply(r.notFound() ? 404 : 200, o);
        });
    }
}
