package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.role.RoleDescriptors;
import io.svctoken.core.role.RoleParseException;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.NativeRoles;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestHandler;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The role APIs of Elasticsearch ({@code /_security/role...}) for native roles; reserved roles are read-only. */
public final class RoleHandlers {

    private RoleHandlers() {
    }

    /** Elasticsearch's exception chain for a refused role body. */
    static EsException toEs(RoleParseException e) {
        EsException cause = e.wrapped() == null ? null : toEs(e.wrapped());
        return new EsException(e.esType(), e.status(), e.getMessage(), cause);
    }

    /** {@code PUT|POST /_security/role/{name}}: {@code {"role":{"created":true}}}. */
    public static final class Put extends WriteHandler {
        private final NativeRoles roles;
        private final ReservedRoles reserved;
        private final Authorizer authorizer;
        private final Executor worker;

        public Put(NativeRoles roles, ReservedRoles reserved, Authorizer authorizer, Executor worker) {
            this.roles = roles;
            this.reserved = reserved;
            this.authorizer = authorizer;
            this.worker = worker;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String name = request.param("name");
            RoleDescriptor rd;
            try {
                // Elasticsearch's order: body present and name first, then the body (the rule all bodies follow), then its fields
                RoleDescriptors.checkBeforeBody(name, request.hasBody(), reserved);
                rd = RoleDescriptors.parseApiBody(name, request.checkedJsonBody(), reserved);
            } catch (RoleParseException e) {
                throw toEs(e);
            }
            authorizer.authorize(authentication, Actions.PUT_ROLE);
            return roles.put(name, rd.toDisplayJson(), worker).thenApply(created -> {
                ObjectNode o = Json.object();
                o.putObject("role").put("created", created);
                return RestResponse.ok(o);
            });
        }
    }

    /** {@code GET /_security/role[/{name}]}: reserved and native roles; none found → 404 {@code {}}. */
    public static final class Get implements RestHandler {
        private final NativeRoles roles;
        private final ReservedRoles reserved;
        private final Authorizer authorizer;

        public Get(NativeRoles roles, ReservedRoles reserved, Authorizer authorizer) {
            this.roles = roles;
            this.reserved = reserved;
            this.authorizer = authorizer;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            authorizer.authorize(authentication, Actions.GET_ROLES);
            String names = request.param("name");
            List<String> wanted = names == null || names.isEmpty() ? List.of() : Arrays.asList(names.split(","));
            ObjectNode o = Json.object();
            for (String n : reserved.names()) {
                if (wanted.isEmpty() || wanted.contains(n)) {
                    reserved.find(n).ifPresent(rd -> o.set(n, rd.toDisplayJson()));
                }
            }
            for (Map.Entry<String, RoleDescriptor> e : roles.all().entrySet()) {
                if ((wanted.isEmpty() || wanted.contains(e.getKey())) && !o.has(e.getKey())) {
                    o.set(e.getKey(), e.getValue().toDisplayJson());
                }
            }
            return CompletableFuture.completedFuture(RestResponse.of(!wanted.isEmpty() && o.isEmpty() ? 404 : 200, o));
        }
    }

    /** {@code DELETE /_security/role/{name}}. */
    public static final class Delete extends WriteHandler {
        private final NativeRoles roles;
        private final ReservedRoles reserved;
        private final Authorizer authorizer;
        private final Executor worker;

        public Delete(NativeRoles roles, ReservedRoles reserved, Authorizer authorizer, Executor worker) {
            this.roles = roles;
            this.reserved = reserved;
            this.authorizer = authorizer;
            this.worker = worker;
        }

        @Override
        public CompletableFuture<RestResponse> handle(RestRequest request, Authentication authentication) {
            String name = request.param("name");
            authorizer.authorize(authentication, Actions.DELETE_ROLE);
            if (reserved.isReserved(name)) {
                throw EsErrors.illegalArgument(EsMessages.roleReservedCannotBeDeleted(name));
            }
            return roles.delete(name, worker)
                    .thenApply(found -> RestResponse.of(found ? 200 : 404, Json.object().put("found", found)));
        }
    }
}
