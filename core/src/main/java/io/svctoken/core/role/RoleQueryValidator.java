package io.svctoken.core.role;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.role.RoleParseException.Type;
import io.svctoken.core.text.Levenshtein;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A role's document-level {@code query} checked as Elasticsearch checks it when a role is stored: the text is JSON
 * holding one query (or a {@code template}, which is not checked: it needs the user), every query named in it is one
 * Elasticsearch knows, and none is one a role may not use ({@code has_child}, {@code has_parent}, {@code percolate},
 * a {@code terms} lookup, a {@code geo_shape} on an indexed shape). The query's own fields are not checked here.
 */
public final class RoleQueryValidator {

    /** Elasticsearch 8.19's query names (the default distribution's). */
    public static final List<String> QUERY_NAMES = List.of("bool", "boosting", "combined_fields", "constant_score", "dis_max",
            "distance_feature", "exists", "function_score", "fuzzy", "geo_bounding_box", "geo_distance", "geo_grid", "geo_polygon",
            "geo_shape", "has_child", "has_parent", "ids", "intervals", "knn", "match", "match_all", "match_bool_prefix", "match_none",
            "match_phrase", "match_phrase_prefix", "more_like_this", "multi_match", "nested", "parent_id", "percolate", "pinned",
            "prefix", "query_string", "range", "rank_feature", "regexp", "rule", "script", "script_score", "semantic", "shape",
            "simple_query_string", "span_containing", "span_field_masking", "span_first", "span_gap", "span_multi", "span_near",
            "span_not", "span_or", "span_term", "span_within", "sparse_vector", "term", "terms", "terms_set", "text_expansion",
            "weighted_tokens", "wildcard", "wrapper", "field_masking_span");
    private static final Set<String> NOT_IN_A_ROLE = Set.of("percolate", "has_child", "has_parent");
    /** Where compound queries hold their inner queries: one query, or an array of them. */
    private static final Map<String, List<String>> INNER = Map.of(
            "bool", List.of("must", "should", "must_not", "filter"),
            "constant_score", List.of("filter"),
            "dis_max", List.of("queries"),
            "function_score", List.of("query"),
            "boosting", List.of("positive", "negative"),
            "nested", List.of("query"),
            "script_score", List.of("query"),
            "pinned", List.of("organic"));

    private RoleQueryValidator() {
    }

    /** @throws RoleParseException Elasticsearch's {@code failed to parse field 'query' ...} with the reason as its cause */
    static void check(ObjectNode display) {
        int i = 0;
        for (JsonNode group : display.path("indices")) {
            JsonNode query = group.get("query");
            if (query != null && query.isTextual()) {
                RoleParseException problem = problem(query.asText());
                if (problem != null) {
                    List<String> names = new ArrayList<>();
                    group.path("names").forEach(n -> names.add(n.asText()));
                    throw new RoleParseException(Type.PARSE_EXCEPTION, EsMessages.roleQueryUnparsable(String.join(",", names), i), problem);
                }
            }
            i++;
        }
    }

    private static RoleParseException problem(String query) {
        try (JsonParser p = RoleDescriptorParser.JSON.createParser(query)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                return located(p, EsMessages.roleQueryExpectedObject(EsMessages.xContentToken(t)));
            }
            t = p.nextToken();
            if (t != JsonToken.FIELD_NAME) {
                return located(p, EsMessages.roleQueryExpectedQueryName(EsMessages.xContentToken(t)));
            }
            if (p.currentName().equals("template")) {
                return null; // evaluated with the user's data at search time, as Elasticsearch leaves it
            }
        } catch (JsonProcessingException e) {
            return RoleDescriptorParser.syntaxError(e);
        } catch (IOException e) {
            return new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, e.getMessage());
        }
        try {
            return queryProblem(RoleDescriptorParser.MAPPER.readTree(query));
        } catch (JsonProcessingException e) {
            return RoleDescriptorParser.syntaxError(e);
        }
    }

    private static RoleParseException located(JsonParser p, String message) {
        JsonLocation at = p.currentTokenLocation();
        return new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, "[" + at.getLineNr() + ":" + at.getColumnNr() + "] " + message);
    }

    /** The first problem in one query object ({@code {name: body}}) and the queries inside it. */
    private static RoleParseException queryProblem(JsonNode q) {
        if (!q.isObject()) {
            return null;
        }
        var fields = q.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String name = e.getKey();
            JsonNode body = e.getValue();
            if (!QUERY_NAMES.contains(name)) {
                return new RoleParseException(Type.PARSING_EXCEPTION, EsMessages.unknownQuery(name) + Levenshtein.didYouMean(name, QUERY_NAMES));
            }
            if (NOT_IN_A_ROLE.contains(name)) {
                return new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.queryNotInARole(name));
            }
            if (name.equals("terms") && hasObjectValue(body)) {
                return new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.TERMS_LOOKUP_NOT_IN_A_ROLE);
            }
            if (name.equals("geo_shape") && indexedShape(body)) {
                return new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.INDEXED_SHAPE_NOT_IN_A_ROLE);
            }
            for (String key : INNER.getOrDefault(name, List.of())) {
                JsonNode inner = body.path(key);
                for (JsonNode one : inner.isArray() ? inner : List.of(inner)) {
                    RoleParseException p = queryProblem(one);
                    if (p != null) {
                        return p;
                    }
                }
            }
            if (name.equals("function_score")) {
                for (JsonNode f : body.path("functions")) {
                    RoleParseException p = queryProblem(f.path("filter"));
                    if (p != null) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    /** A {@code terms} query whose field's value is an object: a lookup ({@code index}, {@code id}, {@code path}). */
    private static boolean hasObjectValue(JsonNode body) {
        var it = body.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("boost") && !f.getKey().equals("_name") && f.getValue().isObject()) {
                return true;
            }
        }
        return false;
    }

    private static boolean indexedShape(JsonNode body) {
        var it = body.fields();
        while (it.hasNext()) {
            if (it.next().getValue().has("indexed_shape")) {
                return true;
            }
        }
        return false;
    }
}
