package io.svctoken.core.file;

import io.svctoken.core.EsMessages;
import io.svctoken.core.user.Validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The file realm's {@code users_roles} file: {@code role:user1,user2}
 * lines, inverted into user → roles. A raw line starting with {@code #} is a comment. The raw line (not
 * trimmed) must have a {@code :} that is neither first nor last; the role (text before it, trimmed)
 * must be a valid role name, reserved names included; the users part (trimmed) must not be empty and
 * is split on {@code \s*,\s*} (Java {@code split} semantics: trailing empty names are dropped, others
 * kept). User names are not validated. Repeated role lines accumulate; each user's roles keep their
 * order of appearance. Pure text in, text out.
 */
public final class UsersRolesFile {

    public static final String FILE_NAME = "users_roles";

    private static final Pattern USERS_DELIMITER = Pattern.compile("\\s*,\\s*");

    /** What the parser refused on one line (1-based line numbers). */
    public record Problem(int lineNumber, Kind kind, String role, String reason) {
        public enum Kind { INVALID_ENTRY, INVALID_ROLE, NO_USERS }

        /** Elasticsearch's ERROR text; {@code absPath} is the file's absolute path. */
        public String message(String absPath) {
            return switch (kind) {
                case INVALID_ENTRY -> EsMessages.invalidUsersRolesFileEntry(absPath, lineNumber);
                case INVALID_ROLE -> EsMessages.invalidRoleEntryInUsersRolesFile(absPath, lineNumber, reason);
                case NO_USERS -> EsMessages.noUsersForRoleInUsersRolesFile(role, absPath, lineNumber);
            };
        }
    }

    /** user → roles (users sorted, roles in order of appearance) and the skipped lines. */
    public record Parsed(SortedMap<String, List<String>> userRoles, List<Problem> problems) {
        public Parsed {
            SortedMap<String, List<String>> copy = new TreeMap<>();
            userRoles.forEach((u, r) -> copy.put(u, List.copyOf(r)));
            userRoles = Collections.unmodifiableSortedMap(copy);
            problems = List.copyOf(problems);
        }

        /** The roles of {@code user}; empty when the file names none. */
        public List<String> roles(String user) {
            return userRoles.getOrDefault(user, List.of());
        }
    }

    private UsersRolesFile() {
    }

    public static Parsed parse(List<String> lines) {
        Map<String, List<String>> userRoles = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int n = i + 1;
            if (line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                problems.add(new Problem(n, Problem.Kind.INVALID_ENTRY, null, null));
                continue;
            }
            String role = line.substring(0, colon).trim();
            Optional<String> error = Validation.Roles.validateRoleName(role, true, r -> false);
            if (error.isPresent()) {
                problems.add(new Problem(n, Problem.Kind.INVALID_ROLE, role, error.get()));
                continue;
            }
            String users = line.substring(colon + 1).trim();
            String[] names = users.isEmpty() ? new String[0] : USERS_DELIMITER.split(users);
            if (names.length == 0) {
                problems.add(new Problem(n, Problem.Kind.NO_USERS, role, null));
                continue;
            }
            for (String user : names) {
                userRoles.computeIfAbsent(user, k -> new ArrayList<>()).add(role);
            }
        }
        return new Parsed(new TreeMap<>(userRoles), problems);
    }

    /**
     * The lines Elasticsearch's writer produces: the map is inverted to role → users and each role is
     * written as {@code role:user1,user2} (no spaces). Elasticsearch writes roles and users in
     * {@code HashMap} order; here roles are sorted and each role's users are sorted, so the output is
     * stable. A user with no roles writes nothing.
     */
    public static List<String> format(Map<String, ? extends Collection<String>> userRoles) {
        SortedMap<String, TreeSet<String>> roleUsers = new TreeMap<>();
        userRoles.forEach((user, roles) -> roles.forEach(role -> roleUsers.computeIfAbsent(role, k -> new TreeSet<>()).add(user)));
        List<String> out = new ArrayList<>();
        roleUsers.forEach((role, users) -> out.add(role + ":" + String.join(",", users)));
        return out;
    }
}
