package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Elasticsearch's {@code filter_path} response filtering: comma-separated dotted paths, {@code *}
 * within a name, {@code **} for any depth, arrays are looked through, and a leading {@code -} makes a
 * path an exclusion. An object left empty by the filter disappears, as in Elasticsearch.
 */
public final class FilterPath {

    private final List<String[]> includes = new ArrayList<>();
    private final List<String[]> excludes = new ArrayList<>();

    private FilterPath(String spec) {
        for (String raw : spec.split(",")) {
            String p = raw.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("-")) {
                excludes.add(p.substring(1).split("\\.", -1));
            } else {
                includes.add(p.split("\\.", -1));
            }
        }
    }

    /** Applies {@code spec} to {@code body}; null when nothing is left (Elasticsearch then answers {@code {}}). */
    public static JsonNode apply(String spec, JsonNode body) {
        if (spec == null || spec.isBlank() || body == null) {
            return body;
        }
        FilterPath f = new FilterPath(spec);
        JsonNode out = body.deepCopy();
        if (!f.includes.isEmpty()) {
            out = f.keep(out, f.includes.stream().map(p -> new int[]{0}).toList());
        }
        if (out != null && !f.excludes.isEmpty()) {
            for (String[] e : f.excludes) {
                remove(out, e, 0);
            }
        }
        return out == null ? Json.object() : out;
    }

    /** Keeps what some include path reaches; {@code positions[i]} is how far include {@code i} has matched. */
    private JsonNode keep(JsonNode node, List<int[]> positions) {
        for (int i = 0; i < includes.size(); i++) {
            if (positions.get(i)[0] >= includes.get(i).length) {
                return node; // a complete match keeps the whole subtree
            }
        }
        if (node.isArray()) {
            ArrayNode a = Json.array();
            for (JsonNode item : node) {
                JsonNode k = keep(item, positions);
                if (k != null) {
                    a.add(k);
                }
            }
            return a.isEmpty() ? null : a;
        }
        if (!node.isObject()) {
            return null;
        }
        ObjectNode o = Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<int[]> next = new ArrayList<>();
            boolean any = false;
            for (int i = 0; i < includes.size(); i++) {
                int pos = advance(includes.get(i), positions.get(i)[0], e.getKey());
                next.add(new int[]{pos});
                any |= pos >= 0;
            }
            if (any) {
                JsonNode k = keep(e.getValue(), next);
                if (k != null) {
                    o.set(e.getKey(), k);
                }
            }
        }
        return o.isEmpty() ? null : o;
    }

    /** The position after matching {@code key} at {@code pos}, or -1. {@code **} may absorb the key and stay. */
    private static int advance(String[] path, int pos, String key) {
        if (pos < 0 || pos >= path.length) {
            return -1;
        }
        if (path[pos].equals("**")) {
            if (pos == path.length - 1) {
                return path.length; // a trailing ** keeps everything below
            }
            if (pos + 1 < path.length && glob(path[pos + 1], key)) {
                return pos + 2;
            }
            return pos; // ** swallows this level
        }
        return glob(path[pos], key) ? pos + 1 : -1;
    }

    private static void remove(JsonNode node, String[] path, int pos) {
        if (node.isArray()) {
            node.forEach(n -> remove(n, path, pos));
            return;
        }
        if (!node.isObject() || pos >= path.length) {
            return;
        }
        ObjectNode o = (ObjectNode) node;
        for (String key : new ArrayList<>(iterable(o.fieldNames()))) {
            int next = advance(path, pos, key);
            if (next >= path.length) {
                o.remove(key);
            } else if (next >= 0) {
                remove(o.get(key), path, next);
            }
        }
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /** {@code *} matches any run of characters within one name. */
    private static boolean glob(String pattern, String value) {
        if (!pattern.contains("*")) {
            return pattern.equals(value);
        }
        String[] parts = pattern.split("\\*", -1);
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == 0) {
                if (!value.startsWith(part)) {
                    return false;
                }
                at = part.length();
            } else if (i == parts.length - 1) {
                return value.length() - part.length() >= at && value.endsWith(part);
            } else {
                int idx = value.indexOf(part, at);
                if (idx < 0) {
                    return false;
                }
                at = idx + part.length();
            }
        }
        return at == value.length();
    }
}
