package io.svctoken.server.authc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.server.http.Json;

import java.util.List;

/**
 * A request authenticated with an API key ({@code Authorization: ApiKey ...}). The user is the key's
 * owner as recorded at creation ({@code creator}); authorization uses the key's role descriptors
 * limited by the owner's descriptors captured at creation ({@code limited_by_role_descriptors}).
 *
 * @param ownerRealm      the realm the owner came from when the key was created ({@code creator.realm}/{@code realm_type})
 * @param creator         Elasticsearch's {@code creator} object (full_name, email, metadata of the owner)
 * @param roleDescriptors the key's own descriptors; empty = the owner's privileges (as limited by {@code limitedBy})
 */
public record ApiKeyAuthn(String id, String name, String owner, RealmRef ownerRealm, ObjectNode creator,
                          List<RoleDescriptor> roleDescriptors, List<RoleDescriptor> limitedBy) implements Authentication {

    /** The realm name and type of every API key authentication. */
    public static final String REALM = "_es_api_key";
    public static final RealmRef REALM_REF = new RealmRef(REALM, REALM);

    public ApiKeyAuthn {
        roleDescriptors = List.copyOf(roleDescriptors);
        limitedBy = List.copyOf(limitedBy);
        creator = creator.deepCopy();
    }

    @Override
    public String principal() {
        return owner;
    }

    private JsonNode creatorField(String field) {
        JsonNode n = creator.get(field);
        return n == null ? Json.object().nullNode() : n.deepCopy();
    }

    private ObjectNode ownerMetadata() {
        JsonNode m = creator.get("metadata");
        return m instanceof ObjectNode o ? o.deepCopy() : Json.object();
    }

    @Override
    public ObjectNode toAuthenticateJson() {
        ObjectNode o = Json.object();
        o.put("username", owner);
        o.putArray("roles");
        o.set("full_name", creatorField("full_name"));
        o.set("email", creatorField("email"));
        o.set("metadata", ownerMetadata());
        o.put("enabled", true);
        Authentication.putRealms(o, REALM_REF, REALM_REF);
        o.put("authentication_type", "api_key");
        ObjectNode key = o.putObject("api_key");
        key.put("id", id);
        if (name != null) {
            key.put("name", name);
        }
        return o;
    }

    /** The owner, from the API key realm (Elasticsearch records the effective subject's realm, {@code _es_api_key}). */
    @Override
    public ObjectNode creatorJson() {
        ObjectNode c = Json.object();
        c.put("principal", owner);
        c.set("full_name", creatorField("full_name"));
        c.set("email", creatorField("email"));
        c.set("metadata", ownerMetadata());
        c.put("realm", REALM);
        c.put("realm_type", REALM);
        return c;
    }
}
