package io.svctoken.core.role;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.role.RoleParseException.Type;
import io.svctoken.core.text.Levenshtein;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads one role body from a token stream (JSON or YAML, Jackson underneath as in Elasticsearch)
 * the way Elasticsearch's {@code RoleDescriptor.parse} does, and produces the API display form.
 * Facts from {@code RoleDescriptor.java} @ {@code 47326e89fb3dca87961c4dd6988b2f29da6b4615} and
 * {@code XContentUtils.readStringArray}; see {@link RoleDescriptors} for the parts not verified.
 */
final class RoleDescriptorParser {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** As Elasticsearch's JSON parser: duplicate keys refused, Java-style comments allowed. */
    static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
    static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private static final List<String> APPLICATION_FIELDS = List.of("application", "privileges", "resources");
    private static final List<String> GLOBAL_CATEGORY_ORDER = List.of("application", "profile", "role");

    private final String role;
    private final JsonParser p;
    private final boolean allow2xFormat;
    /** Reading a has_privileges request: its index groups refuse document and field security. */
    private boolean privilegesToCheck;

    private RoleDescriptorParser(String role, JsonParser p, boolean allow2xFormat) {
        this.role = role;
        this.p = p;
        this.allow2xFormat = allow2xFormat;
    }

    /**
     * Reads a has_privileges body ({@code RoleDescriptor.parsePrivilegesToCheck}): {@code cluster}, {@code index}
     * (or {@code indices}) and {@code application} (or {@code applications}) in role form, {@code description}
     * (the user checked) standing where a role's name stands in the messages. The result has the three fields,
     * each an array (empty when absent).
     */
    static ObjectNode parsePrivilegesToCheck(String description, JsonParser p) {
        try {
            RoleDescriptorParser r = new RoleDescriptorParser(description, p, false);
            r.privilegesToCheck = true;
            return r.parseChecks();
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, e.getMessage());
        }
    }

    private ObjectNode parseChecks() throws IOException {
        JsonToken token = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (token != JsonToken.START_OBJECT) {
            throw pe(EsMessages.privilegesCheckExpectedObject(role, token(token)));
        }
        String field = null;
        ArrayNode cluster = null;
        ArrayNode indices = null;
        ArrayNode applications = null;
        while ((token = next()) != JsonToken.END_OBJECT) {
            if (token == JsonToken.FIELD_NAME) {
                field = p.currentName();
                continue;
            }
            switch (field) {
                case "index", "indices" -> indices = parseIndices(false);
                case "cluster" -> {
                    List<String> c = readStringArray(true);
                    cluster = c == null ? null : strings(c);
                }
                case "application", "applications" -> applications = parseApplications();
                default -> throw pe(EsMessages.privilegesCheckUnexpectedField(role, field));
            }
        }
        if (cluster == null && indices == null && applications == null) {
            throw pe(EsMessages.privilegesCheckAllMissing(role));
        }
        ObjectNode out = NODES.objectNode();
        out.set("cluster", cluster == null ? NODES.arrayNode() : cluster);
        out.set("index", indices == null ? NODES.arrayNode() : indices);
        out.set("application", applications == null ? NODES.arrayNode() : applications);
        return out;
    }

    /**
     * Parses the role object the parser is on (or, if it is on no token yet, the next one) up to its
     * {@code END_OBJECT}. Refusals are {@link RoleParseException}s; Jackson's syntax errors come out as
     * {@link Type#X_CONTENT_PARSE_EXCEPTION} too.
     */
    static ObjectNode parse(String role, JsonParser p, boolean allow2xFormat) {
        try {
            return new RoleDescriptorParser(role, p, allow2xFormat).parseRole();
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, e.getMessage());
        }
    }

    static RoleParseException syntaxError(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        String where = l == null ? "" : "[" + l.getLineNr() + ":" + l.getColumnNr() + "] ";
        return new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, where + e.getOriginalMessage());
    }

    /** Elasticsearch's {@code XContentParser.Token} name for a Jackson token. */
    static String token(JsonToken t) {
        return EsMessages.xContentToken(t);
    }

    private static RoleParseException pe(String message) {
        return new RoleParseException(Type.PARSE_EXCEPTION, message);
    }

    private String currentName() throws IOException {
        return String.valueOf(p.currentName());
    }

    private JsonToken next() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, "Unexpected end of content");
        }
        return t;
    }

    private ObjectNode parseRole() throws IOException {
        JsonToken token = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (token != JsonToken.START_OBJECT) {
            throw pe(EsMessages.roleExpectedObject(role, token(token)));
        }
        String field = null;
        ArrayNode cluster = null;
        ObjectNode global = null;
        ArrayNode indices = null;
        ArrayNode applications = null;
        ArrayNode runAs = null;
        JsonNode metadata = null;
        ArrayNode remoteIndices = null;
        ArrayNode remoteCluster = null;
        String description = null;
        while ((token = next()) != JsonToken.END_OBJECT) {
            if (token == JsonToken.FIELD_NAME) {
                field = p.currentName();
                continue;
            }
            switch (field) {
                case "indices", "index" -> indices = parseIndices(false);
                case "run_as" -> runAs = strings(readStringArray(true));
                case "cluster" -> cluster = strings(readStringArray(true));
                case "applications", "application" -> applications = parseApplications();
                case "global" -> global = parseGlobal();
                case "metadata" -> {
                    if (token != JsonToken.START_OBJECT) {
                        throw pe(EsMessages.expectedFieldOfType(field, "object", token(token)));
                    }
                    metadata = hashMapOrder(MAPPER.readTree(p));
                }
                case "transient_metadata" -> {
                    if (token != JsonToken.START_OBJECT) {
                        throw pe(EsMessages.roleUnexpectedField(role, field));
                    }
                    p.skipChildren();
                }
                case "remote_indices" -> remoteIndices = parseIndices(true);
                case "remote_cluster" -> remoteCluster = parseRemoteCluster();
                case "description" -> {
                    if (token != JsonToken.VALUE_STRING) {
                        throw pe(EsMessages.expectedFieldOfType(field, "string", token(token)));
                    }
                    description = p.getText();
                }
                case "type" -> p.skipChildren();
                default -> throw pe(EsMessages.roleUnexpectedField(role, field));
            }
        }
        ObjectNode out = NODES.objectNode();
        out.set("cluster", cluster == null ? NODES.arrayNode() : cluster);
        if (global != null && !global.isEmpty()) {
            out.set("global", global);
        }
        out.set("indices", indices == null ? NODES.arrayNode() : indices);
        out.set("applications", applications == null ? NODES.arrayNode() : applications);
        out.set("run_as", runAs == null ? NODES.arrayNode() : runAs);
        out.set("metadata", metadata == null ? NODES.objectNode() : metadata);
        out.set("transient_metadata", NODES.objectNode().put("enabled", true));
        if (remoteIndices != null && !remoteIndices.isEmpty()) {
            out.set("remote_indices", remoteIndices);
        }
        if (remoteCluster != null && !remoteCluster.isEmpty()) {
            out.set("remote_cluster", remoteCluster);
        }
        if (description != null) {
            out.put("description", description);
        }
        return out;
    }

    private static ArrayNode strings(List<String> values) {
        if (values == null) {
            return null;
        }
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    /** {@code XContentUtils.readStringArray}, its errors wrapped in {@code failed to parse role [x]}. */
    private List<String> readStringArray(boolean allowNull) throws IOException {
        try {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                if (allowNull) {
                    return null;
                }
                throw pe(EsMessages.stringArrayNullValue(currentName()));
            }
            if (t != JsonToken.START_ARRAY) {
                throw pe(EsMessages.stringArrayExpected(currentName(), token(t)));
            }
            List<String> out = new ArrayList<>();
            while ((t = next()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_STRING) {
                    throw pe(EsMessages.stringArrayBadElement(currentName(), token(t)));
                }
                out.add(p.getText());
            }
            return out;
        } catch (RoleParseException e) {
            if (e.type() != Type.PARSE_EXCEPTION) {
                throw e;
            }
            throw new RoleParseException(Type.PARSE_EXCEPTION, EsMessages.roleParseFailed(role), e);
        }
    }

    private ArrayNode parseIndices(boolean remote) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw pe(EsMessages.privilegesExpectedArray(remote ? "remote indices" : "indices", role, currentName(), token(p.currentToken())));
        }
        ArrayNode out = NODES.arrayNode();
        while (next() != JsonToken.END_ARRAY) {
            out.add(parseIndexGroup(remote));
        }
        return out;
    }

    private ObjectNode parseIndexGroup(boolean remote) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.START_OBJECT) {
            throw pe(EsMessages.privilegesExpectedArrayOfObjects("indices", role, currentName(), token(token)));
        }
        String field = null;
        List<String> names = null;
        String query = null;
        List<String> privileges = null;
        List<String> granted = null;
        List<String> denied = null;
        boolean allowRestricted = false;
        List<String> clusters = null;
        while ((token = next()) != JsonToken.END_OBJECT) {
            if (token == JsonToken.FIELD_NAME) {
                field = p.currentName();
            } else if ("names".equals(field)) {
                if (token == JsonToken.VALUE_STRING) {
                    names = List.of(p.getText());
                } else if (token == JsonToken.START_ARRAY) {
                    names = readStringArray(false);
                    if (names.isEmpty()) {
                        throw pe(EsMessages.indicesPrivilegesProblem(role, "[" + field + "] cannot be an empty array"));
                    }
                } else {
                    throw pe(EsMessages.indicesPrivilegesProblem(role, "expected field [" + field
                            + "] value to be a string or an array of strings, but found [" + token(token) + "] instead"));
                }
            } else if ("allow_restricted_indices".equals(field)) {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw pe(EsMessages.indicesPrivilegesProblem(role, "expected field [" + field
                            + "] value to be a boolean, but found [" + token(token) + "] instead"));
                }
                allowRestricted = token == JsonToken.VALUE_TRUE;
            } else if (privilegesToCheck && ("query".equals(field) || "field_security".equals(field))) {
                throw pe(EsMessages.notSupportedInHasPrivileges(field));
            } else if ("query".equals(field)) {
                if (token == JsonToken.START_OBJECT) {
                    StringWriter w = new StringWriter();
                    try (JsonGenerator g = JSON.createGenerator(w)) {
                        g.copyCurrentStructure(p);
                    }
                    query = w.toString();
                } else if (token == JsonToken.VALUE_STRING) {
                    String text = p.getText();
                    if (!text.isEmpty()) {
                        query = text;
                    }
                } else if (token != JsonToken.VALUE_NULL) {
                    throw pe(EsMessages.indicesPrivilegesProblem(role, "expected field [" + field
                            + "] value to be null, a string, an array, or an object, but found [" + token(token) + "] instead"));
                }
            } else if ("field_security".equals(field)) {
                if (token != JsonToken.START_OBJECT) {
                    throw pe(EsMessages.indicesPrivilegesProblem(role,
                            "expected START_OBJECT but got " + token(token) + " in \"field_security\"."));
                }
                token = next();
                do {
                    if (token == JsonToken.FIELD_NAME) {
                        String option = p.currentName();
                        if ("grant".equals(option)) {
                            next();
                            granted = readStringArray(true);
                            if (granted == null) {
                                throw pe(EsMessages.indicesPrivilegesProblem(role, "grant must not be null."));
                            }
                        } else if ("except".equals(option)) {
                            next();
                            denied = readStringArray(true);
                            if (denied == null) {
                                throw pe(EsMessages.indicesPrivilegesProblem(role, "except must not be null."));
                            }
                        } else {
                            throw pe(EsMessages.indicesPrivilegesProblem(role,
                                    "\"field_security\" only accepts options grant and except, but got: " + option));
                        }
                    } else if (token == JsonToken.END_OBJECT) {
                        throw pe(EsMessages.indicesPrivilegesProblem(role, "\"field_security\" must not be empty."));
                    } else {
                        throw pe(EsMessages.indicesPrivilegesProblem(role, "expected FIELD_NAME but got " + token(token) + "."));
                    }
                } while ((token = next()) != JsonToken.END_OBJECT);
            } else if ("privileges".equals(field)) {
                privileges = readStringArray(true);
            } else if ("fields".equals(field)) {
                if (!allow2xFormat) {
                    throw pe(EsMessages.fieldPermissions2xFormat(role));
                }
                granted = readStringArray(true);
            } else if ("transient_metadata".equals(field)) {
                if (token != JsonToken.START_OBJECT) {
                    throw pe(EsMessages.transientMetadataExpectedObject(role, token(token)));
                }
                p.skipChildren();
            } else if (remote && "clusters".equals(field)) {
                clusters = readStringArray(false);
            } else {
                throw pe(EsMessages.indicesPrivilegesProblem(role, "unexpected field [" + field + "]"));
            }
        }
        if (names == null) {
            throw pe(EsMessages.privilegesMissingField("indices", role, "names"));
        }
        if (privileges == null) {
            throw pe(EsMessages.privilegesMissingField("indices", role, "privileges"));
        }
        if (denied != null && granted == null) {
            throw pe(EsMessages.indicesPrivilegesProblem(role, "field_security requires grant if except is given"));
        }
        if (remote && clusters == null) {
            throw pe(EsMessages.privilegesMissingField("remote indices", role, "clusters"));
        }
        if (privileges.isEmpty()) {
            throw new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.INDICES_PRIVILEGES_NEED_A_PRIVILEGE);
        }
        if (remote && clusters.isEmpty()) {
            throw new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.REMOTE_INDICES_NEED_A_CLUSTER);
        }
        ObjectNode group = NODES.objectNode();
        group.set("names", strings(names));
        group.set("privileges", strings(privileges));
        if (granted != null || denied != null) {
            ObjectNode fls = group.putObject("field_security");
            if (granted != null) {
                fls.set("grant", strings(granted));
            }
            if (denied != null) {
                fls.set("except", strings(denied));
            }
        }
        if (query != null) {
            group.put("query", query);
        }
        group.put("allow_restricted_indices", allowRestricted);
        if (remote) {
            group.set("clusters", strings(clusters));
        }
        return group;
    }

    private ArrayNode parseApplications() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw pe(EsMessages.privilegesExpectedArray("application", role, currentName(), token(p.currentToken())));
        }
        ArrayNode out = NODES.arrayNode();
        while (next() != JsonToken.END_ARRAY) {
            out.add(parseApplication());
        }
        return out;
    }

    /** {@code ApplicationResourcePrivileges.PARSER} (an {@code ObjectParser} named {@code application}), then the role-level checks. */
    private ObjectNode parseApplication() throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.START_OBJECT) {
            throw pe(EsMessages.privilegesExpectedArrayOfObjects("application", role, currentName(), token(token)));
        }
        String application = null;
        List<String> privileges = null;
        List<String> resources = null;
        while ((token = next()) != JsonToken.END_OBJECT) {
            String field = p.currentName();
            JsonLocation fieldAt = p.currentTokenLocation();
            if (!APPLICATION_FIELDS.contains(field)) {
                throw xContent(fieldAt, EsMessages.objectParserUnknownField("application", field) + suggest(field, APPLICATION_FIELDS));
            }
            token = next();
            if ("application".equals(field)) {
                if (token != JsonToken.VALUE_STRING) {
                    throw xContent(p.currentTokenLocation(), EsMessages.objectParserUnsupportedValue("application", field, token(token)));
                }
                application = p.getText();
            } else {
                List<String> values = objectParserStringArray(field, token);
                if ("privileges".equals(field)) {
                    privileges = values;
                } else {
                    resources = values;
                }
            }
        }
        if (resources == null) {
            throw pe(EsMessages.privilegesMissingField("application", role, "resources"));
        }
        if (privileges == null) {
            throw pe(EsMessages.privilegesMissingField("application", role, "privileges"));
        }
        if (application == null || application.isEmpty()) {
            throw new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.APPLICATION_PRIVILEGES_NEED_A_NAME);
        }
        if (privileges.isEmpty()) {
            throw new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.APPLICATION_PRIVILEGES_NEED_A_PRIVILEGE);
        }
        if (resources.isEmpty()) {
            throw new RoleParseException(Type.ILLEGAL_ARGUMENT_EXCEPTION, EsMessages.APPLICATION_PRIVILEGES_NEED_A_RESOURCE);
        }
        ObjectNode out = NODES.objectNode();
        out.put("application", application);
        out.set("privileges", strings(privileges));
        out.set("resources", strings(resources));
        return out;
    }

    /** An {@code ObjectParser} string-array field: a single string or an array of scalars (taken as text). */
    private List<String> objectParserStringArray(String field, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return List.of(p.getText());
        }
        if (token != JsonToken.START_ARRAY) {
            throw xContent(p.currentTokenLocation(), EsMessages.objectParserUnsupportedValue("application", field, token(token)));
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = next()) != JsonToken.END_ARRAY) {
            if (!t.isScalarValue() || t == JsonToken.VALUE_NULL) {
                throw xContent(p.currentTokenLocation(), "[application] failed to parse field [" + field + "]");
            }
            out.add(p.getText());
        }
        return out;
    }

    private static RoleParseException xContent(JsonLocation at, String message) {
        return new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, "[" + at.getLineNr() + ":" + at.getColumnNr() + "] " + message);
    }

    /**
     * Elasticsearch's "did you mean" for an unknown {@code ObjectParser} field: candidates whose Lucene
     * Levenshtein similarity ({@code 1 - distance / longer length}) exceeds 0.5, most similar first,
     * ties by name.
     */
    static String suggest(String unknown, List<String> candidates) {
        return Levenshtein.didYouMean(unknown, candidates);
    }


    /**
     * {@code global} (configurable cluster privileges): must be an object
     * ({@code XContentUtils.verifyObject}); its categories are shown in Elasticsearch's category order
     * (application, profile, role), their content as given.
     */
    private ObjectNode parseGlobal() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw pe("expected an object, but found token [" + token(p.currentToken()) + "]");
        }
        ObjectNode given = (ObjectNode) MAPPER.readTree(p);
        ObjectNode out = NODES.objectNode();
        for (String category : GLOBAL_CATEGORY_ORDER) {
            if (given.has(category)) {
                out.set(category, given.get(category));
            }
        }
        given.fields().forEachRemaining(e -> {
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** {@code remote_cluster}: an array of {@code {privileges, clusters}} groups, shown in that field order. */
    private ArrayNode parseRemoteCluster() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw pe("failed to parse remote_cluster for role [" + role + "]. expected field [" + currentName()
                    + "] value to be an array, but found [" + token(p.currentToken()) + "] instead");
        }
        ArrayNode out = NODES.arrayNode();
        List<String> privileges = null;
        List<String> clusters = null;
        String field = null;
        JsonToken t;
        while ((t = next()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                continue;
            }
            if (t == JsonToken.FIELD_NAME) {
                field = p.currentName();
            } else if (t == JsonToken.END_OBJECT) {
                if (privileges == null || clusters == null) {
                    throw pe("failed to parse remote_cluster for role [" + role + "]. privileges and clusters are required");
                }
                ObjectNode g = out.addObject();
                g.set("privileges", strings(privileges));
                g.set("clusters", strings(clusters));
                privileges = null;
                clusters = null;
            } else if ("privileges".equals(field)) {
                privileges = readStringArray(false);
            } else if ("clusters".equals(field)) {
                clusters = readStringArray(false);
            } else {
                throw pe("failed to parse remote_cluster for role [" + role + "]. unexpected field [" + field + "]");
            }
        }
        return out;
    }

    /**
     * Re-orders an object tree the way Elasticsearch's {@code parser.map()} leaves it: every object is a
     * {@code java.util.HashMap}, so its keys come out in hash order (nested objects too, also inside
     * arrays). Same JDK hash function, same insertion sequence, same order.
     */
    static JsonNode hashMapOrder(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> m = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), hashMapOrder(e.getValue()));
            }
            ObjectNode out = NODES.objectNode();
            m.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(n -> out.add(hashMapOrder(n)));
            return out;
        }
        return node;
    }
}
