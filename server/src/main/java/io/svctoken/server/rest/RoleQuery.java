package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.role.RoleQueryValidator;
import io.svctoken.core.text.Levenshtein;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;
import io.svctoken.server.http.ObjectParser;
import io.svctoken.server.http.RestRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Elasticsearch's role query ({@code /_security/_query/role}) over the native roles, with the query types and fields
 * it allows there: {@code bool}, {@code term}, {@code terms}, {@code prefix}, {@code wildcard}, {@code exists},
 * {@code match_all} and {@code ids} (on the document id {@code role-<name>}), over {@code name}, {@code description},
 * {@code applications.application}, {@code applications.resources}, {@code applications.privileges} and
 * {@code metadata} / {@code metadata.*} (a flattened field: every value as its text); {@code from}, {@code size},
 * {@code sort} and {@code search_after}. The service-account query ({@code /_security/_query/service}) is the same
 * evaluation over other documents and fields: see {@link Kind}.
 */
final class RoleQuery implements Endpoint.Request {

    /**
     * What is queried: the payload's parser name, the fields a query and a sort may name (and those it may not sort
     * by), the document id's prefix ({@code ids}, {@code _doc}), the answer's list key and each item's name field.
     */
    record Kind(String payload, Set<String> fields, boolean metadata, Set<String> unsortable, String idPrefix, String listKey,
                String nameField) {
        static final Kind ROLE = new Kind("query_role_request_payload", Set.of("name", "description", "applications.application",
                "applications.resources", "applications.privileges"), true, Set.of("description"), "role-", "roles", "name");
        /** User-managed service accounts (Elasticsearch 9.6): their principal, roles and enabled flag. */
        static final Kind SERVICE_ACCOUNT = new Kind("query_service_account_request_payload", Set.of("username", "roles", "enabled"),
                false, Set.of(), "service_account-", "service_accounts", "username");
    }

    private static final ObjectParser<RoleQuery> PARSER = new ObjectParser<RoleQuery>(ObjectParser.Errors.objectParser(Kind.ROLE.payload()))
            .declare("query", (q, v) -> q.query = v.object())
            .declare("from", (q, v) -> q.from = v.int32())
            .declare("size", (q, v) -> q.size = v.int32())
            .declare("sort", (q, v) -> q.sort = sorts(v.tree()))
            .declare("search_after", (q, v) -> q.searchAfter = v.tree());
    private static final ObjectParser<RoleQuery> SERVICE_ACCOUNT_PARSER = new ObjectParser<RoleQuery>(
            ObjectParser.Errors.objectParser(Kind.SERVICE_ACCOUNT.payload()))
            .declare("query", (q, v) -> q.query = v.object())
            .declare("from", (q, v) -> q.from = v.int32())
            .declare("size", (q, v) -> q.size = v.int32())
            .declare("sort", (q, v) -> q.sort = sorts(v.tree()))
            .declare("search_after", (q, v) -> q.searchAfter = v.tree());

    private final Kind kind;
    private ObjectNode query;
    private Integer from;
    private Integer size;
    private List<Sort> sort;
    private JsonNode searchAfter;
    private Predicate<ObjectNode> predicate = d -> true;

    /** One sort key: a field (or {@code _doc}) and its direction. */
    record Sort(String field, boolean descending) {
    }

    private RoleQuery(Kind kind) {
        this.kind = kind;
    }

    static RoleQuery parse(RestRequest request) {
        return parse(Kind.ROLE, request);
    }

    static RoleQuery parse(Kind kind, RestRequest request) {
        byte[] body = request.checkedJsonBody();
        RoleQuery q = new RoleQuery(kind);
        if (body != null) {
            (kind == Kind.ROLE ? PARSER : SERVICE_ACCOUNT_PARSER).parse(body, q);
        }
        if (q.query != null) {
            q.predicate = q.compile(q.query);
        }
        if (q.sort != null) {
            for (Sort s : q.sort) {
                if (!s.field().equals("_doc")) {
                    q.checkField(s.field());
                    if (kind.unsortable().contains(s.field())) {
                        throw EsErrors.illegalArgument(ServerEsMessages.sortNotSupported(s.field()));
                    }
                }
            }
        }
        return q;
    }

    /** Elasticsearch's {@code QueryRoleRequest.validate}. */
    @Override
    public void validate() {
        List<String> errors = new ArrayList<>();
        if (from != null && from < 0) {
            errors.add(ServerEsMessages.queryParameterNegative("from", from));
        }
        if (size != null && size < 0) {
            errors.add(ServerEsMessages.queryParameterNegative("size", size));
        }
        if (!errors.isEmpty()) {
            throw EsErrors.validation(errors);
        }
    }

    /**
     * {@code {"total":n,"count":m,"roles":[{"name":...,<descriptor>,"_sort":[...]}]}} (the kind's list key and name
     * field); without a sort, in the map's order.
     */
    JsonReply answer(Map<String, ObjectNode> roles) {
        List<Map.Entry<String, ObjectNode>> hits = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : roles.entrySet()) {
            if (predicate.test(withName(e.getKey(), e.getValue(), kind))) {
                hits.add(e);
            }
        }
        if (sort != null) {
            hits.sort(comparator());
        }
        if (searchAfter != null && sort != null) {
            hits.removeIf(e -> compareToSearchAfter(e) <= 0);
        }
        int start = from == null ? 0 : from;
        int count = size == null ? 10 : size;
        ObjectNode o = Json.object();
        o.put("total", hits.size());
        ArrayNode page = Json.MAPPER.createArrayNode();
        for (int i = start; i < hits.size() && i < start + count; i++) {
            Map.Entry<String, ObjectNode> e = hits.get(i);
            ObjectNode item = page.addObject();
            item.put(kind.nameField(), e.getKey());
            item.setAll(e.getValue().deepCopy());
            if (sort != null) {
                ArrayNode values = item.putArray("_sort");
                for (Sort s : sort) {
                    String v = sortValue(e, s);
                    if (v == null) {
                        values.addNull();
                    } else {
                        values.add(v);
                    }
                }
            }
        }
        o.put("count", page.size());
        o.set(kind.listKey(), page);
        return JsonReply.ok(o);
    }

    private static ObjectNode withName(String name, ObjectNode display, Kind kind) {
        ObjectNode d = display.deepCopy();
        d.put(kind.nameField(), name);
        return d;
    }

    // ------------------------------------------------------------------ sort

    private static List<Sort> sorts(JsonNode n) {
        List<Sort> out = new ArrayList<>();
        for (JsonNode s : n.isArray() ? n : Json.MAPPER.createArrayNode().add(n)) {
            if (s.isTextual()) {
                out.add(new Sort(s.asText(), false));
            } else if (s.isObject() && s.size() == 1) {
                Map.Entry<String, JsonNode> f = s.fields().next();
                JsonNode order = f.getValue().isObject() ? f.getValue().path("order") : f.getValue();
                out.add(new Sort(f.getKey(), order.asText("asc").equalsIgnoreCase("desc")));
            } else {
                throw EsErrors.illegalArgument(ServerEsMessages.MALFORMED_SORT_OBJECT);
            }
        }
        return out;
    }

    private Comparator<Map.Entry<String, ObjectNode>> comparator() {
        return (a, b) -> {
            for (Sort s : sort) {
                int c = compareNullsLast(sortValue(a, s), sortValue(b, s), s.descending());
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static int compareNullsLast(String x, String y, boolean descending) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : 1) : -1; // missing values sort last either way (Elasticsearch's "_last")
        }
        return descending ? y.compareTo(x) : x.compareTo(y);
    }

    private int compareToSearchAfter(Map.Entry<String, ObjectNode> e) {
        for (int i = 0; i < sort.size() && i < searchAfter.size(); i++) {
            JsonNode after = searchAfter.get(i);
            int c = compareNullsLast(sortValue(e, sort.get(i)), after.isNull() ? null : after.asText(), sort.get(i).descending());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** A multi-valued field sorts by its smallest value ascending, its largest descending (Elasticsearch's default mode). */
    private String sortValue(Map.Entry<String, ObjectNode> e, Sort s) {
        if (s.field().equals("_doc")) {
            return kind.idPrefix() + e.getKey();
        }
        List<String> values = values(withName(e.getKey(), e.getValue(), kind), s.field());
        return values.stream().min(s.descending() ? Comparator.reverseOrder() : Comparator.naturalOrder()).orElse(null);
    }

    // ------------------------------------------------------------------ query

    private void checkField(String field) {
        if (field.contains("*")) {
            throw EsErrors.illegalArgument(ServerEsMessages.queryFieldPatternNotAllowed(field));
        }
        if (!kind.fields().contains(field) && !(kind.metadata() && (field.equals("metadata") || field.startsWith("metadata.")))) {
            throw EsErrors.illegalArgument(ServerEsMessages.queryFieldNotAllowed(field));
        }
    }

    /** The values a role has in a queryable field (metadata as a flattened field: each leaf value's text). */
    private static List<String> values(ObjectNode role, String field) {
        List<String> out = new ArrayList<>();
        if (field.equals("metadata") || field.startsWith("metadata.")) {
            JsonNode at = role.path("metadata");
            for (String part : field.equals("metadata") ? new String[0] : field.substring("metadata.".length()).split("\\.")) {
                at = at.path(part);
            }
            leaves(at, out);
        } else if (field.startsWith("applications.")) {
            String key = field.substring("applications.".length());
            role.path("applications").forEach(a -> leaves(a.path(key), out));
        } else {
            leaves(role.path(field), out);
        }
        return out;
    }

    private static void leaves(JsonNode n, List<String> out) {
        if (n.isMissingNode() || n.isNull()) {
            return;
        }
        if (n.isContainerNode()) {
            n.forEach(c -> leaves(c, out));
        } else {
            out.add(n.asText());
        }
    }

    /** One query (an object with one query type) as a test on a role's display form with its {@code name}. */
    private Predicate<ObjectNode> compile(JsonNode q) {
        if (!q.isObject() || q.isEmpty()) {
            return d -> true; // an empty clause is no condition
        }
        if (q.size() > 1) {
            throw new EsException("parsing_exception", 400, ServerEsMessages.malformedQuery(q.fieldNames().next()));
        }
        Map.Entry<String, JsonNode> e = q.fields().next();
        String type = e.getKey();
        JsonNode body = e.getValue();
        return switch (type) {
            case "match_all" -> d -> true;
            case "bool" -> bool(body);
            case "ids" -> {
                List<String> ids = new ArrayList<>();
                body.path("values").forEach(v -> ids.add(v.asText()));
                yield d -> ids.contains(kind.idPrefix() + d.get(kind.nameField()).asText());
            }
            case "exists" -> {
                String field = body.path("field").asText();
                checkField(field);
                yield d -> !values(d, field).isEmpty();
            }
            case "term", "prefix", "wildcard" -> {
                Map.Entry<String, JsonNode> f = single(body);
                checkField(f.getKey());
                JsonNode spec = f.getValue();
                String value = spec.isObject() ? spec.path(type.equals("wildcard") && spec.has("wildcard") ? "wildcard" : "value").asText()
                        : spec.asText();
                boolean ci = spec.path("case_insensitive").asBoolean(false);
                Predicate<String> test = switch (type) {
                    case "term" -> v -> ci ? v.equalsIgnoreCase(value) : v.equals(value);
                    case "prefix" -> v -> ci ? v.toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT)) : v.startsWith(value);
                    default -> wildcard(value, ci).asMatchPredicate();
                };
                String field = f.getKey();
                yield d -> values(d, field).stream().anyMatch(test);
            }
            case "terms" -> {
                String field = null;
                List<String> wanted = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getKey().equals("boost") || f.getKey().equals("_name")) {
                        continue;
                    }
                    if (f.getValue().isObject()) {
                        throw EsErrors.illegalArgument(ServerEsMessages.QUERY_TERMS_LOOKUP_NOT_SUPPORTED);
                    }
                    field = f.getKey();
                    f.getValue().forEach(v -> wanted.add(v.asText()));
                }
                checkField(field == null ? "" : field);
                String f = field;
                yield d -> values(d, f).stream().anyMatch(wanted::contains);
            }
            // a query Elasticsearch knows but this subset lacks is refused as Elasticsearch refuses the types it does not allow here
            default -> throw RoleQueryValidator.QUERY_NAMES.contains(type)
                    ? EsErrors.illegalArgument(ServerEsMessages.queryTypeNotSupported(type))
                    : new EsException("parsing_exception", 400, EsMessages.unknownQuery(type) + Levenshtein.didYouMean(type, RoleQueryValidator.QUERY_NAMES));
        };
    }

    private static Map.Entry<String, JsonNode> single(JsonNode body) {
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("boost") && !f.getKey().equals("_name")) {
                return f;
            }
        }
        throw EsErrors.illegalArgument(ServerEsMessages.queryFieldNotAllowed(""));
    }

    /** {@code must} and {@code filter} all, {@code must_not} none, {@code should} at least {@code minimum_should_match}. */
    private Predicate<ObjectNode> bool(JsonNode body) {
        List<Predicate<ObjectNode>> must = clauses(body.path("must"));
        must.addAll(clauses(body.path("filter")));
        List<Predicate<ObjectNode>> mustNot = clauses(body.path("must_not"));
        List<Predicate<ObjectNode>> should = clauses(body.path("should"));
        int minimumShould = body.has("minimum_should_match") ? body.get("minimum_should_match").asInt()
                : (must.isEmpty() && !should.isEmpty() ? 1 : 0);
        return d -> must.stream().allMatch(p -> p.test(d)) && mustNot.stream().noneMatch(p -> p.test(d))
                && should.stream().filter(p -> p.test(d)).count() >= minimumShould;
    }

    private List<Predicate<ObjectNode>> clauses(JsonNode n) {
        List<Predicate<ObjectNode>> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(c -> out.add(compile(c)));
        } else if (n.isObject()) {
            out.add(compile(n));
        }
        return out;
    }

    private static Pattern wildcard(String glob, boolean caseInsensitive) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    }
}
