package io.svctoken.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.event.SecurityEvents.ConfigChange;
import io.svctoken.server.http.Json;

import java.util.List;

/**
 * The objects of Elasticsearch's {@code security_config_change} events, one per write. They name what changed and
 * never carry a secret: a user's password is only {@code has_password}.
 */
public final class Changes {

    private Changes() {
    }

    public static ConfigChange createServiceToken(String namespace, String service, String name) {
        return new ConfigChange("create_service_token", "create", serviceToken(namespace, service, name));
    }

    public static ConfigChange deleteServiceToken(String namespace, String service, String name) {
        return new ConfigChange("delete_service_token", "delete", serviceToken(namespace, service, name));
    }

    private static ObjectNode serviceToken(String namespace, String service, String name) {
        ObjectNode o = Json.object();
        ObjectNode t = o.putObject("service_token");
        t.put("namespace", namespace);
        t.put("service", service);
        t.put("name", name);
        return o;
    }

    public static ConfigChange putUser(String name, boolean enabled, List<String> roles, String fullName, String email, boolean hasPassword,
                                       ObjectNode metadata) {
        ObjectNode o = Json.object();
        ObjectNode u = o.putObject("user");
        u.put("name", name);
        u.put("enabled", enabled);
        ArrayNode r = u.putArray("roles");
        (roles == null ? List.<String>of() : roles).forEach(r::add);
        if (fullName != null) {
            u.put("full_name", fullName);
        }
        if (email != null) {
            u.put("email", email);
        }
        u.put("has_password", hasPassword);
        if (metadata != null && !metadata.isEmpty()) {
            u.set("metadata", metadata.deepCopy());
        }
        return new ConfigChange("put_user", "put", o);
    }

    public static ConfigChange deleteUser(String name) {
        return new ConfigChange("delete_user", "delete", user(Json.object(), name));
    }

    public static ConfigChange changePassword(String name) {
        ObjectNode o = Json.object();
        user(o.putObject("password"), name);
        return new ConfigChange("change_password", "change", o);
    }

    public static ConfigChange setEnabled(String name, boolean enabled) {
        ObjectNode o = Json.object();
        user(o.putObject(enabled ? "enable" : "disable"), name);
        return new ConfigChange(enabled ? "change_enable_user" : "change_disable_user", "change", o);
    }

    private static ObjectNode user(ObjectNode parent, String name) {
        parent.putObject("user").put("name", name);
        return parent;
    }

    public static ConfigChange putRole(String name, RoleDescriptor descriptor) {
        ObjectNode o = Json.object();
        ObjectNode r = o.putObject("role");
        r.put("name", name);
        r.set("role_descriptor", roleDescriptor(descriptor.toDisplayJson()));
        return new ConfigChange("put_role", "put", o);
    }

    public static ConfigChange deleteRole(String name) {
        ObjectNode o = Json.object();
        o.putObject("role").put("name", name);
        return new ConfigChange("delete_role", "delete", o);
    }

    /** Elasticsearch's {@code put_role_mapping} event: the mapping's name and its display form. */
    public static ConfigChange putRoleMapping(String name, ObjectNode display) {
        ObjectNode o = Json.object();
        ObjectNode m = o.putObject("role_mapping");
        m.put("name", name);
        display.fields().forEachRemaining(e -> m.set(e.getKey(), e.getValue().deepCopy()));
        return new ConfigChange("put_role_mapping", "put", o);
    }

    public static ConfigChange deleteRoleMapping(String name) {
        ObjectNode o = Json.object();
        o.putObject("role_mapping").put("name", name);
        return new ConfigChange("delete_role_mapping", "delete", o);
    }

    /**
     * @param expiration the expiration as the request gave it, null when none
     * @param descriptors the key's own role descriptors
     */
    public static ConfigChange createApiKey(String id, String name, String expiration, List<RoleDescriptor> descriptors, ObjectNode metadata) {
        return createApiKey("rest", id, name, expiration, descriptors, metadata);
    }

    /** {@code create_apikey} of a key of {@code type} ({@code rest} or {@code cross_cluster}). */
    public static ConfigChange createApiKey(String type, String id, String name, String expiration, List<RoleDescriptor> descriptors,
                                            ObjectNode metadata) {
        ObjectNode o = Json.object();
        ObjectNode k = o.putObject("apikey");
        k.put("id", id);
        k.put("name", name);
        k.put("type", type);
        if (expiration == null) {
            k.putNull("expiration");
        } else {
            k.put("expiration", expiration);
        }
        ArrayNode rds = k.putArray("role_descriptors");
        for (RoleDescriptor rd : descriptors == null ? List.<RoleDescriptor>of() : descriptors) {
            ObjectNode one = Json.object();
            one.put("name", rd.name());
            one.setAll(roleDescriptor(rd.toDisplayJson()));
            rds.add(one);
        }
        if (metadata != null && !metadata.isEmpty()) {
            k.set("metadata", metadata.deepCopy());
        }
        return new ConfigChange("create_apikey", "create", o);
    }

    /** {@code create_apikey} of a grant: the key as created, and the grant (never its secrets, only whether they were given). */
    public static ConfigChange grantApiKey(String id, String name, String expiration, List<RoleDescriptor> descriptors, ObjectNode metadata,
                                           String grantType, String username, boolean hasPassword, boolean hasAccessToken, String runAs) {
        ConfigChange created = createApiKey(id, name, expiration, descriptors, metadata);
        ObjectNode g = created.object().putObject("grant");
        g.put("type", grantType);
        if (username != null) {
            g.putObject("user").put("name", username).put("has_password", hasPassword);
        }
        if (hasAccessToken) {
            g.put("has_access_token", true);
        }
        if (runAs != null) {
            g.put("run_as", runAs);
        }
        return created;
    }

    public static ConfigChange invalidateApiKeys(List<String> ids, String name, boolean owned, String username, String realm) {
        ObjectNode o = Json.object();
        ObjectNode k = o.putObject("apikeys");
        if (ids != null && !ids.isEmpty()) {
            ArrayNode a = k.putArray("ids");
            ids.forEach(a::add);
        }
        if (name != null && !name.isEmpty()) {
            k.put("name", name);
        }
        k.put("owned_by_authenticated_user", owned);
        if (username != null || realm != null) {
            ObjectNode u = k.putObject("user");
            u.put("name", username);
            u.put("realm", realm);
        }
        return new ConfigChange("invalidate_apikeys", "invalidate", o);
    }

    /** {@code change_apikey}: the id and the parts the request gives (Elasticsearch's audit of an update). */
    public static ConfigChange updateApiKey(String id, List<RoleDescriptor> descriptors, ObjectNode metadata, String expiration) {
        return updateApiKey("rest", id, descriptors, metadata, expiration);
    }

    /** {@code change_apikey} of a key of {@code type} ({@code rest} or {@code cross_cluster}). */
    public static ConfigChange updateApiKey(String type, String id, List<RoleDescriptor> descriptors, ObjectNode metadata, String expiration) {
        ObjectNode o = Json.object();
        ObjectNode k = o.putObject("apikey");
        k.put("id", id);
        updateFields(k, type, descriptors, metadata, expiration);
        return new ConfigChange("change_apikey", "change", o);
    }

    /** {@code change_apikeys}: the ids and the parts the request gives. */
    public static ConfigChange updateApiKeys(List<String> ids, List<RoleDescriptor> descriptors, ObjectNode metadata, String expiration) {
        ObjectNode o = Json.object();
        ObjectNode k = o.putObject("apikeys");
        ArrayNode a = k.putArray("ids");
        ids.forEach(a::add);
        updateFields(k, "rest", descriptors, metadata, expiration);
        return new ConfigChange("change_apikeys", "change", o);
    }

    private static void updateFields(ObjectNode k, String type, List<RoleDescriptor> descriptors, ObjectNode metadata, String expiration) {
        k.put("type", type);
        if (descriptors != null) {
            ArrayNode rds = k.putArray("role_descriptors");
            for (RoleDescriptor rd : descriptors) {
                rds.add(roleDescriptor(rd.toDisplayJson())); // no name here: Elasticsearch's update audit writes privileges only
            }
        }
        if (metadata != null) {
            k.set("metadata", metadata.deepCopy()); // even empty: it replaces the stored metadata
        }
        if (expiration == null) {
            k.putNull("expiration");
        } else {
            k.put("expiration", expiration);
        }
    }

    /** The descriptor's parts in Elasticsearch's audit order: cluster, global, indices, applications, run_as, metadata. */
    private static ObjectNode roleDescriptor(ObjectNode display) {
        ObjectNode d = Json.object();
        d.set("cluster", orEmptyArray(display.get("cluster")));
        JsonNode global = display.get("global");
        if (global != null && !global.isEmpty()) {
            d.set("global", global.deepCopy());
        }
        d.set("indices", orEmptyArray(display.get("indices")));
        d.set("applications", orEmptyArray(display.get("applications")));
        d.set("run_as", orEmptyArray(display.get("run_as")));
        JsonNode metadata = display.get("metadata");
        if (metadata != null && !metadata.isEmpty()) {
            d.set("metadata", metadata.deepCopy());
        }
        return d;
    }

    private static JsonNode orEmptyArray(JsonNode n) {
        return n == null || n.isNull() ? Json.MAPPER.createArrayNode() : n.deepCopy();
    }
}
