package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.RoleMappings;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.audit.Changes;
import io.svctoken.server.http.Access;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.Param;
import io.svctoken.server.http.RestRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import static io.svctoken.server.http.Router.Method.DELETE;
import static io.svctoken.server.http.Router.Method.GET;
import static io.svctoken.server.http.Router.Method.POST;
import static io.svctoken.server.http.Router.Method.PUT;

/**
 * Elasticsearch's role mapping APIs ({@code /_security/role_mapping}): stored, answered and validated as there. A
 * mapping grants roles to users of realms that svctoken does not have (LDAP, SAML, PKI, ...), so here it maps nobody.
 */
public final class RoleMappingEndpoints {

    private static final String MAPPING = "/_security/role_mapping";

    private final RoleMappings mappings;
    private final Executor worker;

    public RoleMappingEndpoints(RoleMappings mappings, Executor worker) {
        this.mappings = mappings;
        this.worker = worker;
    }

    public List<Endpoint<?>> endpoints() {
        return List.of(
                Endpoint.on(Set.of(PUT, POST), MAPPING + "/{name}")
                        .params(Param.refresh())
                        .parse(PutMapping::parse)
                        .access(Access.action(Actions.PUT_ROLE_MAPPING))
                        .changes((req, authn, reply) -> Changes.putRoleMapping(req.name(), req.display()))
                        .execute((req, authn) -> mappings.put(req.name(), req.display(), worker).thenApply(Created::new)),
                Endpoint.on(GET, MAPPING, MAPPING + "/", MAPPING + "/{name}")
                        .parse(r -> new UserEndpoints.Names(allOrNames(r.param("name"))))
                        .access(Access.action(Actions.GET_ROLE_MAPPINGS))
                        .execute((req, authn) -> Endpoint.done(get(req.names()))),
                Endpoint.on(DELETE, MAPPING + "/{name}")
                        .params(Param.refresh())
                        .parse(r -> new RoleEndpoints.RoleName(r.param("name")))
                        .access(Access.action(Actions.DELETE_ROLE_MAPPING))
                        .changes((req, authn, reply) -> Changes.deleteRoleMapping(req.name()))
                        .execute((req, authn) -> mappings.delete(req.name(), worker).thenApply(Found::new)));
    }

    /** Elasticsearch's {@code paramAsStringArrayOrEmptyIfAll}: none, {@code _all} or {@code *} is every mapping. */
    private static List<String> allOrNames(String param) {
        List<String> names = UserEndpoints.names(param);
        return names.size() == 1 && (names.get(0).equals("_all") || names.get(0).equals("*")) ? List.of() : names;
    }

    /** The mapping's name and display form, validated. */
    record PutMapping(String name, RoleMappingBody.Parsed mapping) implements Endpoint.Request {

        static PutMapping parse(RestRequest request) {
            byte[] body = request.checkedJsonBody();
            if (body == null) {
                throw new EsException(EsErrors.PARSE, 400, EsMessages.REQUEST_BODY_IS_REQUIRED);
            }
            String name = request.param("name");
            return new PutMapping(name, RoleMappingBody.parse(name, body));
        }

        ObjectNode display() {
            return mapping.display();
        }

        /** Elasticsearch's {@code PutRoleMappingRequest.validate}: every finding, in its order. */
        @Override
        public void validate() {
            List<String> errors = new ArrayList<>();
            if (mapping.roles().isEmpty() && mapping.templates().isEmpty()) {
                errors.add(ServerEsMessages.ROLE_MAPPING_ROLES_MISSING);
            }
            if (!mapping.roles().isEmpty() && !mapping.templates().isEmpty()) {
                errors.add(ServerEsMessages.ROLE_MAPPING_ROLES_AND_TEMPLATES);
            }
            for (Iterator<String> keys = mapping.metadata().fieldNames(); keys.hasNext(); ) {
                if (keys.next().startsWith("_")) {
                    errors.add(ServerEsMessages.USER_METADATA_RESERVED_KEYS);
                    break;
                }
            }
            if (!errors.isEmpty()) {
                throw EsErrors.validation(errors);
            }
        }
    }

    /** {@code {"role_mapping":{"created":true}}}. */
    record Created(boolean created) implements Endpoint.Reply {
        @Override
        public JsonNode body() {
            ObjectNode o = Json.object();
            o.putObject("role_mapping").put("created", created);
            return o;
        }
    }

    /** {@code GET /_security/role_mapping[/{names}]}: the mappings by name; names asked and none found is 404 {@code {}}. */
    private JsonReply get(List<String> names) {
        ObjectNode o = Json.object();
        for (Map.Entry<String, ObjectNode> e : mappings.all().entrySet()) {
            if (names.isEmpty() || names.contains(e.getKey())) {
                o.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return new JsonReply(!names.isEmpty() && o.isEmpty() ? 404 : 200, o);
    }
}
