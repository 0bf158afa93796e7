package io.svctoken.server.gateway;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Puts a narrowed index list into a request path where Elasticsearch's REST layer reads the request's indices. */
final class PathRewrite {

    /** APIs whose indices come before them ({@code [/{i}]/_search}). */
    private static final Set<String> PREFIXED = Set.of("_search", "_count", "_field_caps", "_refresh", "_flush", "_mapping", "_mappings",
            "_settings", "_stats", "_alias");

    private PathRewrite() {
    }

    /** The raw path (its query part kept) naming {@code indices}; null when the path has no place for them. */
    static String withIndices(String rawPath, List<String> indices) {
        int q = rawPath.indexOf('?');
        String path = q >= 0 ? rawPath.substring(0, q) : rawPath;
        String query = q >= 0 ? rawPath.substring(q) : "";
        if (!path.startsWith("/") || path.length() < 2) {
            return null;
        }
        String trimmed = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        List<String> s = new ArrayList<>(Arrays.asList(trimmed.split("/", -1)));
        List<String> encoded = new ArrayList<>();
        for (String n : indices) {
            encoded.add(URLEncoder.encode(n, StandardCharsets.UTF_8));
        }
        String list = String.join(",", encoded);
        String first = s.get(0);
        if (!first.startsWith("_")) {
            s.set(0, list);
        } else if (PREFIXED.contains(first)) {
            s.add(0, list);
        } else if (first.equals("_cat") && s.size() >= 2 && Set.of("indices", "count", "shards", "aliases").contains(s.get(1)) && s.size() <= 3) {
            if (s.size() == 3) {
                s.set(2, list);
            } else {
                s.add(list);
            }
        } else if (first.equals("_resolve") && s.size() == 3) {
            s.set(2, list);
        } else if (first.equals("_data_stream") && s.size() <= 3) {
            if (s.size() == 1) {
                s.add(list);
            } else if (s.size() == 2 && s.get(1).equals("_stats")) {
                s.add(1, list);
            } else {
                s.set(1, list);
            }
        } else {
            return null;
        }
        return "/" + String.join("/", s) + query;
    }
}
