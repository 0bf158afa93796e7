package io.svctoken.core.authz;

import io.svctoken.core.role.BuiltinPrivileges;
import io.svctoken.core.role.BuiltinPrivileges.Cluster;

import java.util.List;
import java.util.Optional;

/**
 * Named cluster privileges resolved to action patterns, as Elasticsearch's privilege resolver does, over
 * {@link BuiltinPrivileges}' table (the same names the role checks accept). Names are looked up lower-cased;
 * entries that look like action patterns ({@code cluster:...}) are used as patterns.
 */
public final class ClusterPrivileges {

    private ClusterPrivileges() {
    }

    /** Whether any of {@code privileges} (names or action patterns) grants {@code action}; {@code manage_own_api_key} grants nothing here. */
    public static boolean grants(List<String> privileges, String action) {
        return grants(privileges, action, false);
    }

    /**
     * Whether any of {@code privileges} (names or action patterns) grants {@code action}.
     *
     * @param ownApiKeys the outcome of {@code manage_own_api_key}'s request check (the request creates a key,
     *                   or targets only the caller's own keys): that privilege grants only when it is true
     */
    public static boolean grants(List<String> privileges, String action, boolean ownApiKeys) {
        for (String p : privileges) {
            Optional<Cluster> named = BuiltinPrivileges.cluster(p);
            if (named.isPresent() ? grants(named.get(), action, ownApiKeys) : (p.startsWith("cluster:") && Glob.matches(p, action))) {
                return true;
            }
        }
        return false;
    }

    private static boolean grants(Cluster c, String action, boolean ownApiKeys) {
        return BuiltinPrivileges.grants(c, action) && (ownApiKeys || !c.conditional());
    }

    /**
     * The named privileges that grant {@code action}, least privileged first: Elasticsearch's order of all its
     * cluster privileges (by how many others each implies, ties by name), which its 403 text keeps.
     */
    public static List<String> grantingPrivileges(String action) {
        return grantingPrivileges(action, false);
    }

    /** As {@link #grantingPrivileges(String)}, judged for this request: {@code manage_own_api_key} is listed when {@code ownApiKeys}. */
    public static List<String> grantingPrivileges(String action, boolean ownApiKeys) {
        return BuiltinPrivileges.clusterNamesByAccessLevel().stream()
                .filter(n -> grants(BuiltinPrivileges.cluster(n).orElseThrow(), action, ownApiKeys))
                .toList();
    }
}
