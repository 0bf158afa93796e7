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
import io.svctoken.server.http.ObjectParser;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
                        .execute((req, authn) -> deleteRole(req.name())),
                Endpoint.on(POST, ROLE)
                        .params(Param.refresh())
                        .parse(RoleEndpoints::bulkPut)
                        .access(Access.action(Actions.BULK_PUT_ROLES))
                        .execute((req, authn) -> bulkPut(req)),
                Endpoint.on(Set.of(GET, POST), "/_security/_query/role")
                        .parse(RoleQuery::parse)
                        .access(Access.action(Actions.QUERY_ROLE))
                        .execute((req, authn) -> Endpoint.done(req.answer(nativeDisplays()))),
                Endpoint.on(DELETE, ROLE)
                        .params(Param.refresh())
                        .parse(BulkDelete::parse)
                        .access(Access.action(Actions.BULK_DELETE_ROLES))
                        .execute((req, authn) -> bulkDelete(req)));
    }

    /**
     * Elasticsearch's exception chain for a refused role body. Jackson's and the JDK's exceptions in it
     * ({@code x_content_parse_exception}, {@code illegal_argument_exception}) are rendered under {@code caused_by} but
     * are never a root cause, nor is anything beneath them: Elasticsearch's guess follows its own exceptions only.
     */
    static EsException toEs(RoleParseException e) {
        if (!isElasticsearchException(e)) {
            return nested(e);
        }
        RoleParseException c = e.wrapped();
        EsException cause = c == null ? null : isElasticsearchException(c) ? toEs(c) : nestedCauses(c);
        return new EsException(e.esType(), e.status(), e.getMessage(), cause);
    }

    private static boolean isElasticsearchException(RoleParseException e) {
        return e.type() != RoleParseException.Type.X_CONTENT_PARSE_EXCEPTION && e.type() != RoleParseException.Type.ILLEGAL_ARGUMENT_EXCEPTION;
    }

    /** The top one answers with its status; its causes are only shown. */
    private static EsException nested(RoleParseException e) {
        return new EsException(e.esType(), e.status(), e.getMessage(), nestedCauses(e.wrapped()));
    }

    private static EsException nestedCauses(RoleParseException e) {
        return e == null ? null : EsException.nestedCause(e.esType(), e.getMessage(), nestedCauses(e.wrapped()));
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

    /** The native roles (the role query's documents; reserved and file roles are not among them, as in Elasticsearch). */
    private Map<String, ObjectNode> nativeDisplays() {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        roles.all().forEach((name, rd) -> out.put(name, rd.toDisplayJson()));
        return out;
    }

    // ------------------------------------------------------------------ bulk put and delete

    /** {@code POST /_security/role}: the roles in the body's order. */
    record BulkPut(Map<String, ObjectNode> roles) implements Endpoint.Request {
    }

    private static BulkPut bulkPut(RestRequest request) {
        byte[] body = request.checkedJsonBody();
        if (body == null) {
            throw new EsException(EsErrors.PARSE, 400, io.svctoken.core.EsMessages.REQUEST_BODY_IS_REQUIRED);
        }
        try {
            return new BulkPut(RoleDescriptors.parseBulkBody(body));
        } catch (RoleParseException e) {
            throw toEs(e);
        }
    }

    /**
     * Each role validated on its own (a refused one is listed under {@code errors} and the others are stored), then
     * {@code noop}, {@code created}, {@code updated}, {@code errors}: the keys Elasticsearch's answer has, in the order
     * it writes them (a hash map's), each present only when not empty.
     */
    private CompletableFuture<JsonReply> bulkPut(BulkPut req) {
        Map<String, ObjectNode> valid = new LinkedHashMap<>();
        Map<String, EsException> errors = new LinkedHashMap<>();
        req.roles().forEach((name, display) -> RoleDescriptors.bulkProblems(name, display, reserved).ifPresentOrElse(
                problem -> errors.put(name, toEs(problem)),
                () -> valid.put(name, display)));
        return roles.putAll(valid, worker).thenApply(results -> {
            ObjectNode o = Json.object();
            for (NativeRoles.BulkResult kind : List.of(NativeRoles.BulkResult.NOOP, NativeRoles.BulkResult.CREATED, NativeRoles.BulkResult.UPDATED)) {
                List<String> names = results.entrySet().stream().filter(e -> e.getValue() == kind).map(Map.Entry::getKey).toList();
                if (!names.isEmpty()) {
                    names.forEach(o.putArray(kind.esName())::add);
                }
            }
            putErrors(o, errors);
            return JsonReply.ok(o);
        });
    }

    /** {@code "errors":{"count":n,"details":{name:{"type":...,"reason":...}}}}. */
    private static void putErrors(ObjectNode o, Map<String, EsException> errors) {
        if (errors.isEmpty()) {
            return;
        }
        ObjectNode e = o.putObject("errors");
        e.put("count", errors.size());
        ObjectNode details = e.putObject("details");
        errors.forEach((name, error) -> throwable(details.putObject(name), error));
    }

    /** An error as Elasticsearch writes one inside an answer: type, reason, its causes under caused_by. */
    private static void throwable(ObjectNode into, EsException e) {
        into.put("type", e.type()).put("reason", e.getMessage());
        if (e.getCause() instanceof EsException cause) {
            throwable(into.putObject("caused_by"), cause);
        }
    }

    /** {@code DELETE /_security/role}: {@code {"names":[...]}}. */
    static final class BulkDelete implements Endpoint.Request {
        private static final ObjectParser<BulkDelete> PARSER = new ObjectParser<BulkDelete>(
                ObjectParser.Errors.objectParser("bulk_delete_roles_request_payload"))
                .declare("names", (b, v) -> b.names = v.scalars());

        List<String> names;

        static BulkDelete parse(RestRequest request) {
            byte[] body = request.checkedJsonBody();
            if (body == null) {
                throw new EsException(EsErrors.PARSE, 400, io.svctoken.core.EsMessages.REQUEST_BODY_IS_REQUIRED);
            }
            BulkDelete d = PARSER.parse(body, new BulkDelete());
            if (d.names == null) {
                throw EsErrors.illegalArgument(ServerEsMessages.requiredFields(List.of("names")));
            }
            return d;
        }
    }

    /** Reserved roles are refused one by one ({@code errors}); the others are {@code deleted} or {@code not_found}. */
    private CompletableFuture<JsonReply> bulkDelete(BulkDelete req) {
        List<String> names = new ArrayList<>();
        Map<String, EsException> errors = new LinkedHashMap<>();
        for (String name : req.names) {
            if (reserved.isReserved(name)) {
                errors.put(name, EsErrors.illegalArgument(ServerEsMessages.roleReservedCannotBeDeleted(name)));
            } else {
                names.add(name);
            }
        }
        return roles.deleteAll(names, worker).thenApply(found -> {
            ObjectNode o = Json.object();
            List<String> deleted = found.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
            List<String> notFound = found.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
            if (!deleted.isEmpty()) {
                deleted.forEach(o.putArray("deleted")::add);
            }
            if (!notFound.isEmpty()) {
                notFound.forEach(o.putArray("not_found")::add);
            }
            putErrors(o, errors);
            return JsonReply.ok(o);
        });
    }

    private CompletableFuture<Found> deleteRole(String name) {
        if (reserved.isReserved(name)) {
            throw EsErrors.illegalArgument(ServerEsMessages.roleReservedCannotBeDeleted(name));
        }
        return roles.delete(name, worker).thenApply(Found::new);
    }
}
