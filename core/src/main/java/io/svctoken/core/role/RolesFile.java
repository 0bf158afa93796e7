package io.svctoken.core.role;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.user.Validation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The file realm's {@code roles.yml}, parsed as Elasticsearch's
 * {@code FileRolesStore} does (facts from {@code FileRolesStore.java}, late 8.x/9.x revision with
 * {@code FileRoleValidator} and description checks, and @ {@code 348a26a67615dea0ac844ae5e26533ec27cc5566}).
 *
 * <p>The text is cut into segments first: comment lines ({@code #} first) and blank lines are skipped,
 * a line starting with whitespace continues the current segment (ignored before the first segment),
 * any other line starts a new one. Each segment is read on its own with Jackson YAML, so one bad role
 * does not spoil the others:
 * <ul>
 *   <li>its first key is the role name, which must be a valid role name and <b>not</b> a reserved one
 *       (Elasticsearch validates with {@code allowReserved=false}, so a reserved name is reported as an
 *       invalid name: {@code ... invalid role name - Role [superuser] is reserved and may not be used.. skipping role...};
 *       the WARN {@code role [x] is reserved. the relevant role definition in the mapping file will be ignored}
 *       that Elasticsearch also has cannot be reached);</li>
 *   <li>its value must be an object, parsed like an API body except that the 2.x {@code fields}
 *       form is accepted;</li>
 *   <li>DLS/FLS roles are refused when {@code xpack.security.dls_fls.enabled} is false; roles naming an
 *       unknown cluster or index privilege are refused (svctoken's check: Elasticsearch's file store does not
 *       check the names when it loads the file); descriptions over 1000 chars are refused.</li>
 * </ul>
 * A later definition of the same role wins. Pure text in, values out.
 */
public final class RolesFile {

    public static final String FILE_NAME = "roles.yml";

    private static final Pattern IN_SEGMENT_LINE = Pattern.compile("^\\s+.+");
    private static final Pattern SKIP_LINE = Pattern.compile("(^#.*|^\\s*)");
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** One role Elasticsearch skips, with what it logs. */
    public record Problem(String role, Kind kind, String detail) {
        public enum Kind {
            /** The role name is invalid or reserved; {@code detail} is the validation message. */
            INVALID_NAME,
            /** The segment is not {@code name: {object}}; {@code role} may be {@code null}. */
            NOT_AN_OBJECT,
            /** The body was refused by the role parser; {@code detail} is the parse exception's message. */
            PARSE_ERROR,
            /** YAML syntax error or an {@code ObjectParser} refusal; {@code detail} is the role name or, without one, the whole segment. */
            SYNTAX_ERROR,
            /** Uses DLS/FLS while {@code xpack.security.dls_fls.enabled} is false. */
            DLS_FLS_DISABLED,
            /** Description too long; {@code detail} is the validation message. */
            INVALID_DESCRIPTION,
            /** Names a privilege Elasticsearch does not know; {@code detail} is the findings, joined by {@code "; "}. */
            INVALID_PRIVILEGES,
            /**
             * An {@code IllegalArgumentException} from a builder (e.g. {@code privileges: []}):
             * Elasticsearch does not catch it per role, so the whole file fails to load (node start fails;
             * a reload keeps the previous roles). {@code detail} is its message.
             */
            FILE_REJECTED
        }

        /** Elasticsearch's ERROR text ({@code path} is the file's absolute path). */
        public String message(String path) {
            return switch (kind) {
                case INVALID_NAME -> EsMessages.invalidRoleNameInRolesFile(role, path, detail);
                case NOT_AN_OBJECT -> EsMessages.invalidRoleDefinitionInRolesFile(String.valueOf(role), path);
                case PARSE_ERROR -> EsMessages.skippingRole(detail);
                case SYNTAX_ERROR -> EsMessages.invalidRoleDefinitionInRolesFile(detail, path);
                case DLS_FLS_DISABLED -> EsMessages.dlsFlsDisabledInRolesFile(role, path);
                case INVALID_DESCRIPTION -> EsMessages.invalidRoleDescriptionInRolesFile(role, path, detail);
                case INVALID_PRIVILEGES -> EsMessages.invalidRolePrivilegesInRolesFile(role, path, detail);
                case FILE_REJECTED -> detail;
            };
        }
    }

    /** The roles (sorted by name) and the skipped ones. */
    public record Parsed(SortedMap<String, RoleDescriptor> roles, List<Problem> problems) {
        public Parsed {
            roles = Collections.unmodifiableSortedMap(new TreeMap<>(roles));
            problems = List.copyOf(problems);
        }

        /** The problem that makes Elasticsearch refuse the whole file, if any. */
        public Optional<Problem> fileRejected() {
            return problems.stream().filter(p -> p.kind() == Problem.Kind.FILE_REJECTED).findFirst();
        }
    }

    private RolesFile() {
    }

    /** Elasticsearch's textual segmentation: one string per role, each line ending in {@code \n}. */
    public static List<String> segments(List<String> lines) {
        List<String> segments = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            if (SKIP_LINE.matcher(line).matches()) {
                continue;
            }
            if (IN_SEGMENT_LINE.matcher(line).matches()) {
                if (current != null) {
                    current.append(line).append('\n');
                }
            } else {
                if (current != null) {
                    segments.add(current.toString());
                }
                current = new StringBuilder(line).append('\n');
            }
        }
        if (current != null) {
            segments.add(current.toString());
        }
        return segments;
    }

    /** With DLS/FLS enabled (Elasticsearch's default). */
    public static Parsed parse(List<String> lines, ReservedRoles reserved) {
        return parse(lines, reserved, true);
    }

    public static Parsed parse(List<String> lines, ReservedRoles reserved, boolean dlsFlsEnabled) {
        SortedMap<String, RoleDescriptor> roles = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        for (String segment : segments(lines)) {
            parseSegment(segment, reserved, dlsFlsEnabled, problems).ifPresent(rd -> roles.put(rd.name(), rd));
        }
        return new Parsed(roles, problems);
    }

    private static Optional<RoleDescriptor> parseSegment(String segment, ReservedRoles reserved, boolean dlsFlsEnabled,
                                                         List<Problem> problems) {
        String roleName = null;
        try (JsonParser p = YAML.createParser(segment)) {
            JsonToken token = p.nextToken();
            if (token == JsonToken.START_OBJECT) {
                token = p.nextToken();
                if (token == JsonToken.FIELD_NAME) {
                    roleName = p.currentName();
                    Optional<String> nameError = Validation.Roles.validateRoleName(roleName, false, reserved::isReserved);
                    if (nameError.isPresent()) {
                        problems.add(new Problem(roleName, Problem.Kind.INVALID_NAME, nameError.get()));
                        return Optional.empty();
                    }
                    token = p.nextToken();
                    if (token == JsonToken.START_OBJECT) {
                        ObjectNode display = RoleDescriptorParser.parse(roleName, p, true);
                        return check(roleName, display, dlsFlsEnabled, problems);
                    }
                    problems.add(new Problem(roleName, Problem.Kind.NOT_AN_OBJECT, null));
                    return Optional.empty();
                }
            }
            problems.add(new Problem(roleName, Problem.Kind.NOT_AN_OBJECT, null));
        } catch (RoleParseException e) {
            switch (e.type()) {
                case PARSE_EXCEPTION -> problems.add(new Problem(roleName, Problem.Kind.PARSE_ERROR, e.getMessage()));
                case ILLEGAL_ARGUMENT_EXCEPTION -> problems.add(new Problem(roleName, Problem.Kind.FILE_REJECTED, e.getMessage()));
                default -> problems.add(new Problem(roleName, Problem.Kind.SYNTAX_ERROR, roleName != null ? roleName : segment));
            }
        } catch (IOException e) {
            problems.add(new Problem(roleName, Problem.Kind.SYNTAX_ERROR, roleName != null ? roleName : segment));
        }
        return Optional.empty();
    }

    private static Optional<RoleDescriptor> check(String role, ObjectNode display, boolean dlsFlsEnabled, List<Problem> problems) {
        if (!dlsFlsEnabled && (RoleDescriptors.usesDocumentLevelSecurity(display) || RoleDescriptors.usesFieldLevelSecurity(display))) {
            problems.add(new Problem(role, Problem.Kind.DLS_FLS_DISABLED, null));
            return Optional.empty();
        }
        // Elasticsearch's file store does not check the names at load; a role with an unknown one is skipped here, named in the log
        List<String> privilegeProblems = BuiltinPrivileges.problems(display);
        if (!privilegeProblems.isEmpty()) {
            problems.add(new Problem(role, Problem.Kind.INVALID_PRIVILEGES, String.join("; ", privilegeProblems)));
            return Optional.empty();
        }
        String description = display.has("description") ? display.get("description").asText() : null;
        Optional<String> descriptionError = Validation.Roles.validateRoleDescription(description);
        if (descriptionError.isPresent()) {
            problems.add(new Problem(role, Problem.Kind.INVALID_DESCRIPTION, descriptionError.get()));
            return Optional.empty();
        }
        return Optional.of(new RoleDescriptor(role, display));
    }
}
