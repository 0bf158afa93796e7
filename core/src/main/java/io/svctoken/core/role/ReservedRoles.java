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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Elasticsearch's reserved (built-in) roles of one release line, loaded from the data files under
 * {@code io/svctoken/core/roles/<version>/}: {@code roles.json} lists the names, each role has a
 * {@code <name>.json} with its descriptor in API display form, and {@code kibana_system} is taken from
 * the {@code elastic/kibana} service account's descriptor (the same role in Elasticsearch). See the
 * README beside the data for provenance and known gaps. A role's file is parsed on its first use: a start needs the
 * names, its first request usually one role.
 */
public final class ReservedRoles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<CompatibilityVersion, ReservedRoles> LOADED = new EnumMap<>(CompatibilityVersion.class);

    private final CompatibilityVersion version;
    private final String dir;
    /** Sorted. */
    private final Set<String> names;
    private final List<String> sourceOrder;
    /** Role name → the built-in service account whose descriptor it is. */
    private final Map<String, String> fromAccounts;
    private final Map<String, RoleDescriptor> parsed = new ConcurrentHashMap<>();

    private ReservedRoles(CompatibilityVersion version, String dir, List<String> sourceOrder, Map<String, String> fromAccounts) {
        this.version = version;
        this.dir = dir;
        this.names = Collections.unmodifiableSet(new TreeSet<>(sourceOrder));
        this.sourceOrder = List.copyOf(sourceOrder);
        this.fromAccounts = Map.copyOf(fromAccounts);
    }

    public static synchronized ReservedRoles forVersion(CompatibilityVersion version) {
        return LOADED.computeIfAbsent(version, ReservedRoles::load);
    }

    public CompatibilityVersion version() {
        return version;
    }

    /** The reserved role's descriptor (named {@code name}, display form as {@code GET /_security/role/<name>} shows it). */
    public Optional<RoleDescriptor> find(String name) {
        if (!names.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(parsed.computeIfAbsent(name, this::parse));
    }

    /** Elasticsearch's {@code ReservedRolesStore.isReserved}. */
    public boolean isReserved(String name) {
        return names.contains(name);
    }

    /** All reserved role names, sorted. */
    public Collection<String> names() {
        return names;
    }

    /** The names in the order of Elasticsearch's source ({@code Map.ofEntries}); Elasticsearch's own iteration order is unspecified. */
    public List<String> sourceOrder() {
        return sourceOrder;
    }

    /** How many role files were parsed (tests). */
    int parsed() {
        return parsed.size();
    }

    /** All descriptors, sorted by name. */
    public Collection<RoleDescriptor> all() {
        return names.stream().map(n -> find(n).orElseThrow()).toList();
    }

    static ReservedRoles load(CompatibilityVersion version) {
        String dir = "/io/svctoken/core/roles/" + version.resourceDir() + "/";
        JsonNode index = read(dir + "roles.json");
        Map<String, String> fromAccounts = new LinkedHashMap<>();
        index.path("from_accounts").fields().forEachRemaining(e -> fromAccounts.put(e.getKey(), e.getValue().asText()));
        List<String> order = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode n : index.get("roles")) {
            String name = n.asText();
            if (!seen.add(name)) {
                throw new IllegalStateException(dir + "roles.json lists [" + name + "] twice");
            }
            order.add(name);
        }
        return new ReservedRoles(version, dir, order, fromAccounts);
    }

    private RoleDescriptor parse(String name) {
        String principal = fromAccounts.get(name);
        if (principal != null) {
            RoleDescriptor account = BuiltinServiceAccounts.forVersion(version).find(principal)
                    .map(a -> a.roleDescriptor())
                    .orElseThrow(() -> new IllegalStateException(dir + "roles.json: no built-in account [" + principal + "] for [" + name + "]"));
            return new RoleDescriptor(name, account.toDisplayJson());
        }
        JsonNode file = read(dir + name + ".json");
        if (!name.equals(file.path("name").asText())) {
            throw new IllegalStateException("role file for [" + name + "] names [" + file.path("name").asText() + "]");
        }
        return new RoleDescriptor(name, (ObjectNode) file.get("role_descriptor"));
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
