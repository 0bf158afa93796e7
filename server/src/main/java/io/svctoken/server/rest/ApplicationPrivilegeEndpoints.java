package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.privilege.ApplicationPrivilege;
import io.svctoken.core.authz.privilege.ApplicationPrivilegeDescriptor;
import io.svctoken.core.authz.privilege.ApplicationPrivileges;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.server.NodeIdentity;
import io.svctoken.server.ServerEsMessages;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * Elasticsearch's application privilege APIs ({@code /_security/privilege}): named sets of an application's actions
 * (Kibana registers its own at start), which role descriptors' {@code applications} entries grant and has_privileges
 * resolves.
 */
public final class ApplicationPrivilegeEndpoints {

    private static final String PRIVILEGE = "/_security/privilege";

    private final ApplicationPrivileges privileges;
    private final Invalidations invalidations;
    private final NodeIdentity identity;
    private final long ackTimeoutMillis;
    private final Executor worker;

    public ApplicationPrivilegeEndpoints(ApplicationPrivileges privileges, Invalidations invalidations, NodeIdentity identity,
                                         long ackTimeoutMillis, Executor worker) {
        this.privileges = privileges;
        this.invalidations = invalidations;
        this.identity = identity;
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.worker = worker;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(Set.of(PUT, POST), PRIVILEGE, PRIVILEGE + "/")
                        .params(Param.refresh())
                        .parse(PutPrivileges::parse)
                        .access(Access.action(Actions.PUT_PRIVILEGES))
                        .execute((req, authn) -> put(req)),
                Endpoint.on(GET, PRIVILEGE, PRIVILEGE + "/{application}", PRIVILEGE + "/{application}/{privilege}")
                        .parse(r -> new Names(r.param("application"), UserEndpoints.names(r.param("privilege"))))
                        .access(Access.action(Actions.GET_PRIVILEGES))
                        .execute((req, authn) -> Endpoint.done(get(req))),
                Endpoint.on(DELETE, PRIVILEGE + "/{application}/{privilege}")
                        .params(Param.refresh())
                        .parse(r -> new Names(r.param("application"), UserEndpoints.names(r.param("privilege"))))
                        .access(Access.action(Actions.DELETE_PRIVILEGES))
                        .execute((req, authn) -> delete(req)),
                Endpoint.on(POST, PRIVILEGE + "/{application}/_clear_cache")
                        .parse(r -> new Names(r.param("application"), List.of()))
                        .access(Access.action(Actions.CLEAR_PRIVILEGES_CACHE))
                        .execute((req, authn) -> clearCache(req)));
    }

    record Names(String application, List<String> names) implements Endpoint.Request {
    }

    // ------------------------------------------------------------------ put

    /** One privilege as its body gives it: the fields are Elasticsearch's {@code application_privilege} object parser's. */
    static final class Body {
        private static final ObjectParser<Body> PARSER = new ObjectParser<Body>(ObjectParser.Errors.objectParser("application_privilege"))
                .declare("application", (b, v) -> b.application = v.string())
                .declare("name", (b, v) -> b.name = v.string())
                .declare("actions", (b, v) -> b.actions = v.stringArray())
                .declare("metadata", (b, v) -> b.metadata = v.object());

        String application;
        String name;
        List<String> actions = List.of();
        ObjectNode metadata;
    }

    /**
     * {@code PUT|POST /_security/privilege}: {@code {app:{name:{actions,metadata}}}}, each privilege's own
     * {@code application} and {@code name} (if given) matching where it stands; then Elasticsearch's validation.
     */
    record PutPrivileges(List<ApplicationPrivilegeDescriptor> privileges) implements Endpoint.Request {

        static PutPrivileges parse(RestRequest request) {
            ObjectNode body = request.jsonBody();
            List<ApplicationPrivilegeDescriptor> out = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> apps = body.fields(); apps.hasNext(); ) {
                Map.Entry<String, JsonNode> app = apps.next();
                if (!app.getValue().isObject()) {
                    throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.privilegeValueNotObject(app.getKey(),
                            io.svctoken.core.EsMessages.xContentToken(app.getValue().asToken())));
                }
                for (Iterator<Map.Entry<String, JsonNode>> names = app.getValue().fields(); names.hasNext(); ) {
                    Map.Entry<String, JsonNode> name = names.next();
                    if (!name.getValue().isObject()) {
                        throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.privilegeValueNotObject(app.getKey(),
                                io.svctoken.core.EsMessages.xContentToken(name.getValue().asToken())));
                    }
                    Body b = Body.PARSER.parse((ObjectNode) name.getValue(), new Body());
                    String application = b.application == null ? app.getKey() : b.application;
                    String privilege = b.name == null ? name.getKey() : b.name;
                    if (!app.getKey().isEmpty() && !app.getKey().equals(application)) {
                        throw EsErrors.illegalArgument(ServerEsMessages.privilegeApplicationMismatch(application, app.getKey()));
                    }
                    if (!name.getKey().isEmpty() && !name.getKey().equals(privilege)) {
                        throw EsErrors.illegalArgument(ServerEsMessages.privilegeNameMismatch(privilege, name.getKey()));
                    }
                    out.add(new ApplicationPrivilegeDescriptor(application, privilege, b.actions, b.metadata));
                }
            }
            return new PutPrivileges(out);
        }

        /** Elasticsearch's {@code PutPrivilegesRequest.validate}: every finding, in its order. */
        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (privileges.isEmpty()) {
                errors.add(ServerEsMessages.AT_LEAST_ONE_APPLICATION_PRIVILEGE);
            }
            for (ApplicationPrivilegeDescriptor p : privileges) {
                addIfProblem(errors, ApplicationPrivilege.applicationNameProblem(p.application(), false));
                addIfProblem(errors, ApplicationPrivilege.privilegeNameProblem(p.name()));
                if (p.actions().isEmpty()) {
                    errors.add(ServerEsMessages.APPLICATION_PRIVILEGE_NEEDS_AN_ACTION);
                }
                for (String action : p.actions()) {
                    if (action.indexOf('/') == -1 && action.indexOf('*') == -1 && action.indexOf(':') == -1) {
                        errors.add(ServerEsMessages.actionNeedsSeparator(action));
                    }
                    addIfProblem(errors, ApplicationPrivilege.privilegeOrActionProblem(action));
                }
                for (Iterator<String> keys = p.metadata().fieldNames(); keys.hasNext(); ) {
                    if (keys.next().startsWith("_")) {
                        errors.add(ServerEsMessages.privilegeMetadataReserved(p.application(), p.name()));
                        break;
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }

        private static void addIfProblem(List<String> errors, String problem) {
            if (problem != null) {
                errors.add(problem);
            }
        }
    }

    private CompletableFuture<JsonReply> put(PutPrivileges req) {
        return privileges.put(req.privileges(), worker).thenApply(created -> {
            ObjectNode o = Json.object();
            for (int i = 0; i < created.size(); i++) {
                ApplicationPrivilegeDescriptor p = req.privileges().get(i);
                ObjectNode app = o.has(p.application()) ? (ObjectNode) o.get(p.application()) : o.putObject(p.application());
                app.putObject(p.name()).put("created", created.get(i));
            }
            return JsonReply.ok(o);
        });
    }

    // ------------------------------------------------------------------ get, delete, clear cache

    /**
     * {@code GET /_security/privilege[/{application}[/{privilege}]]}: applications and their privileges; names asked
     * and none found is 404 {@code {}}; an application alone, or nothing, is 200 even when empty.
     */
    private JsonReply get(Names req) {
        boolean anyApplication = req.application() == null || req.application().isEmpty();
        Set<String> apps = anyApplication ? Set.of() : new LinkedHashSet<>(Arrays.asList(req.application().split(",")));
        List<String> names = anyApplication ? List.of() : req.names();
        Map<String, ObjectNode> byApp = new LinkedHashMap<>();
        for (ApplicationPrivilegeDescriptor p : privileges.all()) {
            if ((anyApplication || matchesAny(apps, p.application())) && (names.isEmpty() || names.contains(p.name()))) {
                byApp.computeIfAbsent(p.application(), a -> Json.object()).set(p.name(), ApplicationPrivileges.display(p));
            }
        }
        ObjectNode o = Json.object();
        byApp.forEach(o::set);
        return new JsonReply(!names.isEmpty() && o.isEmpty() ? 404 : 200, o);
    }

    /** An application asked by name or by a trailing-wildcard pattern. */
    private static boolean matchesAny(Set<String> patterns, String application) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(application) || (p.endsWith("*") && application.startsWith(p.substring(0, p.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /** {@code DELETE /_security/privilege/{application}/{privilege}}: each name asked with {@code found}; none found is 404. */
    private CompletableFuture<JsonReply> delete(Names req) {
        List<String> names = List.copyOf(new LinkedHashSet<>(req.names()));
        return privileges.delete(req.application(), names, worker).thenApply(found -> {
            ObjectNode o = Json.object();
            ObjectNode app = o.putObject(req.application());
            names.forEach(n -> app.putObject(n).put("found", found.contains(n)));
            return new JsonReply(found.isEmpty() ? 404 : 200, o);
        });
    }

    /** {@code POST /_security/privilege/{application}/_clear_cache}: every node reads the privileges again. */
    private CompletableFuture<JsonReply> clearCache(Names req) {
        privileges.reload(null);
        return invalidations.publish(InvalidationBus.APPLICATION_PRIVILEGES, null).thenApply(ack -> {
            ObjectNode o = Json.object();
            NodesHeader.put(o, Math.max(1, ack.total()), ack.failed(), Actions.CLEAR_PRIVILEGES_CACHE, ack.seq(), ackTimeoutMillis);
            o.put("cluster_name", identity.clusterName());
            ObjectNode nodes = o.putObject("nodes");
            if (ack.total() == 0) {
                nodes.putObject(identity.nodeId()).put("name", identity.nodeName()); // no cluster service: this node alone
            }
            ack.successful().forEach(n -> nodes.putObject(n.nodeId()).put("name", n.nodeName()));
            return JsonReply.ok(o);
        });
    }
}
