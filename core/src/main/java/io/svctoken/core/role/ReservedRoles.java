package io.svctoken.core.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.RoleDescriptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Elasticsearch's reserved (built-in) roles of one release line, loaded from the data files under
 * {@code io/svctoken/core/roles/<version>/}: {@code roles.json} lists the names, each role has a
 * {@code <name>.json} with its descriptor in API display form, and {@code kibana_system} is taken from
 * the {@code elastic/kibana} service account's descriptor (the same role in Elasticsearch). See the
 * README beside the data for provenance and known gaps.
 */
public final class ReservedRoles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<CompatibilityVersion, ReservedRoles> LOADED = new EnumMap<>(CompatibilityVersion.class);

    private final CompatibilityVersion version;
    private final Map<String, RoleDescriptor> byName;
    private final List<String> sourceOrder;

    private ReservedRoles(CompatibilityVersion version, Map<String, RoleDescriptor> byName, List<String> sourceOrder) {
        this.version = version;
        this.byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        this.sourceOrder = List.copyOf(sourceOrder);
    }

    public static synchronized ReservedRoles forVersion(CompatibilityVersion version) {
        return LOADED.computeIfAbsent(version, ReservedRoles::load);
    }

    public CompatibilityVersion version() {
        return version;
    }

    /** The reserved role's descriptor (named {@code name}, display form as {@code GET /_security/role/<name>} shows it). */
    public Optional<RoleDescriptor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Elasticsearch's {@code ReservedRolesStore.isReserved}. */
    public boolean isReserved(String name) {
        return byName.containsKey(name);
    }

    /** All reserved role names, sorted. */
    public Collection<String> names() {
        return byName.keySet();
    }

    /** The names in the order of Elasticsearch's source ({@code Map.ofEntries}); Elasticsearch's own iteration order is unspecified. */
    public List<String> sourceOrder() {
        return sourceOrder;
    }

    /** All descriptors, sorted by name. */
    public Collection<RoleDescriptor> all() {
        return byName.values();
    }

    private static ReservedRoles load(CompatibilityVersion version) {
        String dir = "/io/svctoken/core/roles/" + version.resourceDir() + "/";
        JsonNode index = read(dir + "roles.json");
        JsonNode fromAccounts = index.path("from_accounts");
        Map<String, RoleDescriptor> roles = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (JsonNode n : index.get("roles")) {
            String name = n.asText();
            order.add(name);
            RoleDescriptor rd;
            if (fromAccounts.has(name)) {
                String principal = fromAccounts.get(name).asText();
                RoleDescriptor account = BuiltinServiceAccounts.forVersion(version).find(principal)
                        .map(a -> a.roleDescriptor())
                        .orElseThrow(() -> new IllegalStateException(dir + "roles.json: no built-in account [" + principal + "] for [" + name + "]"));
                rd = new RoleDescriptor(name, account.toDisplayJson());
            } else {
                JsonNode file = read(dir + name + ".json");
                if (!name.equals(file.path("name").asText())) {
                    throw new IllegalStateException("role file for [" + name + "] names [" + file.path("name").asText() + "]");
                }
                rd = new RoleDescriptor(name, (ObjectNode) file.get("role_descriptor"));
            }
            if (roles.put(name, rd) != null) {
                throw new IllegalStateException(dir + "roles.json lists [" + name + "] twice");
            }
        }
        return new ReservedRoles(version, roles, order);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = ReservedRoles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing reserved role resource " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read reserved role resource " + resource, e);
        }
    }
}
