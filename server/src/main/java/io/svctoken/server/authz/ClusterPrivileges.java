package io.svctoken.server.authz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named cluster privileges resolved to action patterns, as Elasticsearch's privilege resolver does
 * for the actions svctoken serves. Names it does not know grant nothing; entries that look like
 * action patterns ({@code cluster:...}) are used as patterns.
 */
public final class ClusterPrivileges {

    /**
     * A named privilege. A {@code conditional} one ({@code manage_own_api_key}) grants its actions only when
     * the request passes an extra check; as in Elasticsearch it implies only itself, and no unconditional
     * privilege implies it (which decides its place in the 403 text).
     */
    private record Privilege(String name, List<String> include, List<String> exclude, boolean conditional) {
        boolean grants(String action) {
            return include.stream().anyMatch(p -> Glob.matches(p, action)) && exclude.stream().noneMatch(p -> Glob.matches(p, action));
        }

        /** This privilege grants everything {@code other} grants (judged on the other's patterns). */
        boolean implies(Privilege other) {
            if (conditional != other.conditional && !other.include.isEmpty()) {
                return false;
            }
            return other.include.stream().allMatch(p -> include.stream().anyMatch(q -> Glob.matches(q, p))
                    && exclude.stream().noneMatch(q -> Glob.matches(q, p)));
        }
    }

    private static final String SECURITY = "cluster:admin/xpack/security/";
    public static final String MANAGE_OWN_API_KEY = "manage_own_api_key";
    private static final Map<String, Privilege> NAMED = new LinkedHashMap<>();

    static {
        named("none", List.of());
        named("all", List.of("cluster:*"));
        named("monitor", List.of("cluster:monitor/*"));
        NAMED.put("manage", new Privilege("manage", List.of("cluster:*"), List.of(SECURITY + "*", "cluster:admin/xpack/security*"), false));
        named("manage_security", List.of(SECURITY + "*"));
        named("manage_service_account", List.of(SECURITY + "service_account/*"));
        named("manage_api_key", List.of(SECURITY + "api_key/*"));
        // granted only for the caller's own keys (ManageOwnApiKeyClusterPrivilege): see grants(..., ownApiKeys)
        NAMED.put(MANAGE_OWN_API_KEY, new Privilege(MANAGE_OWN_API_KEY, List.of(SECURITY + "api_key/*"), List.of(), true));
        named("grant_api_key", List.of(SECURITY + "api_key/grant"));
        named("manage_token", List.of(SECURITY + "token/*", SECURITY + "refresh_token/*"));
        named("read_security", List.of(
                SECURITY + "api_key/get", SECURITY + "api_key/query", SECURITY + "privilege/builtin/get",
                SECURITY + "privilege/get", SECURITY + "profile/get", SECURITY + "profile/has_privileges",
                SECURITY + "profile/suggest", SECURITY + "role/get", SECURITY + "role/query", SECURITY + "role_mapping/get",
                SECURITY + "service_account/get", SECURITY + "service_account/credential/get*", SECURITY + "user/get",
                SECURITY + "user/list_privileges", SECURITY + "user/has_privileges", SECURITY + "user/query",
                SECURITY + "settings/get"));
    }

    private static void named(String name, List<String> patterns) {
        NAMED.put(name, new Privilege(name, patterns, List.of(), false));
    }

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
            Privilege named = NAMED.get(p);
            if (named != null ? named.grants(action) && (ownApiKeys || !named.conditional())
                    : (p.startsWith("cluster:") && Glob.matches(p, action))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The named privileges that grant {@code action}, least privileged first: sorted by how many
     * other named privileges each implies, ties by name (the order of Elasticsearch's 403 text).
     */
    public static List<String> grantingPrivileges(String action) {
        return grantingPrivileges(action, false);
    }

    /** As {@link #grantingPrivileges(String)}, judged for this request: {@code manage_own_api_key} is listed when {@code ownApiKeys}. */
    public static List<String> grantingPrivileges(String action, boolean ownApiKeys) {
        List<Privilege> granting = new ArrayList<>();
        for (Privilege p : NAMED.values()) {
            if (p.grants(action) && (ownApiKeys || !p.conditional())) {
                granting.add(p);
            }
        }
        granting.sort(Comparator.comparingLong((Privilege p) -> NAMED.values().stream().filter(o -> o != p && p.implies(o)).count())
                .thenComparing(Privilege::name));
        return granting.stream().map(Privilege::name).toList();
    }
}
