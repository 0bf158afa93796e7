package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.privilege.ApplicationPrivilege;
import io.svctoken.core.authz.privilege.ApplicationPrivilegeDescriptor;
import io.svctoken.core.authz.privilege.PrivilegeCheck;
import io.svctoken.core.role.RoleDescriptors;
import io.svctoken.core.role.RoleParseException;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.RestRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;

/**
 * What the caller may do: {@code _has_privileges} (is each asked privilege held) and {@code _privileges} (the caller's
 * privileges as a whole). Both are routed before {@code /_security/user/{username}}: a literal segment wins there.
 */
public final class PrivilegeEndpoints {

    private static final String USER = "/_security/user";

    private final Authorizer authorizer;
    private final Supplier<Collection<ApplicationPrivilegeDescriptor>> applicationPrivileges;
    private final Executor worker;

    public PrivilegeEndpoints(Authorizer authorizer, Supplier<Collection<ApplicationPrivilegeDescriptor>> applicationPrivileges, Executor worker) {
        this.authorizer = authorizer;
        this.applicationPrivileges = applicationPrivileges;
        this.worker = worker;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(Set.of(GET, POST), USER + "/_has_privileges", USER + "/{username}/_has_privileges")
                        .parse(HasPrivileges::parse)
                        // a same-user action: checking oneself needs no privilege; another user needs one, then is refused
                        .access(Access.ownOrAction(Actions.HAS_PRIVILEGES, (authn, req) -> req.user().equals(authn.principal())))
                        .execute(this::hasPrivileges),
                Endpoint.on(GET, USER + "/_privileges")
                        .noRequest()
                        .access(Access.anyUser(Actions.GET_USER_PRIVILEGES))
                        .execute((req, authn) -> userPrivileges(authn)));
    }

    // ------------------------------------------------------------------ has_privileges

    /** The user checked (the path's, else the caller's) and the parsed checks. */
    record HasPrivileges(String user, PrivilegeCheck.Request checks) implements Endpoint.Request {

        static HasPrivileges parse(RestRequest request) {
            String user = request.param("username") != null ? request.param("username") : request.principal();
            byte[] body = request.checkedJsonBody();
            if (body == null) {
                throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.BODY_OR_SOURCE_REQUIRED);
            }
            try {
                return new HasPrivileges(user, PrivilegeCheck.Request.of(RoleDescriptors.parsePrivilegesToCheck(user, body)));
            } catch (RoleParseException e) {
                throw RoleEndpoints.toEs(e);
            }
        }

        /** Elasticsearch's {@code HasPrivilegesRequest.validate}: application names (no wildcard), then something asked. */
        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            for (PrivilegeCheck.ApplicationCheck a : checks.application()) {
                String problem = ApplicationPrivilege.applicationNameProblem(a.application(), false);
                if (problem != null) {
                    errors.add(problem);
                }
            }
            if (checks.cluster().isEmpty() && checks.index().isEmpty() && checks.application().isEmpty()) {
                errors.add(ServerEsMessages.MUST_SPECIFY_A_PRIVILEGE);
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }
    }

    private CompletableFuture<JsonReply> hasPrivileges(HasPrivileges req, Authentication authn) {
        if (!req.user().equals(authn.principal())) {
            throw EsErrors.illegalArgument(ServerEsMessages.HAS_PRIVILEGES_OWN_ACCOUNT_ONLY);
        }
        List<List<RoleDescriptor>> layers = authorizer.privilegeLayers(authn);
        // automata are built per request: off the event loop
        return CompletableFuture.supplyAsync(() -> {
            PrivilegeCheck.Result r;
            try {
                r = PrivilegeCheck.check(layers, req.checks(), applicationPrivileges.get());
            } catch (IllegalArgumentException e) {
                throw EsErrors.illegalArgument(e.getMessage()); // a pattern that is no valid regular expression
            }
            ObjectNode o = Json.object();
            o.put("username", req.user());
            o.put("has_all_requested", r.hasAllRequested());
            ObjectNode cluster = o.putObject("cluster");
            r.cluster().forEach(cluster::put);
            ObjectNode index = o.putObject("index");
            r.index().forEach((name, privileges) -> privileges(index.putObject(name), privileges));
            ObjectNode application = o.putObject("application");
            r.application().forEach((app, resources) -> {
                ObjectNode a = application.putObject(app);
                resources.forEach((resource, privileges) -> privileges(a.putObject(resource), privileges));
            });
            return JsonReply.ok(o);
        }, worker);
    }

    private static void privileges(ObjectNode into, Map<String, Boolean> privileges) {
        privileges.forEach(into::put);
    }

    // ------------------------------------------------------------------ _privileges

    /**
     * {@code GET /_security/user/_privileges}: the union of the caller's roles, as Elasticsearch prints it: cluster
     * privileges sorted, the configurable global ones, each index group (names and privileges sorted), the application
     * entries, run_as sorted; {@code remote_indices} and {@code remote_cluster} only when some role has them.
     */
    private CompletableFuture<JsonReply> userPrivileges(Authentication authn) {
        if (authn instanceof ApiKeyAuthn key && !key.roleDescriptors().isEmpty()) {
            throw EsErrors.illegalArgument(ServerEsMessages.API_KEY_PRIVILEGES_NOT_LISTED);
        }
        List<List<RoleDescriptor>> layers = authorizer.privilegeLayers(authn);
        List<RoleDescriptor> descriptors = layers.get(layers.size() - 1);
        TreeSet<String> cluster = new TreeSet<>();
        TreeSet<String> runAs = new TreeSet<>();
        ArrayNode global = Json.MAPPER.createArrayNode();
        ArrayNode indices = Json.MAPPER.createArrayNode();
        ArrayNode applications = Json.MAPPER.createArrayNode();
        ArrayNode remoteIndices = Json.MAPPER.createArrayNode();
        ArrayNode remoteCluster = Json.MAPPER.createArrayNode();
        for (RoleDescriptor rd : descriptors) {
            JsonNode d = rd.toDisplayJson();
            cluster.addAll(rd.cluster());
            runAs.addAll(rd.runAs());
            JsonNode g = d.path("global");
            if (g.isObject() && !g.isEmpty()) {
                global.add(g);
            }
            d.path("indices").forEach(group -> indices.add(indexGroup(group, false)));
            d.path("applications").forEach(applications::add);
            d.path("remote_indices").forEach(group -> remoteIndices.add(indexGroup(group, true)));
            d.path("remote_cluster").forEach(remoteCluster::add);
        }
        ObjectNode o = Json.object();
        o.set("cluster", strings(cluster));
        o.set("global", global);
        o.set("indices", indices);
        o.set("applications", applications);
        o.set("run_as", strings(runAs));
        if (!remoteIndices.isEmpty()) {
            o.set("remote_indices", remoteIndices);
        }
        if (!remoteCluster.isEmpty()) {
            o.set("remote_cluster", remoteCluster);
        }
        return Endpoint.done(JsonReply.ok(o));
    }

    /** One index group as the privileges listing prints it: names and privileges sorted, security fields as arrays. */
    private static ObjectNode indexGroup(JsonNode group, boolean remote) {
        ObjectNode out = Json.object();
        out.set("names", strings(sorted(group.path("names"))));
        out.set("privileges", strings(sorted(group.path("privileges"))));
        if (group.has("field_security")) {
            out.putArray("field_security").add(group.get("field_security"));
        }
        if (group.has("query")) {
            out.putArray("query").add(group.get("query").asText());
        }
        out.put("allow_restricted_indices", group.path("allow_restricted_indices").asBoolean(false));
        if (remote) {
            out.set("clusters", strings(sorted(group.path("clusters"))));
        }
        return out;
    }

    private static TreeSet<String> sorted(JsonNode array) {
        TreeSet<String> out = new TreeSet<>();
        if (array.isTextual()) {
            out.add(array.asText());
        }
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static ArrayNode strings(Collection<String> values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        new ArrayList<>(values).forEach(a::add);
        return a;
    }
}
