package io.svctoken.core.authz.index;

import io.svctoken.core.authz.index.Need.AllOf;
import io.svctoken.core.authz.index.Need.Bulk;
import io.svctoken.core.authz.index.Need.Cluster;
import io.svctoken.core.authz.index.Need.DocWrite;
import io.svctoken.core.authz.index.Need.Granted;
import io.svctoken.core.authz.index.Need.Index;
import io.svctoken.core.authz.index.Need.Mget;
import io.svctoken.core.authz.index.Need.Msearch;
import io.svctoken.core.authz.index.Need.NameOnly;
import io.svctoken.core.authz.index.Need.Options;
import io.svctoken.core.authz.index.Need.Unknown;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table "REST request -> what it needs", as Elasticsearch's REST handlers map requests to transport actions
 * and index names. Only the method, the path and the query are read; a request whose names are only in its body
 * (other than {@code _bulk}, {@code _mget}, {@code _msearch}, which are decided item by item) and every request
 * not listed is {@link Unknown}: it needs the {@code all} cluster privilege.
 */
public final class RestRequests {

    public static final String SEARCH = "indices:data/read/search";
    public static final String BULK = "indices:data/write/bulk";
    public static final String BULK_SHARD = "indices:data/write/bulk[s]";
    public static final String MGET = "indices:data/read/mget";
    public static final String MSEARCH = "indices:data/read/msearch";
    public static final String INDEX = "indices:data/write/index";
    public static final String DELETE = "indices:data/write/delete";
    public static final String UPDATE = "indices:data/write/update";
    public static final String GET = "indices:data/read/get";

    private static final Unknown UNKNOWN = new Unknown();
    /** {@code _cat/indices} expands to every name by default. */
    private static final Options ALL_NAMES = new Options(false, true, true, true, true);

    private RestRequests() {
    }

    /**
     * What the request needs.
     *
     * @param rawPath the request path as sent (percent-encoded; a query part after {@code ?} is ignored)
     * @param query   the decoded query parameters
     */
    public static Need classify(String method, String rawPath, Map<String, String> query) {
        List<String> s;
        try {
            s = segments(rawPath);
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
        String m = method.toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return is(m, "GET", "HEAD") ? new Cluster("cluster:monitor/main") : UNKNOWN;
        }
        Options opts = Options.from(query, Options.DEFAULT);
        String first = s.get(0);
        if (!first.startsWith("_")) {
            return onIndices(m, names(first), s.subList(1, s.size()), query, opts);
        }
        return api(m, s, query, opts);
    }

    /** {@code /{i}/...}. */
    private static Need onIndices(String m, List<String> idx, List<String> rest, Map<String, String> query, Options opts) {
        if (rest.isEmpty()) {
            return switch (m) {
                case "PUT" -> index("indices:admin/create", idx, opts, true);
                case "DELETE" -> index("indices:admin/delete", idx, opts, false);
                case "GET", "HEAD" -> index("indices:admin/get", idx, opts, false);
                default -> UNKNOWN;
            };
        }
        String api = rest.get(0);
        int n = rest.size();
        String one = idx.size() == 1 ? idx.get(0) : null;
        switch (api) {
            case "_search":
            case "_count":
                return n == 1 && is(m, "GET", "POST") ? remote(SEARCH, idx, opts) : UNKNOWN;
            case "_msearch":
                return n == 1 && is(m, "GET", "POST") ? new Msearch(String.join(",", idx)) : UNKNOWN;
            case "_mget":
                return n == 1 && is(m, "GET", "POST") ? new Mget(String.join(",", idx)) : UNKNOWN;
            case "_bulk":
                return n == 1 && is(m, "POST", "PUT") ? new Bulk(String.join(",", idx)) : UNKNOWN;
            case "_field_caps":
                return n == 1 && is(m, "GET", "POST") ? remote("indices:data/read/field_caps", idx, opts) : UNKNOWN;
            case "_refresh":
            case "_flush":
                return n == 1 && is(m, "GET", "POST") ? index("indices:admin/" + api.substring(1), idx, opts, false) : UNKNOWN;
            case "_stats":
                return is(m, "GET") ? index("indices:monitor/stats", idx, opts, false) : UNKNOWN;
            case "_mapping":
            case "_mappings":
                return mapping(m, idx, rest, opts);
            case "_settings":
                if (is(m, "GET") && n <= 2) {
                    return index("indices:monitor/settings/get", idx, opts, false);
                }
                return is(m, "PUT") && n == 1 ? index("indices:admin/settings/update", idx, opts, false) : UNKNOWN;
            case "_alias":
            case "_aliases":
                return alias(m, idx, rest, opts);
            case "_doc":
            case "_create":
            case "_update":
            case "_source":
                return one == null || n > 2 ? UNKNOWN : document(m, one, api, n == 2, query);
            case "_update_by_query":
                return n == 1 && is(m, "POST") ? new AllOf(List.of(index("indices:data/write/update/byquery", idx, opts, false),
                        remote(SEARCH, idx, opts))) : UNKNOWN;
            case "_delete_by_query":
                return n == 1 && is(m, "POST") ? new AllOf(List.of(index("indices:data/write/delete/byquery", idx, opts, false),
                        remote(SEARCH, idx, opts))) : UNKNOWN;
            case "_pit":
                return n == 1 && is(m, "POST") ? remote("indices:data/read/open_point_in_time", idx, opts) : UNKNOWN;
            case "_ilm":
                return n == 2 && rest.get(1).equals("explain") && is(m, "GET") ? index("indices:admin/ilm/explain", idx, opts, false) : UNKNOWN;
            case "_block":
                return n == 2 && is(m, "PUT") ? index("indices:admin/block/add", idx, opts, false) : UNKNOWN;
            case "_clone":
            case "_split":
            case "_shrink":
                // resize is authorized on the source; the target is checked too (Elasticsearch requires the target's
                // permissions to be a subset of the source's)
                return one != null && n == 2 && is(m, "PUT", "POST") ? new AllOf(List.of(single("indices:admin/resize", one),
                        single("indices:admin/resize", rest.get(1)))) : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    private static Need document(String m, String index, String api, boolean hasId, Map<String, String> query) {
        switch (api) {
            case "_doc":
                if (hasId && is(m, "GET", "HEAD")) {
                    return single(GET, index);
                }
                if (hasId && is(m, "DELETE")) {
                    return new DocWrite(DELETE, "delete", index);
                }
                if (is(m, "PUT", "POST") && hasId) {
                    return new DocWrite(INDEX, "create".equals(query.get("op_type")) ? "create" : "index", index);
                }
                // POST /{i}/_doc without an id creates (RestIndexAction's auto-id handler)
                return !hasId && is(m, "POST") ? new DocWrite(INDEX, "create", index) : UNKNOWN;
            case "_create":
                return hasId && is(m, "PUT", "POST") ? new DocWrite(INDEX, "create", index) : UNKNOWN;
            case "_update":
                return hasId && is(m, "POST") ? single(UPDATE, index) : UNKNOWN;
            default: // _source
                return hasId && is(m, "GET", "HEAD") ? single(GET, index) : UNKNOWN;
        }
    }

    private static Need mapping(String m, List<String> idx, List<String> rest, Options opts) {
        int n = rest.size();
        if (is(m, "GET")) {
            if (n == 1) {
                return index("indices:admin/mappings/get", idx, opts, false);
            }
            return n == 3 && rest.get(1).equals("field") ? index("indices:admin/mappings/fields/get", idx, opts, false) : UNKNOWN;
        }
        return is(m, "PUT", "POST") && n == 1 && !idx.isEmpty() ? index("indices:admin/mapping/put", idx, opts, false) : UNKNOWN;
    }

    /** {@code [/{i}]/_alias[/{a}]}: the index names and the alias names are both checked. */
    private static Need alias(String m, List<String> idx, List<String> rest, Options opts) {
        int n = rest.size();
        List<String> aliases = n == 2 ? names(rest.get(1)) : List.of();
        if (is(m, "GET", "HEAD") && n <= 2) {
            return aliasesOn("indices:admin/aliases/get", idx, aliases, opts);
        }
        if (is(m, "PUT", "POST", "DELETE") && n == 2 && !idx.isEmpty()) {
            return aliasesOn("indices:admin/aliases", idx, aliases, opts);
        }
        return UNKNOWN;
    }

    private static Need aliasesOn(String action, List<String> idx, List<String> aliases, Options opts) {
        Need onIndices = index(action, idx, opts, false);
        return aliases.isEmpty() ? onIndices : new AllOf(List.of(onIndices, index(action, aliases, opts, false)));
    }

    /** {@code /_...}. */
    private static Need api(String m, List<String> s, Map<String, String> query, Options opts) {
        int n = s.size();
        String first = s.get(0);
        boolean get = is(m, "GET");
        switch (first) {
            case "_search":
                if (n == 1) {
                    return is(m, "GET", "POST") ? remote(SEARCH, List.of(), opts) : UNKNOWN;
                }
                if (s.get(1).equals("scroll") && n <= 3) {
                    if (is(m, "DELETE")) {
                        return new Granted("indices:data/read/scroll/clear");
                    }
                    return is(m, "GET", "POST") ? new NameOnly("indices:data/read/scroll") : UNKNOWN;
                }
                return UNKNOWN;
            case "_count":
                return n == 1 && is(m, "GET", "POST") ? remote(SEARCH, List.of(), opts) : UNKNOWN;
            case "_msearch":
                return n == 1 && is(m, "GET", "POST") ? new Msearch(null) : UNKNOWN;
            case "_mget":
                return n == 1 && is(m, "GET", "POST") ? new Mget(null) : UNKNOWN;
            case "_bulk":
                return n == 1 && is(m, "POST", "PUT") ? new Bulk(null) : UNKNOWN;
            case "_field_caps":
                return n == 1 && is(m, "GET", "POST") ? remote("indices:data/read/field_caps", List.of(), opts) : UNKNOWN;
            case "_refresh":
            case "_flush":
                return n == 1 && is(m, "GET", "POST") ? index("indices:admin/" + first.substring(1), List.of(), opts, false) : UNKNOWN;
            case "_stats":
                return get ? index("indices:monitor/stats", List.of(), opts, false) : UNKNOWN;
            case "_mapping":
            case "_mappings":
                return get ? mapping(m, List.of(), s, opts) : UNKNOWN;
            case "_settings":
                if (get && n <= 2) {
                    return index("indices:monitor/settings/get", List.of(), opts, false);
                }
                return is(m, "PUT") && n == 1 ? index("indices:admin/settings/update", List.of(), opts, false) : UNKNOWN;
            case "_alias":
                return is(m, "GET", "HEAD") ? alias(m, List.of(), s, opts) : UNKNOWN;
            case "_pit":
                return n == 1 && is(m, "DELETE") ? new Granted("indices:data/read/close_point_in_time") : UNKNOWN;
            case "_resolve":
                return n == 3 && s.get(1).equals("index") && get ? remote("indices:admin/resolve/index", names(s.get(2)), opts) : UNKNOWN;
            case "_cat":
                return get && n >= 2 ? cat(s, opts) : UNKNOWN;
            case "_cluster":
                return clusterApi(m, s);
            case "_nodes":
                return get ? nodes(s) : UNKNOWN;
            case "_index_template":
                return template(m, s, "indices:admin/index_template/");
            case "_component_template":
                return template(m, s, "cluster:admin/component_template/");
            case "_template":
                return template(m, s, "indices:admin/template/");
            case "_ingest":
                return ingest(m, s);
            case "_data_stream":
                return dataStream(m, s, opts);
            case "_tasks":
                if (n >= 2 && s.get(n - 1).equals("_cancel") && n <= 3 && is(m, "POST")) {
                    return new Cluster("cluster:admin/tasks/cancel");
                }
                if (!get) {
                    return UNKNOWN;
                }
                return n == 1 ? new Cluster("cluster:monitor/tasks/lists") : n == 2 ? new Cluster("cluster:monitor/task/get") : UNKNOWN;
            case "_license":
                if (n != 1) {
                    return UNKNOWN;
                }
                return get ? new Cluster("cluster:monitor/xpack/license/get")
                        : is(m, "PUT", "POST") ? new Cluster("cluster:admin/xpack/license/put") : UNKNOWN;
            case "_xpack":
                if (!get) {
                    return UNKNOWN;
                }
                return n == 1 ? new Cluster("cluster:monitor/xpack/info")
                        : n == 2 && s.get(1).equals("usage") ? new Cluster("cluster:monitor/xpack/usage") : UNKNOWN;
            case "_ilm":
                return ilm(m, s);
            case "_monitoring":
                return n == 2 && s.get(1).equals("bulk") && is(m, "POST", "PUT") ? new Cluster("cluster:admin/xpack/monitoring/bulk") : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    /**
     * {@code POST /_aliases} once its body is read: {@code indices:admin/aliases} on every index name and every
     * alias name of its actions (both kinds are checked, as Elasticsearch does); {@code remove_index} actions also
     * need {@code indices:admin/delete} on their indices.
     */
    public static Need aliasesBody(List<String> indices, List<String> aliases, List<String> removedIndices) {
        List<Need> needs = new ArrayList<>();
        needs.add(index("indices:admin/aliases", indices, Options.DEFAULT, false));
        if (!aliases.isEmpty()) {
            needs.add(index("indices:admin/aliases", aliases, Options.DEFAULT, false));
        }
        if (!removedIndices.isEmpty()) {
            needs.add(index("indices:admin/delete", removedIndices, Options.DEFAULT, false));
        }
        return new AllOf(needs);
    }

    /**
     * {@code POST /_reindex} once its body is read: the name-only {@code indices:data/write/reindex}, a search on
     * {@code source.index}, and the destination's one-item write ({@code op_type} {@code index} unless the body
     * says {@code create}).
     */
    public static Need reindexBody(List<String> sourceIndices, String destIndex, boolean create) {
        return new AllOf(List.of(new NameOnly("indices:data/write/reindex"), remote(SEARCH, sourceIndices, Options.DEFAULT),
                new DocWrite(BULK, create ? "create" : "index", destIndex)));
    }

    private static Need cat(List<String> s, Options opts) {
        int n = s.size();
        List<String> target = n == 3 ? names(s.get(2)) : List.of();
        if (n > 3) {
            return UNKNOWN;
        }
        switch (s.get(1)) {
            case "indices":
                Options catOpts = Options.from(Map.of(), ALL_NAMES);
                return new AllOf(List.of(new Cluster("cluster:monitor/state"), new Cluster("cluster:monitor/health"),
                        index("indices:monitor/settings/get", target, opts.equals(Options.DEFAULT) ? catOpts : opts, false),
                        index("indices:monitor/stats", target, opts.equals(Options.DEFAULT) ? catOpts : opts, false)));
            case "aliases":
                return index("indices:admin/aliases/get", target, opts, false);
            case "count":
                return remote(SEARCH, target, opts);
            case "health":
                return n == 2 ? new Cluster("cluster:monitor/health") : UNKNOWN;
            case "nodes":
                return n == 2 ? new AllOf(List.of(new Cluster("cluster:monitor/state"), new Cluster("cluster:monitor/nodes/info"),
                        new Cluster("cluster:monitor/nodes/stats"))) : UNKNOWN;
            case "shards":
                return new AllOf(List.of(new Cluster("cluster:monitor/state"), index("indices:monitor/stats", target, opts, false)));
            default:
                return UNKNOWN;
        }
    }

    private static Need clusterApi(String m, List<String> s) {
        int n = s.size();
        if (n < 2) {
            return UNKNOWN;
        }
        switch (s.get(1)) {
            case "health":
                return is(m, "GET") && n <= 3 ? new Cluster("cluster:monitor/health") : UNKNOWN;
            case "state":
                return is(m, "GET") ? new Cluster("cluster:monitor/state") : UNKNOWN;
            case "settings":
                if (n != 2) {
                    return UNKNOWN;
                }
                return is(m, "GET") ? new Cluster("cluster:monitor/settings")
                        : is(m, "PUT") ? new Cluster("cluster:admin/settings/update") : UNKNOWN;
            default:
                return UNKNOWN;
        }
    }

    /** {@code /_nodes[/{nodes}][/stats|/hot_threads|/usage|/{metrics}]}: the last known word decides. */
    private static Need nodes(List<String> s) {
        List<String> rest = s.subList(1, s.size());
        if (rest.contains("stats")) {
            return new Cluster("cluster:monitor/nodes/stats");
        }
        if (rest.contains("hot_threads") || rest.contains("hotthreads")) {
            return new Cluster("cluster:monitor/nodes/hot_threads");
        }
        if (rest.contains("usage")) {
            return new Cluster("cluster:monitor/nodes/usage");
        }
        return rest.size() <= 2 ? new Cluster("cluster:monitor/nodes/info") : UNKNOWN;
    }

    private static Need template(String m, List<String> s, String prefix) {
        if (s.size() > 2) {
            return UNKNOWN;
        }
        if (is(m, "GET", "HEAD")) {
            return new Cluster(prefix + "get");
        }
        if (s.size() == 2 && is(m, "PUT", "POST")) {
            return new Cluster(prefix + "put");
        }
        return s.size() == 2 && is(m, "DELETE") ? new Cluster(prefix + "delete") : UNKNOWN;
    }

    private static Need ingest(String m, List<String> s) {
        int n = s.size();
        if (n < 2 || !s.get(1).equals("pipeline") || n > 4) {
            return UNKNOWN;
        }
        if (s.get(n - 1).equals("_simulate")) {
            return is(m, "GET", "POST") ? new Cluster("cluster:admin/ingest/pipeline/simulate") : UNKNOWN;
        }
        if (n > 3) {
            return UNKNOWN;
        }
        if (is(m, "GET")) {
            return new Cluster("cluster:admin/ingest/pipeline/get");
        }
        if (n == 3 && is(m, "PUT")) {
            return new Cluster("cluster:admin/ingest/pipeline/put");
        }
        return n == 3 && is(m, "DELETE") ? new Cluster("cluster:admin/ingest/pipeline/delete") : UNKNOWN;
    }

    private static Need dataStream(String m, List<String> s, Options opts) {
        int n = s.size();
        if (n >= 2 && s.get(n - 1).equals("_stats") && n <= 3 && is(m, "GET")) {
            return index("indices:monitor/data_stream/stats", n == 3 ? names(s.get(1)) : List.of(), opts, false);
        }
        if (n > 2) {
            return UNKNOWN;
        }
        List<String> target = n == 2 ? names(s.get(1)) : List.of();
        if (is(m, "GET")) {
            return index("indices:admin/data_stream/get", target, opts, false);
        }
        if (n == 2 && is(m, "PUT")) {
            return index("indices:admin/data_stream/create", target, opts, true);
        }
        return n == 2 && is(m, "DELETE") ? index("indices:admin/data_stream/delete", target, opts, false) : UNKNOWN;
    }

    private static Need ilm(String m, List<String> s) {
        int n = s.size();
        if (n == 2 && s.get(1).equals("status") && is(m, "GET")) {
            return new Cluster("cluster:admin/ilm/operation_mode/get");
        }
        if (n < 2 || !s.get(1).equals("policy") || n > 3) {
            return UNKNOWN;
        }
        if (is(m, "GET")) {
            return new Cluster("cluster:admin/ilm/get");
        }
        if (n == 3 && is(m, "PUT")) {
            return new Cluster("cluster:admin/ilm/put");
        }
        return n == 3 && is(m, "DELETE") ? new Cluster("cluster:admin/ilm/delete") : UNKNOWN;
    }

    private static Index index(String action, List<String> names, Options opts, boolean singleTarget) {
        return new Index(action, names, opts, singleTarget, false);
    }

    private static Index remote(String action, List<String> names, Options opts) {
        return new Index(action, names, opts, false, true);
    }

    private static Index single(String action, String name) {
        return new Index(action, List.of(name), Options.DEFAULT, true, false);
    }

    private static boolean is(String m, String... any) {
        return Arrays.asList(any).contains(m);
    }

    /** A comma list of names as Elasticsearch splits it (empty parts dropped). */
    static List<String> names(String segment) {
        List<String> out = new ArrayList<>();
        for (String p : segment.split(",")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The decoded path segments; an empty segment ({@code //}) or bad escape makes the request unknown. */
    static List<String> segments(String rawPath) {
        String path = rawPath;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        List<String> out = new ArrayList<>();
        if (path.isEmpty() || path.equals("/")) {
            return out;
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        String body = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        for (String seg : body.split("/", -1)) {
            if (seg.isEmpty()) {
                throw new IllegalArgumentException("empty path segment");
            }
            out.add(URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }
}
