package io.svctoken.core.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

/**
 * The built-in service accounts of one Elasticsearch release line, loaded from the JSON data files
 * under {@code io/svctoken/core/accounts/<version>/} on the class path.
 */
public final class BuiltinServiceAccounts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<CompatibilityVersion, BuiltinServiceAccounts> LOADED = new EnumMap<>(CompatibilityVersion.class);

    private final CompatibilityVersion version;
    private final Map<String, ServiceAccount> byPrincipal;
    private final List<String> cliOrder;

    private BuiltinServiceAccounts(CompatibilityVersion version, Map<String, ServiceAccount> byPrincipal, List<String> cliOrder) {
        this.version = version;
        this.byPrincipal = Collections.unmodifiableMap(byPrincipal);
        this.cliOrder = List.copyOf(cliOrder);
    }

    public static synchronized BuiltinServiceAccounts forVersion(CompatibilityVersion version) {
        return LOADED.computeIfAbsent(version, BuiltinServiceAccounts::load);
    }

    public CompatibilityVersion version() {
        return version;
    }

    public Optional<ServiceAccount> find(ServiceAccountId id) {
        return Optional.ofNullable(byPrincipal.get(id.asPrincipal()));
    }

    public Optional<ServiceAccount> find(String principal) {
        return Optional.ofNullable(byPrincipal.get(principal));
    }

    public boolean isKnown(ServiceAccountId id) {
        return byPrincipal.containsKey(id.asPrincipal());
    }

    /** All accounts, sorted by principal. */
    public Collection<ServiceAccount> all() {
        return byPrincipal.values();
    }

    /** Principals sorted. */
    public Collection<String> principals() {
        return byPrincipal.keySet();
    }

    /**
     * The principals in the order Elasticsearch's {@code elasticsearch-service-tokens} lists them in its
     * "Unknown service account principal" message (the iteration order of its {@code HashMap}). Data:
     * the optional {@code cli_order} array of {@code accounts.json}; without it, {@link #principals()}.
     */
    public List<String> cliOrder() {
        return cliOrder;
    }

    private static BuiltinServiceAccounts load(CompatibilityVersion version) {
        String dir = "/io/svctoken/core/accounts/" + version.resourceDir() + "/";
        JsonNode index = read(dir + "accounts.json");
        Map<String, ServiceAccount> accounts = new LinkedHashMap<>();
        index.get("accounts").forEach(p -> {
            String principal = p.asText();
            ServiceAccountId id = ServiceAccountId.fromPrincipal(principal);
            JsonNode file = read(dir + id.namespace() + "." + id.serviceName() + ".json");
            if (!principal.equals(file.path("principal").asText())) {
                throw new IllegalStateException("account file for [" + principal + "] names [" + file.path("principal").asText() + "]");
            }
            accounts.put(principal, new ServiceAccount(id, new RoleDescriptor(principal, (ObjectNode) file.get("role_descriptor"))));
        });
        Map<String, ServiceAccount> sorted = new LinkedHashMap<>();
        accounts.keySet().stream().sorted().forEach(k -> sorted.put(k, accounts.get(k)));
        List<String> cliOrder = new ArrayList<>();
        JsonNode order = index.get("cli_order");
        if (order == null) {
            cliOrder.addAll(sorted.keySet());
        } else {
            order.forEach(p -> cliOrder.add(p.asText()));
            if (cliOrder.size() != sorted.size() || !new HashSet<>(cliOrder).equals(sorted.keySet())) {
                throw new IllegalStateException(dir + "accounts.json: cli_order " + cliOrder + " must list exactly the accounts " + sorted.keySet());
            }
        }
        return new BuiltinServiceAccounts(version, sorted, cliOrder);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = BuiltinServiceAccounts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in account resource " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in account resource " + resource, e);
        }
    }
}
