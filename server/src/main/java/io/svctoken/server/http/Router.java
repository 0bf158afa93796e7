package io.svctoken.server.http;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Maps method and path templates ({@code /_security/service/{namespace}}) to handlers. */
public final class Router {

    /** Elasticsearch's method order, used in the 405 {@code allowed} list. */
    public enum Method { GET, POST, PUT, DELETE, OPTIONS, HEAD, PATCH, TRACE, CONNECT }

    private record Route(Method method, String[] segments, RestHandler handler) {
    }

    public record Match(RestHandler handler, List<String[]> pathParams) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(Method method, String template, RestHandler handler) {
        routes.add(new Route(method, split(template), handler));
        return this;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /** Methods whose routes match the path; empty when no route matches it at all. */
    public Set<Method> allowedMethods(String rawPath) {
        String[] segs = split(rawPath);
        EnumSet<Method> out = EnumSet.noneOf(Method.class);
        for (Route r : routes) {
            if (bind(r, segs) != null) {
                out.add(r.method);
            }
        }
        return out;
    }

    public Optional<Match> find(Method method, String rawPath) {
        String[] segs = split(rawPath);
        Match best = null;
        int bestLiterals = -1;
        for (Route r : routes) {
            if (r.method != method) {
                continue;
            }
            List<String[]> params = bind(r, segs);
            if (params != null && segs.length - params.size() > bestLiterals) {
                best = new Match(r.handler, params);
                bestLiterals = segs.length - params.size();
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The route's parameters when it matches the path, decoded only then (as Elasticsearch does).
     *
     * @throws IllegalArgumentException for a malformed escape in a parameter of a matching route (Elasticsearch's 400)
     */
    private static List<String[]> bind(Route r, String[] segs) {
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

    private static boolean isParam(String templateSegment) {
        return templateSegment.startsWith("{") && templateSegment.endsWith("}");
    }
}
