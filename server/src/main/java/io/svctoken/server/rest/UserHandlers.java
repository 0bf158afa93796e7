package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.user.ReservedUsers;
import io.svctoken.core.user.Validation;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.realm.ReservedRealm;
import io.svctoken.core.authc.User;
import io.svctoken.core.realm.UserAdmin;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;
import io.svctoken.server.settings.RealmSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The user APIs of Elasticsearch ({@code /_security/user...}), one handler class per endpoint. */
public final class UserHandlers {

    private UserHandlers() {
    }

    /**
     * The hash to store: a {@code password_hash} as given, or the {@code password} hashed on the worker
     * pool; null when neither is given. Callers have checked both already (types, only one of them, the
     * password's length, the hash's algorithm and form), each in Elasticsearch's order.
     */
    static CompletableFuture<String> newHash(UserAdmin admin, String password, String passwordHash) {
        if (passwordHash != null) {
            return CompletableFuture.completedFuture(passwordHash);
        }
        if (password != null) {
            return admin.hash(Secret.of(password));
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Elasticsearch's password rule, then svctoken's upper bounds for the password hashing algorithm, as a validation error. */
    private static void checkPassword(String password, String hashingAlgorithm) {
        Validation.Users.validatePassword(password).or(() -> Validation.Users.validatePasswordBytes(password, hashingAlgorithm))
                .ifPresent(msg -> {
                    throw EsErrors.validation(List.of(msg));
                });
    }

    private static String username(RestRequest request) {
        return request.param("username");
    }

    /** {@code PUT|POST /_security/user/{username}}. */
    public static final class Put extends WriteHandler {
        private final UserAdmin admin;
        private final Authorizer authorizer;

        public Put(UserAdmin admin, Authorizer authorizer) {
            this.admin = admin;
            this.authorizer = authorizer;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String username = username(request);
            Body b = Body.parse(username, request.jsonBody(), admin.passwordHasher().name());
            List<String> errors = new ArrayList<>();
            Validation.Users.validateUsername(username, true, ReservedUsers.DEFAULT, Validation.NATIVE_MAX_NAME_LENGTH).ifPresent(errors::add);
            if (b.roles == null) {
                errors.add(EsMessages.ROLES_ARE_MISSING);
            }
            if (b.metadata != null) {
                b.metadata.fieldNames().forEachRemaining(k -> {
                    if (k.startsWith("_") && !errors.contains(EsMessages.USER_METADATA_RESERVED_KEYS)) {
                        errors.add(EsMessages.USER_METADATA_RESERVED_KEYS);
                    }
                });
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
            authorizer.authorize(authentication, Actions.PUT_USER);
            if (ReservedRealm.isReserved(username)) {
                throw EsErrors.validation(List.of(EsMessages.userReservedOnlyPassword(username)));
            }
            ObjectNode meta = b.metadata == null ? Json.object() : b.metadata;
            return newHash(admin, b.password, b.passwordHash)
                    .thenCompose(hash -> admin.putUser(username, hash, b.roles, b.fullName, b.email, meta, b.enabled))
                    .thenApply(created -> RestResponse.ok(Json.object().put("created", created)));
        }

        /**
         * The body read field by field in its order, as Elasticsearch's put-user request builder reads it:
         * the first field of a wrong type or an unknown field is the error (a 400 {@code parse_exception}),
         * before any validation or authorization.
         */
        private static final class Body {
            String password;
            String passwordHash;
            List<String> roles;
            String fullName;
            String email;
            ObjectNode metadata;
            boolean enabled = true;

            static Body parse(String username, ObjectNode body, String hashingAlgorithm) {
                Body b = new Body();
                for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String f = e.getKey();
                    JsonNode v = e.getValue();
                    switch (f) {
                        case "password" -> {
                            b.password = expect(v, f, JsonNode::isTextual, "string").asText();
                            checkPassword(b.password, hashingAlgorithm); // checked as it is read, before the request's own validation
                            checkOnePasswordForm(b);
                        }
                        case "password_hash" -> {
                            // checked as it is read, before the request's own validation (Elasticsearch's request builder)
                            b.passwordHash = UserAdmin.checkedHash(expect(v, f, JsonNode::isTextual, "string").asText());
                            checkOnePasswordForm(b);
                        }
                        case "roles" -> b.roles = v.isTextual() ? commaDelimited(v.asText()) : stringArray(f, v);
                        case "full_name" -> b.fullName = v.isNull() ? null
                                : RestSupport.storableText(f, expect(v, f, JsonNode::isTextual, "string").asText());
                        case "email" -> b.email = v.isNull() ? null
                                : RestSupport.storableText(f, expect(v, f, JsonNode::isTextual, "string").asText());
                        case "metadata" -> b.metadata = (ObjectNode) expect(v, f, JsonNode::isObject, "object");
                        case "enabled" -> b.enabled = expect(v, f, JsonNode::isBoolean, "boolean").asBoolean();
                        case "username" -> {
                            if (!expect(v, f, JsonNode::isTextual, "string").asText().equals(username)) {
                                throw EsErrors.illegalArgument(EsMessages.usernameInSourceMismatch(username));
                            }
                        }
                        default -> throw new EsException("parse_exception", 400, EsMessages.unexpectedUserField(f));
                    }
                }
                return b;
            }

            /** Elasticsearch sets the hash as it reads either field, and refuses the second. */
            private static void checkOnePasswordForm(Body b) {
                if (b.password != null && b.passwordHash != null) {
                    throw EsErrors.validation(List.of(EsMessages.PASSWORD_HASH_ALREADY_SET));
                }
            }

            private static JsonNode expect(JsonNode v, String field, java.util.function.Predicate<JsonNode> ok, String type) {
                if (!ok.test(v)) {
                    throw new EsException("parse_exception", 400, EsMessages.expectedFieldOfType(field, type, token(v)));
                }
                return v;
            }

            /** {@code Strings.commaDelimitedListToStringArray}: "" is no role, empty items stay. */
            private static List<String> commaDelimited(String s) {
                return s.isEmpty() ? List.of() : Arrays.asList(s.split(",", -1));
            }

            private static List<String> stringArray(String field, JsonNode v) {
                if (v.isNull()) {
                    throw new EsException("parse_exception", 400, EsMessages.stringArrayNullValue(field));
                }
                if (!v.isArray()) {
                    throw new EsException("parse_exception", 400, EsMessages.stringArrayExpected(field, token(v)));
                }
                List<String> out = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!item.isTextual()) {
                        throw new EsException("parse_exception", 400, EsMessages.stringArrayBadElement(field, token(item)));
                    }
                    out.add(item.asText());
                }
                return out;
            }
        }
    }

    /** The name of Elasticsearch's parser token a JSON value starts with. */
    static String token(JsonNode v) {
        return EsMessages.xContentToken(v.asToken());
    }

    /** {@code GET /_security/user[/{username}]}: comma-separated names; none found → 404 {@code {}}. */
    public static final class Get implements RestHandler {
        private final UserAdmin admin;
        private final Authorizer authorizer;

        public Get(UserAdmin admin, Authorizer authorizer) {
            this.admin = admin;
            this.authorizer = authorizer;
        }

        @Override
        public Set<String> params() {
            return Set.of("with_profile_uid");
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            authorizer.authorize(authentication, Actions.GET_USERS);
            String names = username(request);
            List<String> wanted = names == null || names.isEmpty() ? List.of() : Arrays.asList(names.split(","));
            return admin.getUsers(wanted).thenApply(users -> {
                ObjectNode o = Json.object();
                users.forEach(u -> o.set(u.username(), io.svctoken.server.render.AuthenticationJson.user(u)));
                return RestResponse.of(!wanted.isEmpty() && users.isEmpty() ? 404 : 200, o);
            });
        }
    }

    /** {@code DELETE /_security/user/{username}}. */
    public static final class Delete extends WriteHandler {
        private final UserAdmin admin;
        private final Authorizer authorizer;

        public Delete(UserAdmin admin, Authorizer authorizer) {
            this.admin = admin;
            this.authorizer = authorizer;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String username = username(request);
            authorizer.authorize(authentication, Actions.DELETE_USER);
            if (ReservedRealm.isReserved(username)) {
                throw EsErrors.illegalArgument(EsMessages.userReservedCannotBeDeleted(username));
            }
            return admin.deleteUser(username).thenApply(found -> RestResponse.of(found ? 200 : 404, Json.object().put("found", found)));
        }
    }

    /** {@code POST|PUT /_security/user[/{username}]/_password}: native and reserved users may always change their own. */
    public static final class ChangePassword extends WriteHandler {
        private final UserAdmin admin;
        private final Authorizer authorizer;

        public ChangePassword(UserAdmin admin, Authorizer authorizer) {
            this.admin = admin;
            this.authorizer = authorizer;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String username = Optional.ofNullable(username(request)).orElse(authentication.principal());
            ObjectNode body = request.jsonBody();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String f = e.getKey();
                if (!f.equals("password") && !f.equals("password_hash")) {
                    throw new EsException("parse_exception", 400, EsMessages.unexpectedChangePasswordField(f));
                }
                if (!e.getValue().isTextual()) {
                    throw new EsException("parse_exception", 400, EsMessages.expectedFieldOfType(f, "string", token(e.getValue())));
                }
            }
            String password = body.hasNonNull("password") ? body.get("password").asText() : null;
            String passwordHash = body.hasNonNull("password_hash") ? body.get("password_hash").asText() : null;
            if (password == null && passwordHash == null) {
                throw EsErrors.validation(List.of(EsMessages.PASSWORD_IS_MISSING));
            }
            if (changesOwnPassword(authentication, username)) {
                authorizer.authorizeRunAs(authentication, Actions.CHANGE_PASSWORD);
            } else {
                authorizer.authorize(authentication, Actions.CHANGE_PASSWORD);
            }
            if (password != null && passwordHash != null) {
                throw EsErrors.validation(List.of(EsMessages.ONLY_ONE_PASSWORD_FORM));
            }
            if (password != null) {
                checkPassword(password, admin.passwordHasher().name());
            } else {
                UserAdmin.checkedHash(passwordHash);
            }
            return newHash(admin, password, passwordHash)
                    .thenCompose(hash -> admin.changePassword(username, hash))
                    .thenApply(v -> RestResponse.ok(Json.object()));
        }
    }

    /**
     * Elasticsearch's "users may change their own password": the effective user has that name and comes
     * from a realm whose passwords this API changes (native or reserved; under run-as the realm that found
     * the run-as user), by a password login. A file user of the same name, an API key of the user or a
     * service account is not "own" and needs the privilege, or a file user could rewrite a native user's
     * password.
     */
    static boolean changesOwnPassword(Authentication authentication, String username) {
        if (!(authentication instanceof UserAuthentication u) || !u.user().username().equals(username)) {
            return false;
        }
        RealmRef realm = u.isRunAs() ? u.lookupRealm() : u.authenticationRealm();
        return realm != null && (RealmSettings.NATIVE.equals(realm.type()) || RealmRef.RESERVED.type().equals(realm.type()));
    }

    /** {@code PUT|POST /_security/user/{username}/_enable} and {@code _disable}. */
    public static final class SetEnabled extends WriteHandler {
        private final UserAdmin admin;
        private final Authorizer authorizer;
        private final boolean enabled;

        public SetEnabled(UserAdmin admin, Authorizer authorizer, boolean enabled) {
            this.admin = admin;
            this.authorizer = authorizer;
            this.enabled = enabled;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String username = username(request);
            authorizer.authorize(authentication, Actions.SET_ENABLED);
            if (authentication instanceof UserAuthentication u && u.authenticatedUser().username().equals(username)) {
                throw EsErrors.validation(List.of(EsMessages.OWN_ENABLED_STATUS));
            }
            return admin.setEnabled(username, enabled).thenApply(v -> RestResponse.ok(Json.object()));
        }
    }

}
