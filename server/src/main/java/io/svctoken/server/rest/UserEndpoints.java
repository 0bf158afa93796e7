package io.svctoken.server.rest;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.realm.ReservedRealm;
import io.svctoken.core.realm.UserAdmin;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.user.ReservedUsers;
import io.svctoken.core.user.Validation;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.audit.Changes;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.ObjectParser;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.Router;
import io.svctoken.server.render.AuthenticationJson;
import io.svctoken.server.settings.RealmSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;
import static io.svctoken.server.http.Router.Method.PUT;

/** The user APIs of Elasticsearch ({@code /_security/user...}). */
public final class UserEndpoints {

    private static final String USER = "/_security/user";
    private static final Set<Router.Method> PUT_POST = Set.of(PUT, POST);

    private final UserAdmin admin;

    public UserEndpoints(UserAdmin admin) {
        this.admin = admin;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(PUT_POST, USER + "/{username}")
                        .params(Param.refresh())
                        .parse(r -> PutUser.parse(r, admin.passwordHasher().name()))
                        .access(Access.action(Actions.PUT_USER))
                        .changes((req, authn, reply) -> Changes.putUser(req.username, req.enabled, req.roles, req.fullName, req.email,
                                req.password != null || req.passwordHash != null, req.metadata))
                        .execute((req, authn) -> putUser(req)),
                Endpoint.on(GET, USER, USER + "/{username}")
                        .params(Param.string("with_profile_uid"))
                        .parse(r -> new Names(names(r.param("username"))))
                        .access(Access.action(Actions.GET_USERS))
                        .execute((req, authn) -> getUsers(req)),
                Endpoint.on(DELETE, USER + "/{username}")
                        .params(Param.refresh())
                        .parse(r -> new Username(r.param("username")))
                        .access(Access.action(Actions.DELETE_USER))
                        .changes((req, authn, reply) -> Changes.deleteUser(req.username()))
                        .execute((req, authn) -> deleteUser(req.username())),
                Endpoint.on(PUT_POST, USER + "/{username}/_password", USER + "/_password")
                        .params(Param.refresh())
                        .parse(ChangePassword::parse)
                        .access(Access.ownOrAction(Actions.CHANGE_PASSWORD, (authn, req) -> changesOwnPassword(authn, req.username(authn))))
                        .changes((req, authn, reply) -> Changes.changePassword(req.username(authn)))
                        .execute(this::changePassword),
                Endpoint.on(PUT_POST, USER + "/{username}/_enable")
                        .params(Param.refresh())
                        .parse(r -> new Username(r.param("username")))
                        .access(Access.action(Actions.SET_ENABLED))
                        .changes((req, authn, reply) -> Changes.setEnabled(req.username(), true))
                        .execute((req, authn) -> setEnabled(req.username(), authn, true)),
                Endpoint.on(PUT_POST, USER + "/{username}/_disable")
                        .params(Param.refresh())
                        .parse(r -> new Username(r.param("username")))
                        .access(Access.action(Actions.SET_ENABLED))
                        .changes((req, authn, reply) -> Changes.setEnabled(req.username(), false))
                        .execute((req, authn) -> setEnabled(req.username(), authn, false)));
    }

    record Username(String username) implements Endpoint.Request {
    }

    /** Comma-separated names; none means all. */
    record Names(List<String> names) implements Endpoint.Request {
    }

    static List<String> names(String param) {
        return param == null || param.isEmpty() ? List.of() : Arrays.asList(param.split(","));
    }

    // ------------------------------------------------------------------ put

    /**
     * {@code PUT|POST /_security/user/{username}}, its body read field by field in its order, as Elasticsearch's
     * put-user request builder reads it: the first field of a wrong type or an unknown field is the error (a 400
     * {@code parse_exception}), before any validation or authorization.
     */
    static final class PutUser implements Endpoint.Request {
        private static final ObjectParser<PutUser> PARSER = new ObjectParser<PutUser>(
                ObjectParser.Errors.requestBuilder(ServerEsMessages::unexpectedUserField))
                .declare("password", (b, v) -> {
                    b.password = v.string();
                    checkPassword(b.password, b.hashingAlgorithm); // checked as it is read, before the request's own validation
                    b.checkOnePasswordForm();
                })
                .declare("password_hash", (b, v) -> {
                    // checked as it is read, before the request's own validation (Elasticsearch's request builder)
                    b.passwordHash = UserAdmin.checkedHash(v.string());
                    b.checkOnePasswordForm();
                })
                .declare("roles", (b, v) -> b.roles = v.token() == JsonToken.VALUE_STRING
                        ? commaDelimited(v.string()) : v.stringArray())
                .declare("full_name", (b, v) -> b.fullName = RestSupport.storableText(v.field(), v.nullableString()))
                .declare("email", (b, v) -> b.email = RestSupport.storableText(v.field(), v.nullableString()))
                .declare("metadata", (b, v) -> b.metadata = v.object())
                .declare("enabled", (b, v) -> b.enabled = v.bool())
                .declare("username", (b, v) -> {
                    if (!v.string().equals(b.username)) {
                        throw EsErrors.illegalArgument(ServerEsMessages.usernameInSourceMismatch(b.username));
                    }
                });

        final String username;
        private final String hashingAlgorithm;
        String password;
        String passwordHash;
        List<String> roles;
        String fullName;
        String email;
        ObjectNode metadata;
        boolean enabled = true;

        private PutUser(String username, String hashingAlgorithm) {
            this.username = username;
            this.hashingAlgorithm = hashingAlgorithm;
        }

        static PutUser parse(RestRequest request, String hashingAlgorithm) {
            String username = request.param("username");
            return PARSER.parse(request.jsonBody(), new PutUser(username, hashingAlgorithm));
        }

        /** Elasticsearch sets the hash as it reads either field, and refuses the second. */
        private void checkOnePasswordForm() {
            if (password != null && passwordHash != null) {
                throw EsErrors.validation(List.of(ServerEsMessages.PASSWORD_HASH_ALREADY_SET));
            }
        }

        /** {@code Strings.commaDelimitedListToStringArray}: "" is no role, empty items stay. */
        private static List<String> commaDelimited(String s) {
            return s.isEmpty() ? List.of() : Arrays.asList(s.split(",", -1));
        }

        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            Validation.Users.validateUsername(username, true, ReservedUsers.DEFAULT, Validation.NATIVE_MAX_NAME_LENGTH).ifPresent(errors::add);
            if (roles == null) {
                errors.add(ServerEsMessages.ROLES_ARE_MISSING);
            }
            if (metadata != null) {
                metadata.fieldNames().forEachRemaining(k -> {
                    if (k.startsWith("_") && !errors.contains(ServerEsMessages.USER_METADATA_RESERVED_KEYS)) {
                        errors.add(ServerEsMessages.USER_METADATA_RESERVED_KEYS);
                    }
                });
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }
    }

    private CompletableFuture<JsonReply> putUser(PutUser b) {
        if (ReservedRealm.isReserved(b.username)) {
            throw EsErrors.validation(List.of(ServerEsMessages.userReservedOnlyPassword(b.username)));
        }
        ObjectNode meta = b.metadata == null ? Json.object() : b.metadata;
        return newHash(b.password, b.passwordHash)
                .thenCompose(hash -> admin.putUser(b.username, hash, b.roles, b.fullName, b.email, meta, b.enabled))
                .thenApply(created -> JsonReply.ok(Json.object().put("created", created)));
    }

    /**
     * The hash to store: a {@code password_hash} as given, or the {@code password} hashed on the worker
     * pool; null when neither is given. Callers have checked both already (types, only one of them, the
     * password's length, the hash's algorithm and form), each in Elasticsearch's order.
     */
    private CompletableFuture<String> newHash(String password, String passwordHash) {
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

    // ------------------------------------------------------------------ get, delete

    /** {@code GET /_security/user[/{username}]}: comma-separated names; none found → 404 {@code {}}. */
    private CompletableFuture<JsonReply> getUsers(Names req) {
        List<String> wanted = req.names();
        return admin.getUsers(wanted).thenApply(users -> {
            ObjectNode o = Json.object();
            users.forEach(u -> o.set(u.username(), AuthenticationJson.user(u)));
            return new JsonReply(!wanted.isEmpty() && users.isEmpty() ? 404 : 200, o);
        });
    }

    private CompletableFuture<Found> deleteUser(String username) {
        if (ReservedRealm.isReserved(username)) {
            throw EsErrors.illegalArgument(ServerEsMessages.userReservedCannotBeDeleted(username));
        }
        return admin.deleteUser(username).thenApply(Found::new);
    }

    // ------------------------------------------------------------------ password

    /** {@code POST|PUT /_security/user[/{username}]/_password}: without a name, the caller's own. */
    static final class ChangePassword implements Endpoint.Request {
        private static final ObjectParser<ChangePassword> PARSER = new ObjectParser<ChangePassword>(
                ObjectParser.Errors.requestBuilder(ServerEsMessages::unexpectedChangePasswordField))
                .declare("password", (c, v) -> c.password = v.string())
                .declare("password_hash", (c, v) -> c.passwordHash = v.string());

        private final String username;
        String password;
        String passwordHash;

        private ChangePassword(String username) {
            this.username = username;
        }

        static ChangePassword parse(RestRequest request) {
            return PARSER.parse(request.jsonBody(), new ChangePassword(request.param("username")));
        }

        String username(Authentication authentication) {
            return username != null ? username : authentication.principal();
        }

        @Override
        public void validate() {
            if (password == null && passwordHash == null) {
                throw EsErrors.validation(List.of(ServerEsMessages.PASSWORD_IS_MISSING));
            }
        }
    }

    private CompletableFuture<JsonReply> changePassword(ChangePassword req, Authentication authentication) {
        if (req.password != null && req.passwordHash != null) {
            throw EsErrors.validation(List.of(ServerEsMessages.ONLY_ONE_PASSWORD_FORM));
        }
        if (req.password != null) {
            checkPassword(req.password, admin.passwordHasher().name());
        } else {
            UserAdmin.checkedHash(req.passwordHash);
        }
        String username = req.username(authentication);
        return newHash(req.password, req.passwordHash)
                .thenCompose(hash -> admin.changePassword(username, hash))
                .thenApply(v -> JsonReply.empty());
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

    // ------------------------------------------------------------------ enable, disable

    /** {@code PUT|POST /_security/user/{username}/_enable} and {@code _disable}: never one's own. */
    private CompletableFuture<JsonReply> setEnabled(String username, Authentication authentication, boolean enabled) {
        if (authentication instanceof UserAuthentication u && u.authenticatedUser().username().equals(username)) {
            throw EsErrors.validation(List.of(ServerEsMessages.OWN_ENABLED_STATUS));
        }
        return admin.setEnabled(username, enabled).thenApply(v -> JsonReply.empty());
    }
}
