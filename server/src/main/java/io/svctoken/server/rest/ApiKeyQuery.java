package io.svctoken.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query of {@code /_security/_query/api_key}, evaluated in memory over the keys the caller may see (a key store
 * holds thousands of keys at most). The query types and fields are those Elasticsearch allows for API keys; field names
 * are the API's ({@code username}, {@code creation}, {@code metadata.x}), never the security index's.
 * Parsing ({@link #parse}) refuses malformed shapes as Elasticsearch's parser does; {@link #check} refuses the
 * query types and fields Elasticsearch refuses when it runs the query.
 */
final class ApiKeyQuery {

    private ApiKeyQuery() {
    }

    /** The types of the fields a query may name. */
    enum Kind {
        KEYWORD, DATE, BOOLEAN
    }

    /** Query types Elasticsearch knows but refuses for API keys (any other unknown name is a parse error). */
    private static final Set<String> KNOWN_ELSEWHERE = Set.of("match_none", "regexp", "fuzzy", "match_phrase", "match_phrase_prefix",
            "match_bool_prefix", "multi_match", "query_string", "combined_fields", "nested", "has_child", "has_parent", "parent_id",
            "dis_max", "constant_score", "function_score", "boosting", "script", "script_score", "more_like_this", "terms_set",
            "distance_feature", "pinned", "rank_feature", "wrapper", "intervals", "percolate", "geo_shape", "geo_bounding_box",
            "geo_distance", "geo_grid", "geo_polygon", "shape", "span_term", "span_multi", "span_near", "span_or", "span_not",
            "span_first", "span_containing", "span_within", "field_masking_span", "knn", "semantic", "sparse_vector",
            "text_expansion", "weighted_tokens", "rule", "type");

    // ------------------------------------------------------------------ the query tree

    sealed interface Node permits MatchAll, Ids, Term, Terms, Prefix, Wildcard, Range, Exists, Bool, Simple, Refused {
    }

    record MatchAll() implements Node {
    }

    record Ids(List<String> values) implements Node {
    }

    record Term(String field, JsonNode value, boolean caseInsensitive) implements Node {
    }

    record Terms(String field, List<JsonNode> values, boolean lookup) implements Node {
    }

    record Prefix(String field, String value, boolean caseInsensitive) implements Node {
    }

    record Wildcard(String field, String pattern, boolean caseInsensitive) implements Node {
    }

    record Range(String field, JsonNode gt, JsonNode gte, JsonNode lt, JsonNode lte, boolean hasFormat, boolean relation) implements Node {
    }

    record Exists(String field) implements Node {
    }

    record Bool(List<Node> must, List<Node> filter, List<Node> should, List<Node> mustNot, JsonNode minimumShouldMatch) implements Node {
    }

    /** {@code simple_query_string}: whitespace-separated terms (a trailing {@code *}: a prefix, a leading {@code -}: excluded). */
    record Simple(String query, List<String> fields, boolean and) implements Node {
    }

    /** A query type Elasticsearch knows but refuses here: refused when the query runs, as there. */
    record Refused(String type) implements Node {
    }

    /** A malformed query: Elasticsearch's {@code ParsingException}, under the request parser's failure. */
    static EsException parsing(String reason) {
        return EsException.nestedCause("parsing_exception", reason);
    }

    static Node parse(JsonNode q) {
        if (!q.isObject() || q.size() != 1) {
            throw parsing(q.isObject() && q.size() == 0 ? "query malformed, empty clause found" : "[_na] query malformed, no start_object after query name");
        }
        Map.Entry<String, JsonNode> only = q.fields().next();
        String type = only.getKey();
        JsonNode body = only.getValue();
        switch (type) {
            case "match_all":
                return new MatchAll();
            case "ids": {
                List<String> values = new ArrayList<>();
                JsonNode v = body.get("values");
                if (v != null) {
                    v.forEach(x -> values.add(x.asText()));
                }
                return new Ids(values);
            }
            case "term": {
                Map.Entry<String, JsonNode> f = single(type, body);
                JsonNode v = f.getValue();
                if (v.isObject()) {
                    return new Term(f.getKey(), v.get("value"), v.path("case_insensitive").asBoolean(false));
                }
                return new Term(f.getKey(), v, false);
            }
            case "terms": {
                String field = null;
                List<JsonNode> values = new ArrayList<>();
                boolean lookup = false;
                for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().equals("boost") || e.getKey().equals("_name")) {
                        continue;
                    }
                    if (field != null) {
                        throw parsing("[terms] query does not support multiple fields");
                    }
                    field = e.getKey();
                    if (e.getValue().isArray()) {
                        e.getValue().forEach(values::add);
                    } else if (e.getValue().isObject()) {
                        lookup = true;
                    } else {
                        throw parsing("[terms] query does not support [" + field + "]");
                    }
                }
                if (field == null) {
                    throw parsing("[terms] query requires a field name, followed by array of terms or a document lookup specification");
                }
                return new Terms(field, values, lookup);
            }
            case "prefix":
            case "wildcard": {
                Map.Entry<String, JsonNode> f = single(type, body);
                JsonNode v = f.getValue();
                String value;
                boolean ci = false;
                if (v.isObject()) {
                    JsonNode text = v.has("value") ? v.get("value") : v.get("wildcard");
                    value = text == null ? null : text.asText();
                    ci = v.path("case_insensitive").asBoolean(false);
                } else {
                    value = v.asText();
                }
                if (value == null) {
                    throw parsing("No value specified for " + type + " query");
                }
                return type.equals("prefix") ? new Prefix(f.getKey(), value, ci) : new Wildcard(f.getKey(), value, ci);
            }
            case "range": {
                Map.Entry<String, JsonNode> f = single(type, body);
                JsonNode r = f.getValue();
                if (!r.isObject()) {
                    throw parsing("[range] query malformed, no start_object after query name");
                }
                JsonNode gt = r.get("gt");
                JsonNode gte = r.get("gte");
                JsonNode lt = r.get("lt");
                JsonNode lte = r.get("lte");
                // the older spelling: from/to with include_lower/include_upper
                if (r.has("from")) {
                    boolean inclusive = r.path("include_lower").asBoolean(true);
                    gte = inclusive ? r.get("from") : null;
                    gt = inclusive ? null : r.get("from");
                }
                if (r.has("to")) {
                    boolean inclusive = r.path("include_upper").asBoolean(true);
                    lte = inclusive ? r.get("to") : null;
                    lt = inclusive ? null : r.get("to");
                }
                return new Range(f.getKey(), nullIfNull(gt), nullIfNull(gte), nullIfNull(lt), nullIfNull(lte), r.has("format"), r.has("relation"));
            }
            case "exists": {
                JsonNode f = body.get("field");
                if (f == null) {
                    throw parsing("[exists] must be provided with a [field]");
                }
                return new Exists(f.asText());
            }
            case "bool":
                return new Bool(clauses(body.get("must")), clauses(body.get("filter")), clauses(body.get("should")),
                        clauses(body.get("must_not")), body.get("minimum_should_match"));
            case "match": {
                Map.Entry<String, JsonNode> f = single(type, body);
                JsonNode v = f.getValue();
                return new Term(f.getKey(), v.isObject() ? v.get("query") : v, false);
            }
            case "simple_query_string": {
                List<String> fields = new ArrayList<>();
                body.path("fields").forEach(x -> fields.add(x.asText().replaceAll("\\^.*$", "")));
                return new Simple(body.path("query").asText(""), fields, body.path("default_operator").asText("or").equalsIgnoreCase("and"));
            }
            default:
                if (KNOWN_ELSEWHERE.contains(type)) {
                    return new Refused(type);
                }
                throw parsing(ServerEsMessages.unknownQuery(type));
        }
    }

    private static JsonNode nullIfNull(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    /** The one field of a single-field query ({@code boost} and {@code _name} aside). */
    private static Map.Entry<String, JsonNode> single(String type, JsonNode body) {
        Map.Entry<String, JsonNode> found = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (found != null) {
                throw parsing("[" + type + "] query doesn't support multiple fields, found [" + found.getKey() + "] and [" + e.getKey() + "]");
            }
            found = e;
        }
        if (found == null) {
            throw parsing("[" + type + "] query malformed, no field");
        }
        return found;
    }

    private static List<Node> clauses(JsonNode n) {
        List<Node> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(c -> out.add(parse(c)));
        } else {
            out.add(parse(n));
        }
        return out;
    }

    // ------------------------------------------------------------------ checks when the query runs

    /** Refuses what Elasticsearch refuses when it translates the query: query types and fields not allowed for API keys. */
    static void check(Node n) {
        if (n instanceof Refused r) {
            throw EsErrors.illegalArgument(ServerEsMessages.apiKeyQueryTypeNotSupported(r.type()));
        } else if (n instanceof Term t) {
            kind(t.field());
        } else if (n instanceof Terms t) {
            if (t.lookup()) {
                throw EsErrors.illegalArgument(ServerEsMessages.API_KEY_QUERY_TERMS_LOOKUP);
            }
            kind(t.field());
        } else if (n instanceof Prefix p) {
            kind(p.field());
        } else if (n instanceof Wildcard w) {
            kind(w.field());
        } else if (n instanceof Range r) {
            if (r.relation()) {
                throw EsErrors.illegalArgument(ServerEsMessages.API_KEY_QUERY_RANGE_RELATION);
            }
            kind(r.field());
        } else if (n instanceof Exists e) {
            kind(e.field());
        } else if (n instanceof Bool b) {
            b.must().forEach(ApiKeyQuery::check);
            b.filter().forEach(ApiKeyQuery::check);
            b.should().forEach(ApiKeyQuery::check);
            b.mustNot().forEach(ApiKeyQuery::check);
        }
    }

    /** The kind of a field the API allows; anything else is refused with Elasticsearch's text. */
    static Kind kind(String field) {
        if (field.contains("*") || field.contains("?")) {
            throw EsErrors.illegalArgument(ServerEsMessages.apiKeyQueryFieldPatternNotAllowed(field));
        }
        switch (field) {
            case "username", "realm_name", "name", "type", "metadata":
                return Kind.KEYWORD;
            case "creation", "expiration", "invalidation":
                return Kind.DATE;
            case "invalidated":
                return Kind.BOOLEAN;
            default:
                if (field.startsWith("metadata.")) {
                    return Kind.KEYWORD;
                }
                throw EsErrors.illegalArgument(ServerEsMessages.apiKeyQueryFieldNotAllowed(field));
        }
    }

    // ------------------------------------------------------------------ evaluation

    /** One key as the query sees it: its fields' values (metadata flattened to dotted keys, every leaf a keyword). */
    static final class Doc {
        final ApiKeyRecord key;
        private Map<String, List<String>> metadata;

        Doc(ApiKeyRecord key) {
            this.key = key;
        }

        /** Strings for keyword fields, Longs for dates, Booleans; empty when the key has none. */
        List<Object> values(String field) {
            switch (field) {
                case "username":
                    return List.of(key.ownerUsername());
                case "realm_name":
                    return List.of(key.ownerRealm());
                case "name":
                    return List.of(key.name());
                case "type":
                    return List.of(key.type());
                case "creation":
                    return List.of(key.creationTimeMillis());
                case "expiration":
                    return key.expirationTimeMillis() == null ? List.of() : List.of(key.expirationTimeMillis());
                case "invalidated":
                    return List.of(key.invalidated());
                case "invalidation":
                    return key.invalidationTimeMillis() == null ? List.of() : List.of(key.invalidationTimeMillis());
                case "metadata": {
                    List<Object> all = new ArrayList<>();
                    metadata().values().forEach(all::addAll);
                    return all;
                }
                default:
                    return new ArrayList<>(metadata().getOrDefault(field.substring("metadata.".length()), List.of()));
            }
        }

        private Map<String, List<String>> metadata() {
            if (metadata == null) {
                metadata = new LinkedHashMap<>();
                flatten("", ApiKeyService.object(key.metadataJson()), metadata);
            }
            return metadata;
        }

        private static void flatten(String prefix, JsonNode n, Map<String, List<String>> out) {
            if (n.isObject()) {
                n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
            } else if (n.isArray()) {
                n.forEach(x -> flatten(prefix, x, out));
            } else if (!n.isNull()) {
                out.computeIfAbsent(prefix, k -> new ArrayList<>()).add(n.asText());
            }
        }
    }

    static boolean matches(Node n, Doc d, long now) {
        if (n instanceof MatchAll) {
            return true;
        } else if (n instanceof Ids i) {
            return i.values().contains(d.key.id());
        } else if (n instanceof Term t) {
            return anyEquals(d, t.field(), t.value(), t.caseInsensitive(), now);
        } else if (n instanceof Terms t) {
            return t.values().stream().anyMatch(v -> anyEquals(d, t.field(), v, false, now));
        } else if (n instanceof Prefix p) {
            return strings(d, p.field()).stream().anyMatch(s -> p.caseInsensitive()
                    ? s.toLowerCase(Locale.ROOT).startsWith(p.value().toLowerCase(Locale.ROOT)) : s.startsWith(p.value()));
        } else if (n instanceof Wildcard w) {
            Pattern re = wildcard(w.pattern(), w.caseInsensitive());
            return strings(d, w.field()).stream().anyMatch(s -> re.matcher(s).matches());
        } else if (n instanceof Range r) {
            return inRange(d, r, now);
        } else if (n instanceof Exists e) {
            return !d.values(e.field()).isEmpty();
        } else if (n instanceof Bool b) {
            return bool(b, d, now);
        } else if (n instanceof Simple s) {
            return simple(s, d);
        }
        return false;
    }

    private static boolean bool(Bool b, Doc d, long now) {
        for (Node c : b.must()) {
            if (!matches(c, d, now)) {
                return false;
            }
        }
        for (Node c : b.filter()) {
            if (!matches(c, d, now)) {
                return false;
            }
        }
        for (Node c : b.mustNot()) {
            if (matches(c, d, now)) {
                return false;
            }
        }
        if (b.should().isEmpty()) {
            return true;
        }
        int needed = b.must().isEmpty() && b.filter().isEmpty() ? 1 : 0;
        if (b.minimumShouldMatch() != null) {
            needed = minimumShouldMatch(b.minimumShouldMatch(), b.should().size());
        }
        int matched = 0;
        for (Node c : b.should()) {
            if (matches(c, d, now)) {
                matched++;
            }
        }
        return matched >= needed;
    }

    /** An integer, or a percentage of the optional clauses (negative: that many may be missing). */
    private static int minimumShouldMatch(JsonNode spec, int optional) {
        String text = spec.asText().trim();
        int n;
        if (text.endsWith("%")) {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1));
            n = (int) (optional * (Math.abs(percent) / 100.0));
            n = percent < 0 ? optional - n : n;
        } else {
            int v = Integer.parseInt(text);
            n = v < 0 ? optional + v : v;
        }
        return Math.max(0, Math.min(n, optional));
    }

    private static List<String> strings(Doc d, String field) {
        List<String> out = new ArrayList<>();
        for (Object v : d.values(field)) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    private static boolean anyEquals(Doc d, String field, JsonNode value, boolean caseInsensitive, long now) {
        if (value == null || value.isNull()) {
            return false;
        }
        Kind kind = kind(field);
        for (Object v : d.values(field)) {
            switch (kind) {
                case DATE:
                    if (((Long) v) == dateMillis(value, now, false, false)) {
                        return true;
                    }
                    break;
                case BOOLEAN:
                    if (v.equals(bool(value))) {
                        return true;
                    }
                    break;
                default:
                    if (caseInsensitive ? ((String) v).equalsIgnoreCase(value.asText()) : v.equals(value.asText())) {
                        return true;
                    }
            }
        }
        return false;
    }

    private static boolean bool(JsonNode value) {
        String text = value.asText();
        if (!text.equals("true") && !text.equals("false")) {
            throw EsErrors.illegalArgument(ServerEsMessages.booleanValueParse(text));
        }
        return text.equals("true");
    }

    private static boolean inRange(Doc d, Range r, long now) {
        Kind kind = kind(r.field());
        for (Object v : d.values(r.field())) {
            if (kind == Kind.DATE) {
                long x = (Long) v;
                boolean ok = (r.gt() == null || x > dateMillis(r.gt(), now, true, r.hasFormat()))
                        && (r.gte() == null || x >= dateMillis(r.gte(), now, false, r.hasFormat()))
                        && (r.lt() == null || x < dateMillis(r.lt(), now, false, r.hasFormat()))
                        && (r.lte() == null || x <= dateMillis(r.lte(), now, true, r.hasFormat()));
                if (ok) {
                    return true;
                }
            } else {
                String x = String.valueOf(v);
                boolean ok = (r.gt() == null || x.compareTo(r.gt().asText()) > 0)
                        && (r.gte() == null || x.compareTo(r.gte().asText()) >= 0)
                        && (r.lt() == null || x.compareTo(r.lt().asText()) < 0)
                        && (r.lte() == null || x.compareTo(r.lte().asText()) <= 0);
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final Pattern DATE_MATH = Pattern.compile("now((?:[+-]\\d+[yMwdhHms])*)(?:/([yMwdhHms]))?");
    private static final Pattern DATE_MATH_STEP = Pattern.compile("([+-])(\\d+)([yMwdhHms])");

    /**
     * A date value: epoch milliseconds (the keys' dates are stored so), {@code now} with Elasticsearch's date math
     * ({@code now-1d/d}; rounding up to the unit's last millisecond for {@code gt}/{@code lte}), and, when the range
     * names a format, ISO-8601 dates.
     */
    static long dateMillis(JsonNode value, long now, boolean roundUp, boolean isoAllowed) {
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        String text = value.asText().trim();
        if (text.matches("-?\\d+")) {
            return Long.parseLong(text);
        }
        java.util.regex.Matcher m = DATE_MATH.matcher(text);
        if (m.matches()) {
            java.time.ZonedDateTime t = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
            java.util.regex.Matcher step = DATE_MATH_STEP.matcher(m.group(1));
            while (step.find()) {
                long amount = Long.parseLong(step.group(2)) * (step.group(1).equals("-") ? -1 : 1);
                t = t.plus(amount, unit(step.group(3)));
            }
            if (m.group(2) != null) {
                ChronoUnit u = unit(m.group(2));
                t = truncate(t, u);
                if (roundUp) {
                    t = t.plus(1, u).minus(1, ChronoUnit.MILLIS);
                }
            }
            return t.toInstant().toEpochMilli();
        }
        if (isoAllowed) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // next form
            }
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // next form
            }
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // refused below
            }
        }
        throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.dateFieldParse(text));
    }

    private static ChronoUnit unit(String u) {
        return switch (u) {
            case "y" -> ChronoUnit.YEARS;
            case "M" -> ChronoUnit.MONTHS;
            case "w" -> ChronoUnit.WEEKS;
            case "d" -> ChronoUnit.DAYS;
            case "h", "H" -> ChronoUnit.HOURS;
            case "m" -> ChronoUnit.MINUTES;
            default -> ChronoUnit.SECONDS;
        };
    }

    private static java.time.ZonedDateTime truncate(java.time.ZonedDateTime t, ChronoUnit u) {
        return switch (u) {
            case YEARS -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            case MONTHS -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case WEEKS -> t.truncatedTo(ChronoUnit.DAYS).minusDays(t.getDayOfWeek().getValue() - 1L);
            default -> t.truncatedTo(u);
        };
    }

    /** Elasticsearch's wildcard: {@code *} any run, {@code ?} one character, {@code \} escapes. */
    static Pattern wildcard(String pattern, boolean caseInsensitive) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }

    /** The allowed fields a {@code simple_query_string} field list names (patterns expand; unknown names are ignored, as there). */
    private static final List<String> ALL_FIELDS = List.of("username", "realm_name", "name", "type", "creation", "expiration",
            "invalidated", "invalidation", "metadata");

    private static boolean simple(Simple s, Doc d) {
        List<String> fields = new ArrayList<>();
        for (String f : s.fields().isEmpty() ? List.of("*") : s.fields()) {
            if (f.contains("*") || f.contains("?")) {
                Pattern re = wildcard(f, false);
                ALL_FIELDS.stream().filter(x -> re.matcher(x).matches()).forEach(fields::add);
            } else if (ALL_FIELDS.contains(f) || f.startsWith("metadata.")) {
                fields.add(f);
            }
        }
        if (fields.isEmpty()) {
            return false; // only fields not allowed: nothing matches
        }
        boolean any = false;
        boolean all = true;
        boolean positive = false;
        for (String token : s.query().trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            boolean negated = token.startsWith("-");
            String t = token.replaceFirst("^[+-]", "").replace("\"", "");
            boolean prefix = t.endsWith("*");
            String text = prefix ? t.substring(0, t.length() - 1) : t;
            boolean hit = false;
            for (String f : fields) {
                for (String v : strings(d, f)) {
                    if (prefix ? v.startsWith(text) : v.equals(text)) {
                        hit = true;
                    }
                }
            }
            if (negated) {
                if (hit) {
                    return false;
                }
                continue;
            }
            positive = true;
            any |= hit;
            all &= hit;
        }
        return !positive || (s.and() ? all : any);
    }

    // ------------------------------------------------------------------ sort

    /** One sort key: a field (or {@code _doc}), its order and where keys without a value go. */
    record Sort(String field, boolean desc, boolean missingFirst) {
    }

    static Sort parseSort(JsonNode n) {
        if (n.isTextual()) {
            return new Sort(n.asText(), false, false);
        }
        if (!n.isObject() || n.size() != 1) {
            throw EsErrors.illegalArgument(ServerEsMessages.API_KEY_QUERY_MALFORMED_SORT);
        }
        Map.Entry<String, JsonNode> e = n.fields().next();
        JsonNode spec = e.getValue();
        String order = spec.isTextual() ? spec.asText() : spec.path("order").asText("asc");
        String missing = spec.path("missing").asText("_last");
        return new Sort(e.getKey(), order.equalsIgnoreCase("desc"), missing.equals("_first"));
    }

    /** Refuses sort fields not allowed, as the query's fields. */
    static void checkSort(List<Sort> sorts) {
        for (Sort s : sorts) {
            if (!s.field().equals("_doc")) {
                kind(s.field());
            }
        }
    }

    /**
     * A key's sort values as Elasticsearch reports them in {@code _sort}: dates as epoch milliseconds, keywords as
     * text, the smallest value ascending and the largest descending for fields with several; a date the key lacks is
     * {@code Long.MAX_VALUE} ascending and {@code Long.MIN_VALUE} descending, a missing keyword null.
     */
    static List<JsonNode> sortValues(Doc d, List<Sort> sorts, int position) {
        List<JsonNode> out = new ArrayList<>();
        JsonNodeFactory f = JsonNodeFactory.instance;
        for (Sort s : sorts) {
            if (s.field().equals("_doc")) {
                out.add(f.numberNode(position));
                continue;
            }
            Kind kind = kind(s.field());
            List<Object> values = d.values(s.field());
            if (values.isEmpty()) {
                out.add(kind == Kind.KEYWORD ? f.nullNode() : f.numberNode(s.desc() ? Long.MIN_VALUE : Long.MAX_VALUE));
                continue;
            }
            Object pick = values.get(0);
            for (Object v : values) {
                int c = compareValues(v, pick);
                if (s.desc() ? c > 0 : c < 0) {
                    pick = v;
                }
            }
            if (pick instanceof Long l) {
                out.add(f.numberNode(l));
            } else if (pick instanceof Boolean b) {
                out.add(f.booleanNode(b));
            } else {
                out.add(f.textNode((String) pick));
            }
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** Orders two keys' sort values (missing values placed as each sort key asks). */
    static Comparator<List<JsonNode>> comparator(List<Sort> sorts) {
        return (a, b) -> {
            for (int i = 0; i < sorts.size(); i++) {
                int c = compareSortValue(a.get(i), b.get(i), sorts.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static int compareSortValue(JsonNode a, JsonNode b, Sort s) {
        boolean am = a == null || a.isNull();
        boolean bm = b == null || b.isNull();
        if (am || bm) {
            if (am && bm) {
                return 0;
            }
            return am == s.missingFirst() ? -1 : 1;
        }
        int c;
        if (a.isNumber() && b.isNumber()) {
            c = Long.compare(a.asLong(), b.asLong());
        } else if (a.isBoolean() && b.isBoolean()) {
            c = Boolean.compare(a.asBoolean(), b.asBoolean());
        } else if (a.isNumber() || b.isNumber()) {
            c = Long.compare(a.isNumber() ? a.asLong() : Long.parseLong(a.asText()), b.isNumber() ? b.asLong() : Long.parseLong(b.asText()));
        } else {
            c = a.asText().compareTo(b.asText());
        }
        return s.desc() ? -c : c;
    }

    static ArrayNode array(List<JsonNode> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }

    // ------------------------------------------------------------------ aggregations

    /** The aggregation types computed here (those Kibana's API keys page sends); others are refused with Elasticsearch's text. */
    private static final Set<String> AGGREGATIONS = Set.of("terms", "filter", "filters", "missing", "value_count", "cardinality");

    /** Refuses what Elasticsearch refuses before running: unsupported types, fields not allowed, queries of filters. */
    static void checkAggregations(ObjectNode aggs) {
        if (aggs == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = aggs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = aggregationType(e.getValue());
            if (!AGGREGATIONS.contains(type)) {
                throw EsErrors.illegalArgument(ServerEsMessages.apiKeyQueryUnsupportedAgg(e.getKey(), type));
            }
            JsonNode body = e.getValue().get(type);
            switch (type) {
                case "filter" -> check(parse(body));
                case "filters" -> filterQueries(body).values().forEach(ApiKeyQuery::check);
                default -> kind(body.path("field").asText());
            }
            JsonNode sub = e.getValue().has("aggs") ? e.getValue().get("aggs") : e.getValue().get("aggregations");
            if (sub instanceof ObjectNode o) {
                checkAggregations(o);
            }
        }
    }

    private static String aggregationType(JsonNode agg) {
        for (Iterator<String> it = agg.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("aggs") && !f.equals("aggregations") && !f.equals("meta")) {
                return f;
            }
        }
        return "";
    }

    /** A {@code filters} aggregation's named queries (the array form names them by position). */
    private static Map<String, Node> filterQueries(JsonNode body) {
        Map<String, Node> out = new LinkedHashMap<>();
        JsonNode filters = body.path("filters");
        if (filters.isArray()) {
            int i = 0;
            for (JsonNode q : filters) {
                out.put(String.valueOf(i++), parse(q));
            }
        } else {
            filters.fields().forEachRemaining(e -> out.put(e.getKey(), parse(e.getValue())));
        }
        return out;
    }

    /** The aggregations over the keys the query matched, in Elasticsearch's response shapes. */
    static ObjectNode aggregate(ObjectNode aggs, List<Doc> docs, long now) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = aggs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = aggregationType(e.getValue());
            JsonNode body = e.getValue().get(type);
            JsonNode sub = e.getValue().has("aggs") ? e.getValue().get("aggs") : e.getValue().get("aggregations");
            ObjectNode subAggs = sub instanceof ObjectNode o ? o : null;
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            switch (type) {
                case "filter" -> bucket(result, filtered(docs, parse(body), now), subAggs, now);
                case "filters" -> {
                    boolean keyed = !body.path("filters").isArray();
                    ObjectNode keyedBuckets = JsonNodeFactory.instance.objectNode();
                    ArrayNode listed = JsonNodeFactory.instance.arrayNode();
                    filterQueries(body).forEach((name, q) -> {
                        ObjectNode b = JsonNodeFactory.instance.objectNode();
                        bucket(b, filtered(docs, q, now), subAggs, now);
                        if (keyed) {
                            keyedBuckets.set(name, b);
                        } else {
                            listed.add(b);
                        }
                    });
                    result.set("buckets", keyed ? keyedBuckets : listed);
                }
                case "missing" -> bucket(result, docs.stream().filter(d -> d.values(body.path("field").asText()).isEmpty()).toList(),
                        subAggs, now);
                case "value_count" -> result.put("value", docs.stream().mapToLong(d -> d.values(body.path("field").asText()).size()).sum());
                case "cardinality" -> result.put("value", docs.stream().flatMap(d -> d.values(body.path("field").asText()).stream())
                        .distinct().count());
                default -> terms(result, body, docs, subAggs, now);
            }
            out.set(e.getKey(), result);
        }
        return out;
    }

    private static List<Doc> filtered(List<Doc> docs, Node q, long now) {
        return docs.stream().filter(d -> matches(q, d, now)).toList();
    }

    private static void bucket(ObjectNode b, List<Doc> docs, ObjectNode subAggs, long now) {
        b.put("doc_count", docs.size());
        if (subAggs != null) {
            b.setAll(aggregate(subAggs, docs, now));
        }
    }

    /** {@code terms}: the most frequent values first (then by value), {@code size} of them (default 10). */
    private static void terms(ObjectNode result, JsonNode body, List<Doc> docs, ObjectNode subAggs, long now) {
        String field = body.path("field").asText();
        Kind kind = kind(field);
        int size = body.path("size").asInt(10);
        Map<Object, List<Doc>> byValue = new LinkedHashMap<>();
        for (Doc d : docs) {
            d.values(field).stream().distinct().forEach(v -> byValue.computeIfAbsent(v, k -> new ArrayList<>()).add(d));
        }
        List<Map.Entry<Object, List<Doc>>> sorted = new ArrayList<>(byValue.entrySet());
        sorted.sort((x, y) -> x.getValue().size() != y.getValue().size() ? Integer.compare(y.getValue().size(), x.getValue().size())
                : compareValues(x.getKey(), y.getKey()));
        long other = 0;
        ArrayNode buckets = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < sorted.size(); i++) {
            Map.Entry<Object, List<Doc>> e = sorted.get(i);
            if (i >= size) {
                other += e.getValue().size();
                continue;
            }
            ObjectNode b = buckets.addObject();
            Object key = e.getKey();
            if (kind == Kind.BOOLEAN) {
                b.put("key", (Boolean) key ? 1 : 0);
                b.put("key_as_string", String.valueOf(key));
            } else if (kind == Kind.DATE) {
                b.put("key", (Long) key);
                b.put("key_as_string", String.valueOf(key));
            } else {
                b.put("key", (String) key);
            }
            bucket(b, e.getValue(), subAggs, now);
        }
        result.put("doc_count_error_upper_bound", 0);
        result.put("sum_other_doc_count", other);
        result.set("buckets", buckets);
    }
}
