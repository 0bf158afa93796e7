package io.svctoken.core.role;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.EsMessages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Elasticsearch's predefined privilege names: the cluster privileges with the action patterns each grants,
 * and the index privilege names; with the name checks Elasticsearch makes on a role definition.
 *
 * <p>Facts from {@code ClusterPrivilegeResolver} (newest stored revision, 8.16+: connector and inference
 * privileges, global-retention privileges that grant nothing) plus {@code monitor_stats} (added in 8.17), with
 * action-name constants resolved; and from {@code IndexPrivilege} of 8.19 (failure-store privileges). Every
 * pattern is a literal action or a prefix ending in {@code *}, which makes the implication between two
 * privileges exactly decidable ({@link #implies}).
 */
public final class BuiltinPrivileges {

    /**
     * A named cluster privilege: the actions matching an {@code include} pattern and no {@code exclude} pattern.
     * A {@code conditional} one ({@code manage_own_api_key}) also checks the request; as in Elasticsearch it
     * implies only privileges of its own kind, and no unconditional privilege implies it.
     */
    public record Cluster(String name, List<String> include, List<String> exclude, boolean conditional) {
    }

    private static final String SECURITY = "cluster:admin/xpack/security/";
    private static final List<String> ALL_CLUSTER = List.of("cluster:*", "indices:admin/template/*", "indices:admin/index_template/*");
    private static final List<String> CONNECTOR_SECRETS = List.of("cluster:admin/xpack/connector/secret/get",
            "cluster:admin/xpack/connector/secret/delete", "cluster:admin/xpack/connector/secret/post",
            "cluster:admin/xpack/connector/secret/put");
    private static final List<String> TRANSFORM = List.of("cluster:admin/data_frame/*", "cluster:monitor/data_frame/*",
            "cluster:monitor/transform/*", "cluster:admin/transform/*");
    private static final List<String> REMOTE_CLUSTER = List.of("cluster:internal/remote_cluster/handshake",
            "cluster:internal/remote_cluster/nodes", "cluster:internal/admin/tasks/ban", "cluster:internal/admin/tasks/cancel_child",
            "cluster:monitor/xpack/info");

    /** In {@code ClusterPrivilegeResolver}'s declaration order. */
    private static final Map<String, Cluster> CLUSTER = new LinkedHashMap<>();

    static {
        declare("none");
        declare("all", ALL_CLUSTER.toArray(String[]::new));
        declare("monitor", "cluster:monitor/*", "indices:admin/template/get", "cluster:admin/component_template/get",
                "indices:admin/index_template/get");
        declare("monitor_connector", "cluster:admin/xpack/connector/get", "cluster:admin/xpack/connector/list",
                "cluster:admin/xpack/connector/sync_job/get", "cluster:admin/xpack/connector/sync_job/list");
        declare("monitor_inference", "cluster:monitor/xpack/inference*", "cluster:monitor/xpack/ml/trained_models/deployment/infer");
        declare("monitor_ml", "cluster:monitor/xpack/ml/*");
        declare("monitor_text_structure", "cluster:monitor/text_structure/*");
        declare("monitor_data_frame_transforms", "cluster:monitor/data_frame/*", "cluster:monitor/transform/*");
        declare("monitor_transform", "cluster:monitor/data_frame/*", "cluster:monitor/transform/*");
        declare("monitor_watcher", "cluster:monitor/xpack/watcher/*");
        declare("monitor_rollup", "cluster:monitor/xpack/rollup/*");
        declare("monitor_enrich", "cluster:monitor/xpack/enrich/*", "cluster:admin/xpack/enrich/get");
        declare("monitor_stats", "cluster:monitor/stats*");
        put(new Cluster("manage", ALL_CLUSTER, List.of(SECURITY + "*"), false));
        put(new Cluster("manage_connector", List.of("cluster:admin/xpack/connector/*"), CONNECTOR_SECRETS, false));
        declare("manage_inference", "cluster:admin/xpack/inference/*", "cluster:monitor/xpack/inference*",
                "cluster:admin/xpack/ml/trained_models/deployment/start", "cluster:admin/xpack/ml/trained_models/deployment/stop",
                "cluster:monitor/xpack/ml/trained_models/deployment/infer");
        declare("manage_ml", "cluster:admin/xpack/ml/*", "cluster:monitor/xpack/ml/*");
        declare("manage_data_frame_transforms", TRANSFORM.toArray(String[]::new));
        declare("manage_transform", TRANSFORM.toArray(String[]::new));
        declare("manage_token", SECURITY + "token/*");
        declare("manage_watcher", "cluster:admin/xpack/watcher/*", "cluster:monitor/xpack/watcher/*");
        declare("manage_index_templates", "indices:admin/template/*", "indices:admin/index_template/*", "cluster:admin/component_template/*");
        declare("manage_ingest_pipelines", "cluster:admin/ingest/pipeline/*");
        declare("read_pipeline", "cluster:admin/ingest/pipeline/get", "cluster:admin/ingest/pipeline/simulate");
        declare("transport_client", "cluster:monitor/nodes/liveness", "cluster:monitor/state");
        put(new Cluster("manage_security", List.of(SECURITY + "*"), List.of(SECURITY + "delegate_pki"), false));
        declare("read_security", SECURITY + "api_key/get", SECURITY + "api_key/query", SECURITY + "privilege/builtin/get",
                SECURITY + "privilege/get", SECURITY + "profile/get", SECURITY + "profile/has_privileges", SECURITY + "profile/suggest",
                SECURITY + "role/get", SECURITY + "role/query", SECURITY + "role_mapping/get", SECURITY + "service_account/get",
                SECURITY + "service_account/query", SECURITY + "service_account/credential/get*", SECURITY + "user/get", SECURITY + "user/query",
                SECURITY + "user/list_privileges", SECURITY + "user/has_privileges", SECURITY + "settings/get");
        declare("manage_saml", SECURITY + "saml/*", SECURITY + "token/invalidate", SECURITY + "token/refresh",
                "cluster:monitor/xpack/security/saml/metadata");
        declare("manage_oidc", SECURITY + "oidc/*");
        declare("manage_api_key", SECURITY + "api_key/*");
        declare("grant_api_key", SECURITY + "api_key/grant*");
        declare("manage_service_account", SECURITY + "service_account/*");
        declare("manage_user_profile", SECURITY + "profile/*");
        declare("manage_pipeline", "cluster:admin/ingest/pipeline/*");
        declare("manage_rollup", "cluster:admin/xpack/rollup/*", "cluster:monitor/xpack/rollup/*");
        declare("manage_autoscaling", "cluster:admin/autoscaling/*");
        declare("manage_ccr", "cluster:admin/xpack/ccr/*", "cluster:monitor/state", SECURITY + "user/has_privileges");
        declare("read_ccr", "cluster:monitor/state", SECURITY + "user/has_privileges");
        declare("create_snapshot", "cluster:admin/snapshot/create", "cluster:admin/snapshot/status*", "cluster:admin/snapshot/get",
                "cluster:admin/snapshot/status", "cluster:admin/repository/get");
        declare("monitor_snapshot", "cluster:admin/snapshot/status*", "cluster:admin/snapshot/get", "cluster:admin/snapshot/status",
                "cluster:admin/repository/get");
        declare("manage_ilm", "cluster:admin/ilm/*");
        declare("read_ilm", "cluster:admin/ilm/get", "cluster:admin/ilm/operation_mode/get");
        declare("manage_slm", "cluster:admin/slm/*", "cluster:admin/ilm/start", "cluster:admin/ilm/stop", "cluster:admin/ilm/operation_mode/get");
        declare("read_slm", "cluster:admin/slm/status", "cluster:admin/slm/get", "cluster:admin/ilm/operation_mode/get");
        declare("delegate_pki", SECURITY + "delegate_pki", SECURITY + "token/invalidate");
        put(new Cluster("manage_own_api_key", List.of(SECURITY + "api_key/*"), List.of(), true));
        declare("manage_enrich", "cluster:admin/xpack/enrich/*", "cluster:monitor/xpack/enrich/*");
        declare("manage_logstash_pipelines", "cluster:admin/logstash/pipeline/*");
        declare("read_fleet_secrets", "cluster:admin/fleet/secrets/get");
        declare("write_fleet_secrets", "cluster:admin/fleet/secrets/post", "cluster:admin/fleet/secrets/delete");
        declare("cancel_task", "cluster:admin/tasks/cancel*");
        declare("manage_search_application", "cluster:admin/xpack/application/search_application/*");
        declare("manage_search_synonyms", "cluster:admin/synonyms/*", "cluster:admin/synonyms_sets/*", "cluster:admin/synonym_rules/*");
        declare("manage_behavioral_analytics", "cluster:admin/xpack/application/analytics/*");
        declare("post_behavioral_analytics_event", "cluster:admin/xpack/application/analytics/post_event");
        declare("manage_search_query_rules", "cluster:admin/xpack/query_rules/*");
        List<String> ccs = new ArrayList<>(REMOTE_CLUSTER);
        ccs.addAll(List.of("cluster:monitor/xpack/enrich/esql/resolve_policy", "cluster:internal:data/read/esql/open_exchange",
                "cluster:internal:data/read/esql/exchange"));
        declare("cross_cluster_search", ccs.toArray(String[]::new));
        List<String> ccr = new ArrayList<>(REMOTE_CLUSTER);
        ccr.add("cluster:monitor/state");
        declare("cross_cluster_replication", ccr.toArray(String[]::new));
        declare("read_connector_secrets", "cluster:admin/xpack/connector/secret/get");
        declare("write_connector_secrets", "cluster:admin/xpack/connector/secret/delete", "cluster:admin/xpack/connector/secret/post",
                "cluster:admin/xpack/connector/secret/put");
        // no effect since 8.16: still accepted names
        declare("monitor_data_stream_global_retention");
        declare("manage_data_stream_global_retention");
    }

    /** The cluster privilege names as Elasticsearch lists them: least privileged first (see {@link #byAccessLevel}). */
    private static final List<String> CLUSTER_NAMES = byAccessLevel(List.copyOf(CLUSTER.values()));

    /** {@code IndexPrivilege}'s names, alphabetically as 8.19's unknown-privilege message lists them. */
    public static final List<String> INDEX_NAMES = List.of("all", "auto_configure", "create", "create_doc", "create_index",
            "cross_cluster_replication", "cross_cluster_replication_internal", "delete", "delete_index", "index", "maintenance", "manage",
            "manage_data_stream_lifecycle", "manage_failure_store", "manage_follow_index", "manage_ilm", "manage_leader_index", "monitor",
            "none", "read", "read_cross_cluster", "read_failure_store", "view_index_metadata", "write");
    private static final Set<String> INDEX_NAME_SET = Set.copyOf(INDEX_NAMES);

    private BuiltinPrivileges() {
    }

    private static void declare(String name, String... include) {
        put(new Cluster(name, List.of(include), List.of(), false));
    }

    private static void put(Cluster c) {
        for (String p : concat(c.include(), c.exclude())) {
            int star = p.indexOf('*');
            if (p.indexOf('?') >= 0 || (star >= 0 && star != p.length() - 1)) {
                throw new IllegalStateException("only literal or prefix* patterns: " + p);
            }
        }
        CLUSTER.put(c.name(), c);
    }

    /** Every named cluster privilege, in Elasticsearch's declaration order. */
    public static List<Cluster> clusterPrivileges() {
        return List.copyOf(CLUSTER.values());
    }

    /** The named cluster privilege, looked up as Elasticsearch does (lower-cased). */
    public static Optional<Cluster> cluster(String name) {
        return Optional.ofNullable(CLUSTER.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The names least privileged first: how many other privileges each implies, ties by name. */
    public static List<String> clusterNamesByAccessLevel() {
        return CLUSTER_NAMES;
    }

    /** Elasticsearch's {@code ClusterPrivilegeResolver.isClusterAction}: a raw action (pattern) allowed in {@code cluster}. */
    public static boolean isClusterAction(String name) {
        return name.startsWith("cluster:") || name.startsWith("indices:admin/template/") || name.startsWith("indices:admin/index_template/");
    }

    /** Elasticsearch's {@code IndexPrivilege.ACTION_MATCHER}: a raw action (pattern) allowed in an index group's {@code privileges}. */
    public static boolean isIndexAction(String name) {
        return name.startsWith("indices:") || name.startsWith("internal:transport/proxy/indices:");
    }

    /** {@code ClusterPrivilegeResolver.resolve}: empty when the name is valid, else Elasticsearch's message. */
    public static Optional<String> checkClusterPrivilege(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (isClusterAction(lower) || CLUSTER.containsKey(lower)) {
            return Optional.empty();
        }
        return Optional.of(EsMessages.unknownClusterPrivilege(lower, CLUSTER_NAMES));
    }

    /**
     * {@code IndexPrivilege.get(Set.of(privileges))} for one index group: a repeated name is the JDK's
     * {@code Set.of} refusal, else the first unknown name (Elasticsearch reports only one per group).
     */
    public static Optional<String> checkIndexPrivileges(List<String> privileges) {
        Set<String> seen = new HashSet<>();
        for (String p : privileges) {
            if (!seen.add(p)) {
                return Optional.of(EsMessages.duplicateElement(p));
            }
        }
        for (String p : privileges) {
            String lower = p.toLowerCase(Locale.ROOT);
            if (!isIndexAction(lower) && !INDEX_NAME_SET.contains(lower)) {
                return Optional.of(EsMessages.unknownIndexPrivilege(lower, INDEX_NAMES));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code RoleDescriptorRequestValidator}'s privilege-name findings for a display-form descriptor, in its
     * order: each unknown cluster privilege, then one finding per {@code indices} group, then per
     * {@code remote_indices} group.
     */
    public static List<String> problems(JsonNode display) {
        List<String> out = new ArrayList<>();
        display.path("cluster").forEach(c -> checkClusterPrivilege(c.asText()).ifPresent(out::add));
        for (String groups : List.of("indices", "remote_indices")) {
            for (JsonNode g : display.path(groups)) {
                List<String> privileges = new ArrayList<>();
                g.path("privileges").forEach(p -> privileges.add(p.asText()));
                checkIndexPrivileges(privileges).ifPresent(out::add);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ implication, as ClusterPermission#implies decides it

    /** Whether {@code a} grants every action {@code b} grants (for a conditional privilege: and the same kind of check). */
    public static boolean implies(Cluster a, Cluster b) {
        if (a.conditional() != b.conditional()) {
            return false;
        }
        // witnesses: for every pattern text q, the action q itself and an action that extends q and no longer pattern
        List<String> all = concat(concat(a.include(), a.exclude()), concat(b.include(), b.exclude()));
        for (String p : all) {
            String q = p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
            for (String w : List.of(q, q + '\uFFFF')) {
                if (grants(b, w) && !grants(a, w)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the privilege's patterns grant {@code action} (the request check of a conditional one aside). */
    public static boolean grants(Cluster c, String action) {
        return c.include().stream().anyMatch(p -> matches(p, action)) && c.exclude().stream().noneMatch(p -> matches(p, action));
    }

    private static boolean matches(String pattern, String action) {
        return pattern.endsWith("*") ? action.startsWith(pattern.substring(0, pattern.length() - 1)) : action.equals(pattern);
    }

    /** {@code ClusterPrivilegeResolver.sortByAccessLevel}: by how many others each implies, then by name. */
    static List<String> byAccessLevel(List<Cluster> privileges) {
        Map<String, Long> implied = new HashMap<>();
        for (Cluster p : privileges) {
            implied.put(p.name(), privileges.stream().filter(o -> o != p && implies(p, o)).count());
        }
        return privileges.stream().map(Cluster::name)
                .sorted(Comparator.<String>comparingLong(implied::get).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
