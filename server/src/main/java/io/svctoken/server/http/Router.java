package io.svctoken.server.http;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps method and path templates ({@code /_security/service/{namespace}}) to endpoints, in one pass over the
 * routes per request: the endpoint for the method, and the methods the path allows (for 405 and {@code OPTIONS}). Only
 * the routes that can match are tried: those with as many segments as the path and the same first segment (or a
 * parameter there), and those ending in {@link #REST}; in registration order, as if every route were tried.
 */
public final class Router {

    /** Elasticsearch's method order, used in the 405 {@code allowed} list. */
    public enum Method { GET, POST, PUT, DELETE, OPTIONS, HEAD, PATCH, TRACE, CONNECT }

    private record Route(Method method, String[] segments, Endpoint<?> endpoint, int order) {
    }

    /**
     * The routes a path can match, by its segment count: by its first segment (literal-first routes of that segment
     * and parameter-first ones, in order), else the parameter-first ones; and the routes ending in {@link #REST}.
     */
    private record Index(Map<Integer, Map<String, Route[]>> byFirst, Map<Integer, Route[]> paramFirst, Route[] rest) {
        private static final Route[] NONE = new Route[0];

        static Index of(List<Route> routes) {
            Map<Integer, List<Route>> param = new HashMap<>();
            Map<Integer, Map<String, List<Route>>> literal = new HashMap<>();
            List<Route> rest = new ArrayList<>();
            for (Route r : routes) {
                int n = r.segments.length;
                if (n > 0 && r.segments[n - 1].equals(REST)) {
                    rest.add(r);
                } else if (n == 0 || isParam(r.segments[0])) {
                    param.computeIfAbsent(n, k -> new ArrayList<>()).add(r);
                } else {
                    literal.computeIfAbsent(n, k -> new HashMap<>()).computeIfAbsent(r.segments[0], k -> new ArrayList<>()).add(r);
                }
            }
            Map<Integer, Map<String, Route[]>> byFirst = new HashMap<>();
            literal.forEach((n, firsts) -> {
                Map<String, Route[]> m = new HashMap<>();
                firsts.forEach((first, rs) -> {
                    List<Route> all = new ArrayList<>(rs);
                    all.addAll(param.getOrDefault(n, List.of()));
                    all.sort(java.util.Comparator.comparingInt(Route::order));
                    m.put(first, all.toArray(NONE));
                });
                byFirst.put(n, Map.copyOf(m));
            });
            Map<Integer, Route[]> paramFirst = new HashMap<>();
            param.forEach((n, rs) -> paramFirst.put(n, rs.toArray(NONE)));
            return new Index(Map.copyOf(byFirst), Map.copyOf(paramFirst), rest.toArray(NONE));
        }

        Route[] fixed(String[] segs) {
            Map<String, Route[]> firsts = segs.length == 0 ? null : byFirst.get(segs.length);
            Route[] rs = firsts == null ? null : firsts.get(segs[0]);
            if (rs == null) {
                rs = paramFirst.get(segs.length);
            }
            return rs == null ? NONE : rs;
        }
    }

    /**
     * The routing of one request: {@code endpoint} null when no route of its method matches; {@code allowed} the
     * methods of every route matching the path (empty when none does).
     */
    public record Routing(Endpoint<?> endpoint, List<String[]> pathParams, Set<Method> allowed) {
    }

    private final List<Route> routes = new ArrayList<>();
    private volatile Index index = Index.of(List.of());

    /** Registers every route of these endpoints, in order (on equal specificity the first one wins). */
    public Router add(List<? extends Endpoint<?>> endpoints) {
        for (Endpoint<?> e : endpoints) {
            for (Endpoint.Route r : e.routes()) {
                routes.add(new Route(r.method(), split(r.path()), e, routes.size()));
            }
        }
        index = Index.of(routes);
        return this;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /**
     * Routes a request; {@code method} null for a method svctoken does not know. Of the routes of the method, the
     * one with the most literal segments wins.
     *
     * @throws IllegalArgumentException for a malformed escape in a parameter of a matching route (Elasticsearch's 400)
     */
    public Routing route(Method method, String rawPath) {
        String[] segs = split(rawPath);
        EnumSet<Method> allowed = EnumSet.noneOf(Method.class);
        Route best = null;
        List<String[]> bestParams = null;
        int bestLiterals = -1;
        Index idx = index;
        Route[] fixed = idx.fixed(segs);
        Route[] rest = idx.rest;
        // the two candidate lists merged in registration order
        for (int f = 0, t = 0; f < fixed.length || t < rest.length; ) {
            Route r = t == rest.length || f < fixed.length && fixed[f].order < rest[t].order ? fixed[f++] : rest[t++];
            List<String[]> params = bind(r, segs);
            if (params == null) {
                continue;
            }
            allowed.add(r.method);
            if (r.method == method && segs.length - params.size() > bestLiterals) {
                best = r;
                bestParams = params;
                bestLiterals = segs.length - params.size();
            }
        }
        return new Routing(best == null ? null : best.endpoint, best == null ? List.of() : bestParams, allowed);
    }

    /**
     * The route's parameters when it matches the path, decoded only then (as Elasticsearch does).
     *
     * @throws IllegalArgumentException for a malformed escape in a parameter of a matching route (Elasticsearch's 400)
     */
    private static List<String[]> bind(Route r, String[] segs) {
        int n = r.segments.length;
        if (n > 0 && r.segments[n - 1].equals(REST)) {
            // a trailing {**}: one or more further segments of any value, bound to nothing
            if (segs.length < n) {
                return null;
            }
            String[] head = new String[n - 1];
            System.arraycopy(segs, 0, head, 0, n - 1);
            return bind(new Route(r.method, java.util.Arrays.copyOf(r.segments, n - 1), r.endpoint, r.order), head);
        }
        if (r.segments.length != segs.length) {
            return null;
        }
        for (int i = 0; i < segs.length; i++) {
            if (isParam(r.segments[i]) ? segs[i].isEmpty() : !r.segments[i].equals(segs[i])) {
                return null;
            }
        }
        List<String[]> params = new ArrayList<>();
        for (int i = 0; i < segs.length; i++) {
            String t = r.segments[i];
            if (isParam(t)) {
                params.add(new String[]{t.substring(1, t.length() - 1), UrlDecoding.pathComponent(segs[i])});
            }
        }
        return params;
    }

    /**
     * The first segment of every route's path ({@code ""} for {@code /}), or null when one starts with a parameter: a raw
     * path whose first segment is not among them matches no route (a gateway forwards it without routing it here).
     */
    public Set<String> firstSegments() {
        Set<String> first = new java.util.HashSet<>();
        for (Route r : routes) {
            if (r.segments.length == 0) {
                first.add("");
            } else if (isParam(r.segments[0]) || r.segments[0].equals(REST)) {
                return null;
            } else {
                first.add(r.segments[0]);
            }
        }
        return Set.copyOf(first);
    }

    /** A path template's last segment matching the rest of the path (svctoken's own forward-auth path only). */
    public static final String REST = "{**}";

    private static boolean isParam(String templateSegment) {
        return templateSegment.startsWith("{") && templateSegment.endsWith("}");
    }
}
