package io.svctoken.server.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.text.Levenshtein;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A role mapping's body read as Elasticsearch's {@code role-mapping} object parser reads it, into the display form
 * Elasticsearch answers with ({@code enabled}, {@code roles} or {@code role_templates}, {@code rules} normalised,
 * {@code metadata}). Its errors come in Elasticsearch's layers: a {@code parsing_exception} at the parser's place
 * whose reason is the object parser's {@code x_content_parse_exception} (its {@code caused_by}), itself caused by the
 * rules parser's {@code parse_exception} when the rules were wrong.
 */
final class RoleMappingBody {

    private static final String PARSER = "role-mapping";
    private static final String TEMPLATE_PARSER = "role-mapping-template";
    private static final List<String> FIELDS = List.of("roles", "role_templates", "rules", "metadata", "enabled", "doc_type", "type");
    private static final List<String> TEMPLATE_FIELDS = List.of("template", "format");

    private final String name;
    private final JsonParser p;
    private Boolean enabled;
    private List<String> roles;
    private List<ObjectNode> templates;
    private ObjectNode rules;
    private ObjectNode metadata = Json.object();

    private RoleMappingBody(String name, JsonParser p) {
        this.name = name;
        this.p = p;
    }

    /** The parsed mapping, before validation. */
    record Parsed(boolean enabled, List<String> roles, List<ObjectNode> templates, ObjectNode rules, ObjectNode metadata) {

        /** Elasticsearch's display form, in its field order (empty lists left out). */
        ObjectNode display() {
            ObjectNode o = Json.object();
            o.put("enabled", enabled);
            if (!roles.isEmpty()) {
                ArrayNode r = o.putArray("roles");
                roles.forEach(r::add);
            }
            if (!templates.isEmpty()) {
                ArrayNode t = o.putArray("role_templates");
                templates.forEach(t::add);
            }
            o.set("rules", rules);
            o.set("metadata", metadata);
            return o;
        }
    }

    /** @param body a body that passed the common JSON rule */
    static Parsed parse(String name, byte[] body) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            return new RoleMappingBody(name, p).read();
        } catch (IOException e) {
            throw new EsException(EsErrors.X_CONTENT_PARSE, 400, ServerEsMessages.FAILED_TO_PARSE_REQUEST_BODY);
        }
    }

    private Parsed read() throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw parsing(at(p.currentTokenLocation(), EsMessages.objectParserExpectedStartObject(PARSER, EsMessages.xContentToken(t)), null));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonLocation fieldAt = p.currentTokenLocation();
            JsonToken v = p.nextToken();
            switch (field) {
                case "roles" -> roles = strings(field);
                case "role_templates" -> templates = templates(field);
                case "rules" -> {
                    if (v != JsonToken.START_OBJECT) {
                        throw parsing(unsupported(field));
                    }
                    try {
                        rules = rulesObject(name, false);
                    } catch (EsException rulesError) {
                        throw parsing(failedField(field, rulesError));
                    }
                }
                case "metadata" -> {
                    if (v != JsonToken.START_OBJECT) {
                        throw parsing(unsupported(field));
                    }
                    metadata = (ObjectNode) Json.MAPPER.readTree(p);
                }
                case "enabled" -> enabled = bool(field);
                case "doc_type", "type" -> {
                    // written by Elasticsearch into its own index documents; read and ignored as there
                    if (v != JsonToken.VALUE_STRING) {
                        throw parsing(unsupported(field));
                    }
                }
                default -> throw parsing(at(fieldAt, EsMessages.objectParserUnknownField(PARSER, field) + Levenshtein.didYouMean(field, FIELDS), null));
            }
        }
        // the builder's checks: an IllegalStateException that Elasticsearch turns into a parsing_exception
        String missing = roles == null && templates == null ? "roles" : rules == null ? "rules" : enabled == null ? "enabled" : null;
        if (missing != null) {
            String reason = ServerEsMessages.roleMappingMissingField(name, missing);
            throw located(new EsException("parsing_exception", 400, reason, EsException.nestedCause("illegal_state_exception", reason)));
        }
        return new Parsed(enabled, roles == null ? List.of() : roles, templates == null ? List.of() : templates, rules, metadata);
    }

    // ------------------------------------------------------------------ the object parser's field readers

    private List<String> strings(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return List.of(p.getText());
        }
        if (t != JsonToken.START_ARRAY) {
            throw parsing(unsupported(field));
        }
        List<String> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (!t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                throw parsing(failedField(field, null));
            }
            out.add(p.getText());
        }
        return out;
    }

    private boolean bool(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw parsing(unsupported(field));
        }
        String v = p.getText();
        if (!v.equals("true") && !v.equals("false")) {
            throw parsing(failedField(field, EsException.nestedCause(EsErrors.ILLEGAL_ARGUMENT, ServerEsMessages.notABoolean(v))));
        }
        return v.equals("true");
    }

    /** {@code role_templates}: an array of (or one) {@code {"template": object or string, "format": "string"|"json"}}. */
    private List<ObjectNode> templates(String field) throws IOException {
        JsonToken t = p.currentToken();
        List<ObjectNode> out = new ArrayList<>();
        if (t == JsonToken.START_OBJECT) {
            out.add(template(field));
            return out;
        }
        if (t != JsonToken.START_ARRAY) {
            throw parsing(unsupported(field));
        }
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw parsing(failedField(field, null));
            }
            out.add(template(field));
        }
        return out;
    }

    private ObjectNode template(String field) throws IOException {
        String template = null;
        String format = "string";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonLocation fAt = p.currentTokenLocation();
            JsonToken v = p.nextToken();
            if (f.equals("template")) {
                if (v == JsonToken.VALUE_STRING) {
                    template = p.getText();
                } else if (v == JsonToken.START_OBJECT) {
                    template = Json.MAPPER.readTree(p).toString();
                } else {
                    throw parsing(failedField(field, at(p.currentTokenLocation(),
                            EsMessages.objectParserUnsupportedValue(TEMPLATE_PARSER, f, EsMessages.xContentToken(v)), null)));
                }
            } else if (f.equals("format")) {
                if (v != JsonToken.VALUE_STRING) {
                    throw parsing(failedField(field, at(p.currentTokenLocation(),
                            EsMessages.objectParserUnsupportedValue(TEMPLATE_PARSER, f, EsMessages.xContentToken(v)), null)));
                }
                format = p.getText().toLowerCase(java.util.Locale.ROOT);
                if (!format.equals("string") && !format.equals("json")) {
                    throw parsing(failedField(field, at(p.currentTokenLocation(), ServerEsMessages.roleTemplateInvalidFormat(p.getText()), null)));
                }
            } else {
                throw parsing(failedField(field, at(fAt, EsMessages.objectParserUnknownField(TEMPLATE_PARSER, f)
                        + Levenshtein.didYouMean(f, TEMPLATE_FIELDS), null)));
            }
        }
        if (template == null) {
            throw parsing(failedField(field, EsException.nestedCause(EsErrors.ILLEGAL_ARGUMENT, ServerEsMessages.requiredFields(List.of("template")))));
        }
        ObjectNode o = Json.object();
        o.put("template", template);
        o.put("format", format);
        return o;
    }

    // ------------------------------------------------------------------ the rules expression language

    /** An object holding exactly one expression; the parser stands on its start. */
    private ObjectNode rulesObject(String objectName, boolean allowExcept) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw rulesError(ServerEsMessages.rulesExpectedObjectNamed(objectName, EsMessages.xContentToken(t)));
        }
        String field = fieldName(objectName);
        ObjectNode expression = expression(field, allowExcept, objectName);
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw rulesError(ServerEsMessages.rulesMultipleFields(objectName));
        }
        return expression;
    }

    private ObjectNode expression(String field, boolean allowExcept, String objectName) throws IOException {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        switch (field) {
            case "any", "all" -> {
                ArrayNode members = o.putArray(field);
                p.nextToken();
                requireArray(field);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    members.add(rulesObject(field, field.equals("all")));
                }
            }
            case "field" -> o.set("field", fieldExpression());
            case "except" -> {
                if (!allowExcept) {
                    throw rulesError(ServerEsMessages.rulesFieldNotAllowed(field, objectName));
                }
                startObject();
                o.set("except", rulesObject("except", false));
            }
            default -> throw rulesError(ServerEsMessages.rulesFieldNotRecognised(field, objectName));
        }
        return o;
    }

    /** {@code {"field": {"<name>": value or [values]}}}; one value is shown as a value, several as an array. */
    private ObjectNode fieldExpression() throws IOException {
        startObject();
        String fieldName = fieldName("field");
        List<Object> values = new ArrayList<>();
        if (p.nextToken() == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                values.add(fieldValue());
            }
        } else {
            values.add(fieldValue());
        }
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw rulesError(ServerEsMessages.rulesMultipleFields("field"));
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (values.size() == 1) {
            put(o, fieldName, values.get(0));
        } else {
            ArrayNode a = o.putArray(fieldName);
            for (Iterator<Object> it = values.iterator(); it.hasNext(); ) {
                add(a, it.next());
            }
        }
        return o;
    }

    /** A string, a boolean, a number (read as a long, as Elasticsearch does) or null. */
    private Object fieldValue() throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getValueAsLong();
            case VALUE_NULL -> null;
            default -> throw rulesError(ServerEsMessages.rulesExpectedFieldValue(EsMessages.xContentToken(t)));
        };
    }

    private static void put(ObjectNode o, String key, Object v) {
        if (v == null) {
            o.putNull(key);
        } else if (v instanceof String s) {
            o.put(key, s);
        } else if (v instanceof Boolean b) {
            o.put(key, b);
        } else {
            o.put(key, (Long) v);
        }
    }

    private static void add(ArrayNode a, Object v) {
        if (v == null) {
            a.addNull();
        } else if (v instanceof String s) {
            a.add(s);
        } else if (v instanceof Boolean b) {
            a.add(b);
        } else {
            a.add((Long) v);
        }
    }

    private void startObject() throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw rulesError(ServerEsMessages.rulesExpectedObject(EsMessages.xContentToken(t)));
        }
    }

    private String fieldName(String objectName) throws IOException {
        if (p.nextToken() != JsonToken.FIELD_NAME) {
            throw rulesError(ServerEsMessages.rulesNoFields(objectName));
        }
        return p.currentName();
    }

    private void requireArray(String field) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw rulesError(ServerEsMessages.rulesRequiresArray(field));
        }
    }

    // ------------------------------------------------------------------ errors

    /** The rules parser's own error (an Elasticsearch parse exception, rendered under the object parser's). */
    private static EsException rulesError(String reason) {
        return EsException.nestedCause(EsErrors.PARSE, reason);
    }

    /** The object parser's "[role-mapping] failed to parse field [f]" at the parser's place, with its cause. */
    private EsException failedField(String field, EsException cause) {
        return at(p.currentTokenLocation(), ServerEsMessages.objectParserFailedToParseField(PARSER, field), cause);
    }

    /** The object parser's "[role-mapping] f doesn't support values of type: T". */
    private EsException unsupported(String field) {
        return at(p.currentTokenLocation(), EsMessages.objectParserUnsupportedValue(PARSER, field, EsMessages.xContentToken(p.currentToken())), null);
    }

    /** An object parser's {@code x_content_parse_exception}, kept under the {@code parsing_exception} (never a root cause there). */
    private static EsException at(JsonLocation at, String message, EsException cause) {
        return EsException.nestedCause(EsErrors.X_CONTENT_PARSE, "[" + at.getLineNr() + ":" + at.getColumnNr() + "] " + message, cause);
    }

    /** Elasticsearch's wrapping of the object parser's error: same reason, a {@code parsing_exception} where the parser stands. */
    private EsException parsing(EsException objectParserError) {
        return located(new EsException("parsing_exception", 400, objectParserError.getMessage(), objectParserError));
    }

    private EsException located(EsException e) {
        JsonLocation at = p.currentTokenLocation();
        return e.withMetadata("line", at.getLineNr()).withMetadata("col", at.getColumnNr());
    }
}
