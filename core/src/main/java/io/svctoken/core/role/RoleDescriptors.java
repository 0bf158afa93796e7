package io.svctoken.core.role;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.role.RoleParseException.Type;
import io.svctoken.core.text.Levenshtein;
import io.svctoken.core.user.Validation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Role definitions from the role REST API ({@code PUT /_security/role/{name}}), checked as
 * Elasticsearch checks them, into the API display form of {@link RoleDescriptor}.
 *
 * <p>Display form: {@code cluster}, [{@code global}], {@code indices} (each {@code names},
 * {@code privileges}, [{@code field_security} {grant, except}], [{@code query}],
 * {@code allow_restricted_indices}), {@code applications} ({@code application}, {@code privileges},
 * {@code resources}), {@code run_as}, {@code metadata}, {@code transient_metadata}
 * {@code {"enabled":true}}, then only when present {@code remote_indices} (groups plus
 * {@code clusters}), {@code remote_cluster}, {@code description}. Absent lists become {@code []},
 * absent metadata {@code {}}; metadata objects keep the key order of a {@code java.util.HashMap}, as
 * Elasticsearch's do.
 *
 * <p>Order of checks (and the error each produces, all HTTP 400):
 * <ol>
 *   <li>empty body: {@code parse_exception} {@code request body is required};</li>
 *   <li>the name (1024 chars, reserved names allowed here): {@code validation_exception}
 *       {@code Validation Failed: 1: Role names must be ...;};</li>
 *   <li>the body, field by field: {@code parse_exception} (e.g. {@code failed to parse role [r]. unexpected field [f]};
 *       wrong types inside string arrays come as {@code failed to parse role [r]} wrapping
 *       {@code could not parse [cluster] field. expected a string array but found [VALUE_STRING] value instead},
 *       the inner one being the root cause), {@code x_content_parse_exception} for malformed JSON and for
 *       the {@code applications} entries' unknown fields ({@code [line:col] [application] unknown field [x]}),
 *       {@code illegal_argument_exception} for empty privilege lists;</li>
 *   <li>request validation, all errors together: {@code action_request_validation_exception}
 *       {@code Validation Failed: 1: ...;2: ...;}: the name as stored in the native realm (507 chars,
 *       reserved names refused), unknown cluster and index privilege names ({@link BuiltinPrivileges}),
 *       metadata keys starting with {@code _}, description over 1000 chars.</li>
 * </ol>
 *
 * <p>Not checked here (Elasticsearch does): field-security {@code except} being a subset of {@code grant},
 * the DLS query's syntax, the content of {@code global}, the {@code remote_cluster} privilege names,
 * application privilege names and empty remote cluster aliases.
 */
public final class RoleDescriptors {

    private RoleDescriptors() {
    }

    /** With the reserved roles of {@link CompatibilityVersion#DEFAULT}. */
    public static RoleDescriptor parseApiBody(String name, String json) {
        return parseApiBody(name, json, ReservedRoles.forVersion(CompatibilityVersion.DEFAULT));
    }

    /**
     * Parses and validates a {@code PUT /_security/role/{name}} body.
     *
     * @throws RoleParseException with Elasticsearch's type and reason when Elasticsearch would answer 400
     */
    public static RoleDescriptor parseApiBody(String name, String json, ReservedRoles reserved) {
        checkBeforeBody(name, json != null && !json.isEmpty(), reserved);
        try (JsonParser p = RoleDescriptorParser.JSON.createParser(json)) {
            return validate(name, RoleDescriptorParser.parse(name, p, false), reserved);
        } catch (JsonProcessingException e) {
            throw RoleDescriptorParser.syntaxError(e);
        } catch (IOException e) {
            throw new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, e.getMessage());
        }
    }

    /**
     * After the request's validation, as Elasticsearch's put-role action: the document-level query ({@link RoleQueryValidator}).
     * Only the role API's bodies (bytes) are checked so; API keys' role descriptors are not.
     */
    private static RoleDescriptor checkedQuery(RoleDescriptor rd) {
        RoleQueryValidator.check(rd.toDisplayJson());
        return rd;
    }

    /**
     * As {@link #parseApiBody(String, String, ReservedRoles)} for the body's bytes: its strings are decoded by
     * the JSON parser, so invalid UTF-8 is an error, never U+FFFD.
     */
    public static RoleDescriptor parseApiBody(String name, byte[] json, ReservedRoles reserved) {
        checkBeforeBody(name, json != null && json.length > 0, reserved);
        try (JsonParser p = RoleDescriptorParser.JSON.createParser(json)) {
            return checkedQuery(validate(name, RoleDescriptorParser.parse(name, p, false), reserved));
        } catch (JsonProcessingException e) {
            throw RoleDescriptorParser.syntaxError(e);
        } catch (IOException e) {
            throw new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, e.getMessage());
        }
    }

    /**
     * Reads a bulk put body ({@code POST /_security/role}): {@code {"roles":{name: role body, ...}}}, each role parsed
     * as the role API parses one. The first role that does not parse refuses the whole request (Elasticsearch's
     * {@code [line:col] [bulk_update_roles_request_payload] failed to parse field [roles]}, caused by that role's error);
     * validation is per role ({@link #bulkProblems}).
     *
     * @return the roles in the body's order; none when {@code roles} is absent
     * @throws RoleParseException with Elasticsearch's type and reason
     */
    public static LinkedHashMap<String, ObjectNode> parseBulkBody(byte[] json) {
        LinkedHashMap<String, ObjectNode> roles = new LinkedHashMap<>();
        try (JsonParser p = RoleDescriptorParser.JSON.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw located(p, EsMessages.objectParserExpectedStartObject(BULK_PUT_PARSER, EsMessages.xContentToken(t)), null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (!field.equals("roles")) {
                    throw located(p, EsMessages.objectParserUnknownField(BULK_PUT_PARSER, field) + Levenshtein.didYouMean(field, List.of("roles")), null);
                }
                t = p.nextToken();
                if (t != JsonToken.START_OBJECT) {
                    throw located(p, EsMessages.objectParserUnsupportedValue(BULK_PUT_PARSER, field, EsMessages.xContentToken(t)), null);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    try {
                        roles.put(name, RoleDescriptorParser.parse(name, p, false));
                    } catch (RoleParseException e) {
                        throw located(p, EsMessages.objectParserFailedToParseField(BULK_PUT_PARSER, field), e);
                    }
                }
            }
            return roles;
        } catch (JsonProcessingException e) {
            throw RoleDescriptorParser.syntaxError(e);
        } catch (IOException e) {
            throw new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, e.getMessage());
        }
    }

    private static final String BULK_PUT_PARSER = "bulk_update_roles_request_payload";

    private static RoleParseException located(JsonParser p, String message, RoleParseException cause) {
        JsonLocation at = p.currentTokenLocation();
        String reason = "[" + at.getLineNr() + ":" + at.getColumnNr() + "] " + message;
        return cause == null ? new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, reason)
                : new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, reason, cause);
    }

    /**
     * Why a role of a bulk put is not stored, as Elasticsearch decides it for one role of many: the role API's validation
     * (a reserved name refuses with every finding), else the document-level query's problem, else the other findings.
     */
    public static Optional<RoleParseException> bulkProblems(String name, ObjectNode display, ReservedRoles reserved) {
        RoleParseException invalid = null;
        try {
            validate(name, display, reserved);
        } catch (RoleParseException e) {
            invalid = e;
        }
        if (invalid != null && reserved.isReserved(name)) {
            return Optional.of(invalid);
        }
        try {
            RoleQueryValidator.check(display);
        } catch (RoleParseException e) {
            return Optional.of(e);
        }
        return Optional.ofNullable(invalid);
    }

    /**
     * Reads a has_privileges body for {@code user} (Elasticsearch's {@code parsePrivilegesToCheck}): an object with
     * {@code cluster} (strings), {@code index} (role-form index groups) and {@code application} (role-form
     * application entries), each present.
     *
     * @throws RoleParseException with Elasticsearch's type and reason
     */
    public static ObjectNode parsePrivilegesToCheck(String user, byte[] json) {
        try (JsonParser p = RoleDescriptorParser.JSON.createParser(json)) {
            return RoleDescriptorParser.parsePrivilegesToCheck(user, p);
        } catch (JsonProcessingException e) {
            throw RoleDescriptorParser.syntaxError(e);
        } catch (IOException e) {
            throw new RoleParseException(Type.X_CONTENT_PARSE_EXCEPTION, e.getMessage());
        }
    }

    /**
     * The checks Elasticsearch makes before it reads a role body: the body is present, then the name in the
     * URL (1024 chars, reserved names allowed here).
     */
    public static void checkBeforeBody(String name, boolean hasBody, ReservedRoles reserved) {
        if (!hasBody) {
            throw new RoleParseException(Type.PARSE_EXCEPTION, EsMessages.REQUEST_BODY_IS_REQUIRED);
        }
        Optional<String> nameError = Validation.Roles.validateRoleName(name, true, reserved::isReserved);
        if (nameError.isPresent()) {
            throw new RoleParseException(Type.VALIDATION_EXCEPTION, EsMessages.validationFailed(List.of(nameError.get())));
        }
    }

    /** {@code PutRoleRequest#validate}: every finding together. */
    private static RoleDescriptor validate(String name, ObjectNode display, ReservedRoles reserved) {
        List<String> errors = new ArrayList<>();
        Validation.Roles.validateRoleName(name, false, reserved::isReserved, Validation.NATIVE_MAX_NAME_LENGTH).ifPresent(errors::add);
        errors.addAll(BuiltinPrivileges.problems(display));
        if (hasReservedMetadataKey(display)) {
            errors.add(EsMessages.ROLE_METADATA_RESERVED_KEYS);
        }
        String description = display.has("description") ? display.get("description").asText() : null;
        Validation.Roles.validateRoleDescription(description).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw new RoleParseException(Type.ACTION_REQUEST_VALIDATION_EXCEPTION, EsMessages.validationFailed(errors));
        }
        return new RoleDescriptor(name, display);
    }

    private static boolean hasReservedMetadataKey(ObjectNode display) {
        var it = display.get("metadata").fieldNames();
        while (it.hasNext()) {
            if (it.next().startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a display-form descriptor uses document-level security (a {@code query}) in any {@code indices} group. */
    public static boolean usesDocumentLevelSecurity(ObjectNode display) {
        for (var g : display.path("indices")) {
            if (g.has("query")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether it uses field-level security in any {@code indices} group: a non-empty {@code except}, or a
     * {@code grant} other than exactly {@code ["*"]} (Elasticsearch treats that as no FLS).
     */
    public static boolean usesFieldLevelSecurity(ObjectNode display) {
        for (var g : display.path("indices")) {
            var fls = g.get("field_security");
            if (fls == null) {
                continue;
            }
            var except = fls.get("except");
            if (except != null && !except.isEmpty()) {
                return true;
            }
            var grant = fls.get("grant");
            if (grant != null && !(grant.size() == 1 && "*".equals(grant.get(0).asText()))) {
                return true;
            }
        }
        return false;
    }
}
