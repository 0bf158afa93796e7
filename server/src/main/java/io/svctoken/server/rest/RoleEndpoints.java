package io.svctoken.server.rest;

import io.svctoken.server.ServerEsMessages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.role.RoleDescriptors;
import io.svctoken.core.role.RoleParseException;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.NativeRoles;
import io.svctoken.server.audit.Changes;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;
import static io.svctoken.server.http.Router.Method.PUT;

/**
 * The role APIs of Elasticsearch ({@code /_security/role...}) for native roles; reserved roles are read-only.
 * Role bodies are read by core's role-descriptor parser (its own Elasticsearch errors), not {@link
 * io.svctoken.server.http.ObjectParser}.
 */
public final class RoleEndpoints {

    private static final String ROLE = "/_security/role";

    private final NativeRoles roles;
    private final ReservedRoles reserved;
    private final Executor worker;

    public RoleEndpoints(NativeRoles roles, ReservedRoles reserved, Executor worker) {
        this.roles = roles;
        this.reserved = reserved;
        this.worker = worker;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(Set.of(PUT, POST), ROLE + "/{name}")
                        .params(Param.refresh())
                        .parse(this::putRole)
                        .access(Access.action(Actions.PUT_ROLE))
                        .changes((req, authn, reply) -> Changes.putRole(req.name(), req.descriptor()))
                        .execute((req, authn) -> roles.put(req.name(), req.descriptor().toDisplayJson(), worker).thenApply(Created::new)),
                Endpoint.on(GET, ROLE, ROLE + "/{name}")
                        .parse(r -> new UserEndpoints.Names(UserEndpoints.names(r.param("name"))))
                        .access(Access.action(Actions.GET_ROLES))
                        .execute((req, authn) -> Endpoint.done(getRoles(req.names()))),
                Endpoint.on(DELETE, ROLE + "/{name}")
                        .params(Param.refresh())
                        .parse(r -> new RoleName(r.param("name")))
                        .access(Access.action(Actions.DELETE_ROLE))
                        .changes((req, authn, reply) -> Changes.deleteRole(req.name()))
                        .execute((req, authn) -> deleteRole(req.name())));
    }

    /** Elasticsearch's exception chain for a refused role body. */
    static EsException toEs(RoleParseException e) {
        EsException cause = e.wrapped() == null ? null : toEs(e.wrapped());
        return new EsException(e.esType(), e.status(), e.getMessage(), cause);
    }

    record RoleName(String name) implements Endpoint.Request {
    }

    record PutRole(String name, RoleDescriptor descriptor) implements Endpoint.Request {
    }

    private PutRole putRole(RestRequest request) {
        String name = request.param("name");
        try {
            // Elasticsearch's order: body present and name first, then the body (the rule all bodies follow), then its fields
            RoleDescriptors.checkBeforeBody(name, request.hasBody(), reserved);
            return new PutRole(name, RoleDescriptors.parseApiBody(name, request.checkedJsonBody(), reserved));
        } catch (RoleParseException e) {
            throw toEs(e);
        }
    }

    /** {@code {"role":{"created":true}}}. */
    record Created(boolean created) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.putObject("role").put("created", created);
            return o;
        }
    }

    /** {@code GET /_security/role[/{name}]}: reserved and native roles; none found → 404 {@code {}}. */
    private JsonReply getRoles(List<String> wanted) {
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
        return new JsonReply(!wanted.isEmpty() && o.isEmpty() ? 404 : 200, o);
    }

    private CompletableFuture<Found> deleteRole(String name) {
        if (reserved.isReserved(name)) {
            throw EsErrors.illegalArgument(ServerEsMessages.roleReservedCannotBeDeleted(name));
        }
        return roles.delete(name, worker).thenApply(Found::new);
    }
}
