package io.svctoken.core.authz.index;

import io.svctoken.core.role.BuiltinPrivileges;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Elasticsearch's named index privileges and the action patterns each grants ({@code IndexPrivilege}, data
 * selector). Every pattern is a literal action or a prefix ending in {@code *}, so which privilege implies which
 * is exactly decidable; the denial text lists the granting privileges in Elasticsearch's order. The failure-store
 * privileges grant nothing here: they act only on the {@code ::failures} selector, which the gateway does not
 * forward as such.
 */
public final class IndexPrivileges {

    private static final Map<String, List<String>> NAMED = new LinkedHashMap<>();

    static {
        NAMED.put("none", List.of());
        NAMED.put("all", List.of("indices:*", "internal:transport/proxy/indices:*"));
        NAMED.put("read", List.of("indices:data/read/*", "indices:admin/resolve/index", "indices:admin/resolve/cluster"));
        NAMED.put("read_cross_cluster", List.of("internal:transport/proxy/indices:data/read/*", "indices:admin/shards/search_shards",
                "indices:admin/search/search_shards", "indices:admin/resolve/cluster", "indices:data/read/esql", "indices:data/read/esql/compute"));
        NAMED.put("view_index_metadata", List.of("indices:admin/aliases/get", "indices:admin/get", "indices:admin/mappings/fields/get*",
                "indices:admin/mappings/get", "indices:admin/shards/search_shards", "indices:admin/search/search_shards",
                "indices:admin/validate/query*", "indices:monitor/settings/get", "indices:admin/ilm/explain",
                "indices:admin/data_stream/lifecycle/get", "indices:admin/data_stream/lifecycle/explain", "indices:admin/data_stream/get",
                "indices:admin/resolve/index", "indices:admin/resolve/cluster", "indices:data/read/field_caps*",
                "indices:data/read/xpack/rollup/get/index/caps*", "indices:monitor/transform/checkpoint*"));
        NAMED.put("monitor", List.of("indices:monitor/*"));
        NAMED.put("manage", List.of("indices:monitor/*", "indices:admin/*", "indices:data/read/field_caps*",
                "indices:data/read/xpack/rollup/get/index/caps*"));
        NAMED.put("write", List.of("indices:data/write/*", "indices:admin/mapping/auto_put"));
        NAMED.put("index", List.of("indices:data/write/index*", "indices:data/write/bulk*", "indices:data/write/update*",
                "indices:data/write/simulate/bulk*"));
        NAMED.put("create", List.of("indices:data/write/index*", "indices:data/write/bulk*", "indices:data/write/simulate/bulk*"));
        NAMED.put("create_doc", List.of("indices:data/write/index", "indices:data/write/index[*", "indices:data/write/index:op_type/create",
                "indices:data/write/bulk*", "indices:data/write/simulate/bulk*"));
        NAMED.put("delete", List.of("indices:data/write/delete*", "indices:data/write/bulk*"));
        NAMED.put("create_index", List.of("indices:admin/create", "indices:admin/auto_create", "indices:admin/data_stream/create"));
        NAMED.put("delete_index", List.of("indices:admin/delete", "indices:admin/data_stream/delete"));
        NAMED.put("maintenance", List.of("indices:admin/refresh*", "indices:admin/flush*", "indices:admin/synced_flush", "indices:admin/forcemerge*"));
        NAMED.put("auto_configure", List.of("indices:admin/mapping/auto_put", "indices:admin/auto_create"));
        NAMED.put("manage_follow_index", List.of("indices:admin/xpack/ccr/put_follow", "indices:admin/xpack/ccr/unfollow", "indices:admin/close*",
                "indices:admin/data_stream/promote", "indices:admin/rollover"));
        NAMED.put("manage_leader_index", List.of("indices:admin/xpack/ccr/forget_follower*"));
        NAMED.put("manage_ilm", List.of("indices:admin/ilm/*"));
        NAMED.put("manage_data_stream_lifecycle", List.of("indices:admin/data_stream/lifecycle/*"));
        // retention-lease and restore-session action names as seen in 8.x sources
        NAMED.put("cross_cluster_replication", List.of("indices:data/read/xpack/ccr/shard_changes*", "indices:monitor/stats*",
                "indices:admin/seq_no/add_retention_lease*", "indices:admin/seq_no/remove_retention_lease*",
                "indices:admin/seq_no/renew_retention_lease*"));
        NAMED.put("cross_cluster_replication_internal", List.of("indices:internal/admin/ccr/restore/session/put*",
                "indices:internal/admin/ccr/restore/session/clear*", "indices:internal/admin/ccr/restore/file_chunk/get*",
                "indices:data/read/xpack/ccr/shard_changes*", "indices:admin/seq_no/add_retention_lease*",
                "indices:admin/seq_no/remove_retention_lease*", "indices:admin/seq_no/renew_retention_lease*"));
        NAMED.put("read_failure_store", List.of());
        NAMED.put("manage_failure_store", List.of());
        if (!NAMED.keySet().containsAll(BuiltinPrivileges.INDEX_NAMES) || NAMED.size() != BuiltinPrivileges.INDEX_NAMES.size()) {
            throw new IllegalStateException("index privilege table out of step with BuiltinPrivileges.INDEX_NAMES");
        }
    }

    private static final List<String> BY_ACCESS_LEVEL = byAccessLevel();

    private IndexPrivileges() {
    }

    /** The patterns of a named privilege (looked up lower-cased). */
    public static Optional<List<String>> patterns(String name) {
        return Optional.ofNullable(NAMED.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Whether any entry of a group's {@code privileges} grants {@code action}: a named privilege by its patterns,
     * a raw action as {@code <action>*} ({@code Privilege.actionToPattern}) matched as a wildcard. Unknown names grant nothing.
     */
    public static boolean grants(List<String> privileges, String action) {
        for (String p : privileges) {
            String lower = p.toLowerCase(Locale.ROOT);
            List<String> named = NAMED.get(lower);
            if (named != null) {
                if (grantsAny(named, action)) {
                    return true;
                }
            } else if (BuiltinPrivileges.isIndexAction(lower)
                    && NamePattern.wildcard(lower.endsWith("*") ? lower : lower + "*", action)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The named privileges granting {@code action}, as Elasticsearch's denial lists them: by how many other named
     * privileges are supersets of each (most first), then by name.
     */
    public static List<String> grantingPrivileges(String action) {
        return BY_ACCESS_LEVEL.stream().filter(n -> NAMED.get(n).stream().anyMatch(q -> matches(q, action))).toList();
    }

    static boolean matches(String pattern, String action) {
        int prefix = pattern.length() - 1;
        // the prefix compared in place: this runs for every forwarded request
        return prefix >= 0 && pattern.charAt(prefix) == '*' ? action.regionMatches(0, pattern, 0, prefix) : action.equals(pattern);
    }

    private static boolean grantsAny(List<String> patterns, String action) {
        for (String q : patterns) {
            if (matches(q, action)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every action {@code b}'s patterns grant is granted by {@code a}'s (witnesses: each pattern's text and one extension). */
    static boolean implies(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        for (String p : all) {
            String q = p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
            for (String w : List.of(q, q + '\uFFFF')) {
                if (grantsAny(b, w) && !grantsAny(a, w)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> byAccessLevel() {
        Map<String, Long> supersets = new HashMap<>();
        for (String n : NAMED.keySet()) {
            supersets.put(n, NAMED.keySet().stream().filter(o -> !o.equals(n) && implies(NAMED.get(o), NAMED.get(n))).count());
        }
        return NAMED.keySet().stream()
                .sorted(Comparator.<String>comparingLong(supersets::get).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
    }
}
