package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.user.ReservedUsers;
import io.svctoken.core.user.Validation;
import io.svctoken.server.authc.Authentication;
import io.svctoken.server.authc.ReservedRealm;
import io.svctoken.server.authc.User;
import io.svctoken.server.authc.UserAdmin;
import io.svctoken.server.authc.UserAuthentication;
import io.svctoken.server.authz.Actions;
import io.svctoken.server.authz.Authorizer;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

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

    /** {@code password} or {@code password_hash} of a body, hashed; null when neither is given. */
    static CompletableFuture<String> newHash(UserAdmin admin, JsonNode password, JsonNode passwordHash) {
        if (password != null && passwordHash != null) {
            throw EsErrors.validation(List.of(EsMessages.ONLY_ONE_PASSWORD_FORM));
        }
        if (passwordHash != null) {
            return CompletableFuture.completedFuture(UserAdmin.checkedHash(text(passwordHash, "password_hash")));
        }
        if (password != null) {
            String p = text(password, "password");
            Validation.Users.validatePassword(p).ifPresent(msg -> {
                throw EsErrors.validation(List.of(msg));
            });
            return admin.hash(Secret.of(p));
        }
        return CompletableFuture.completedFuture(null);
    }

    private static String text(JsonNode n, String field) {
        if (!n.isTextual()) {
            throw new EsException("parse_exception", 400, "failed to parse field [" + field + "]: expected a string");
        }
        return n.asText();
    }

    private static String username(RestRequest request) {
        return request.param("username");
    }

    /** {@code PUT|POST /_security/user/{username}}. */
    public static final class Put extends WriteHandler {
        private static final Set<String> FIELDS = Set.of("password", "password_hash", "roles", "full_name", "email", "metadata", "enabled");
        private final UserAdmin admin;
        private final Authorizer authorizer;

        public Put(UserAdmin admin, Authorizer authorizer) {
            this.admin = admin;
            this.authorizer = authorizer;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String username = username(request);
            ObjectNode body = request.jsonBody();
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw new EsException("parse_exception", 400, EsMessages.unexpectedUserField(f));
                }
            }
            List<String> errors = new ArrayList<>();
            Validation.Users.validateUsername(username, true, ReservedUsers.DEFAULT, Validation.NATIVE_MAX_NAME_LENGTH).ifPresent(errors::add);
            JsonNode roles = body.get("roles");
            if (roles == null || roles.isNull()) {
                errors.add(EsMessages.ROLES_ARE_MISSING);
            }
            JsonNode metadata = body.get("metadata");
            if (metadata != null && !metadata.isNull()) {
                if (!metadata.isObject()) {
                    throw new EsException("parse_exception", 400, "failed to parse field [metadata]: expected an object");
                }
                metadata.fieldNames().forEachRemaining(k -> {
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
            List<String> roleNames = new ArrayList<>();
            if (roles.isTextual()) {
                roleNames.addAll(Arrays.asList(roles.asText().split(",")));
            } else if (roles.isArray()) {
                roles.forEach(r -> roleNames.add(text(r, "roles")));
            } else {
                throw new EsException("parse_exception", 400, "failed to parse field [roles]: expected an array of strings");
            }
            String fullName = optionalText(body, "full_name");
            String email = optionalText(body, "email");
            JsonNode enabledNode = body.get("enabled");
            if (enabledNode != null && !enabledNode.isBoolean()) {
                throw new EsException("parse_exception", 400, "failed to parse field [enabled]: expected a boolean");
            }
            boolean enabled = enabledNode == null || enabledNode.asBoolean();
            ObjectNode meta = metadata == null || metadata.isNull() ? Json.object() : (ObjectNode) metadata;
            return newHash(admin, body.get("password"), body.get("password_hash"))
                    .thenCompose(hash -> admin.putUser(username, hash, roleNames, fullName, email, meta, enabled))
                    .thenApply(created -> RestResponse.ok(Json.object().put("created", created)));
        }

        private static String optionalText(ObjectNode body, String field) {
            JsonNode n = body.get(field);
            return n == null || n.isNull() ? null : text(n, field);
        }
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
                users.forEach(u -> o.set(u.username(), u.toJson()));
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

    /** {@code POST|PUT /_security/user[/{username}]/_password}: users may always change their own. */
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
                String f = it.next().getKey();
                if (!f.equals("password") && !f.equals("password_hash")) {
                    throw new EsException("parse_exception", 400, EsMessages.unexpectedChangePasswordField(f));
                }
            }
            if (body.get("password") == null && body.get("password_hash") == null) {
                throw EsErrors.validation(List.of("password is missing"));
            }
            boolean self = authentication instanceof UserAuthentication u && !u.isRunAs() && u.user().username().equals(username);
            if (self) {
                authorizer.authorizeRunAs(authentication, Actions.CHANGE_PASSWORD);
            } else {
                authorizer.authorize(authentication, Actions.CHANGE_PASSWORD);
            }
            return newHash(admin, body.get("password"), body.get("password_hash"))
                    .thenCompose(hash -> admin.changePassword(username, hash))
                    .thenApply(v -> RestResponse.ok(Json.object()));
        }
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
