package io.svctoken.cli.users;

import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.common.CliException;
import io.svctoken.cli.common.ExitCodes;
import io.svctoken.cli.common.SecurityFileOutput;
import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.common.ToolEnvironment;
import io.svctoken.cli.files.FileAttributes;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.user.Validation;
import io.svctoken.server.settings.NodeSettings;

import java.nio.CharBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The five operations of {@code elasticsearch-users} on {@code users} and {@code users_roles}, in
 * Elasticsearch's order of checks and prompts (facts from
 * {@code UsersTool.java}).
 *
 * <p>Deliberate differences: where Elasticsearch fails with a {@code NullPointerException} because
 * {@code users_roles} (or, for {@code roles}, {@code users}) is missing, a missing {@code users_roles}
 * counts as empty and a missing {@code users} is the usual {@code Configuration file [...] is missing};
 * {@code list} prints users sorted by name (Elasticsearch: hash order).
 */
final class FileUserCommands {

    private final Terminal terminal;
    private final ToolEnvironment env;
    private final FileRealmFiles files;

    FileUserCommands(Terminal terminal, ToolEnvironment env) throws CliException {
        this.terminal = terminal;
        this.env = env;
        this.files = FileRealmFiles.of(terminal, env);
    }

    void useradd(List<String> args, String passwordOption, String rolesOption) throws CliException {
        String username = parseUsername(args);
        String hash = passwordHash(passwordOption);
        String[] roles = parseRoles(rolesOption);
        Map<Path, Optional<FileAttributes>> before = files.snapshot();
        SortedMap<String, String> users = requireUsers();
        if (users.containsKey(username)) {
            throw new CliException(ExitCodes.CODE_ERROR, CliEsMessages.userAlreadyExists(username));
        }
        users = new TreeMap<>(users);
        users.put(username, hash);
        files.writeUsers(users);
        if (roles.length > 0) {
            SortedMap<String, List<String>> userRoles = userRolesOrEmpty();
            userRoles.put(username, List.of(roles));
            files.writeUserRoles(userRoles);
        }
        files.warnAttributeChanges(before);
    }

    void userdel(List<String> args) throws CliException {
        String username = parseUsername(args);
        Map<Path, Optional<FileAttributes>> before = files.snapshot();
        SortedMap<String, String> users = requireUsers();
        if (!users.containsKey(username)) {
            throw new CliException(ExitCodes.NO_USER, CliEsMessages.userDoesNotExist(username));
        }
        users = new TreeMap<>(users);
        users.remove(username);
        files.writeUsers(users);
        SortedMap<String, List<String>> userRoles = files.readUserRoles();
        if (userRoles != null && userRoles.containsKey(username)) {
            userRoles = new TreeMap<>(userRoles);
            userRoles.remove(username);
            files.writeUserRoles(userRoles);
        }
        files.warnAttributeChanges(before);
    }

    void passwd(List<String> args, String passwordOption) throws CliException {
        String username = parseUsername(args);
        String hash = passwordHash(passwordOption);
        Map<Path, Optional<FileAttributes>> before = SecurityFileOutput.snapshot(files.usersFile());
        SortedMap<String, String> users = requireUsers();
        if (!users.containsKey(username)) {
            throw new CliException(ExitCodes.NO_USER, CliEsMessages.userDoesNotExist(username));
        }
        users = new TreeMap<>(users);
        users.put(username, hash);
        files.writeUsers(users);
        files.warnAttributeChanges(before);
    }

    void roles(List<String> args, String addOption, String removeOption) throws CliException {
        String username = parseUsername(args);
        String[] add = parseRoles(addOption);
        String[] remove = parseRoles(removeOption);
        if (add.length == 0 && remove.length == 0) {
            list(username);
            return;
        }
        Map<Path, Optional<FileAttributes>> before = files.snapshot();
        SortedMap<String, String> users = requireUsers();
        if (!users.containsKey(username)) {
            throw new CliException(ExitCodes.NO_USER, CliEsMessages.userDoesNotExist(username));
        }
        SortedMap<String, List<String>> userRoles = userRolesOrEmpty();
        List<String> roles = new ArrayList<>(userRoles.getOrDefault(username, List.of()));
        roles.addAll(Arrays.asList(add));
        roles.removeAll(Arrays.asList(remove));
        if (roles.isEmpty()) {
            userRoles.remove(username);
        } else {
            userRoles.put(username, List.copyOf(new LinkedHashSet<>(roles)));
        }
        files.writeUserRoles(userRoles);
        files.warnAttributeChanges(before);
    }

    void list(List<String> args) throws CliException {
        if (args.size() > 1) {
            // jopt-simple: a single-valued non-option argument given more than once
            throw CliException.optionError(CliEsMessages.multipleArgumentsForOption("[arguments]"));
        }
        list(args.isEmpty() ? null : args.get(0));
    }

    /** Elasticsearch's {@code listUsersAndRoles}: one user, or all of them. */
    private void list(String username) throws CliException {
        SortedMap<String, List<String>> userRoles = files.readUserRoles();
        if (userRoles == null) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.configurationFileMissing(files.usersRolesFile().toString()));
        }
        SortedMap<String, String> users = files.readUsers();
        if (users == null) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.configurationFileMissing(files.usersFile().toString()));
        }
        Set<String> known = files.knownRoles();
        String legend = CliEsMessages.unknownRoleLegend(files.rolesFile().toString());
        if (username != null) {
            if (!users.containsKey(username)) {
                throw new CliException(ExitCodes.NO_USER, CliEsMessages.userDoesNotExist(username));
            }
            List<String> roles = userRoles.get(username);
            if (roles == null) {
                terminal.println(row(username, "-"));
                return;
            }
            boolean unknown = roles.stream().anyMatch(r -> !known.contains(r));
            terminal.println(row(username, marked(roles, known)));
            if (unknown) {
                terminal.println("");
                terminal.println(legend);
            }
            return;
        }
        boolean unknownFound = false;
        boolean usersExist = false;
        // Elasticsearch lists every user of users_roles (even one without a password), then the users without roles.
        for (Map.Entry<String, List<String>> e : userRoles.entrySet()) {
            terminal.println(row(e.getKey(), marked(e.getValue(), known)));
            unknownFound |= e.getValue().stream().anyMatch(r -> !known.contains(r));
            usersExist = true;
        }
        for (String user : new TreeSet<>(users.keySet())) {
            if (!userRoles.containsKey(user)) {
                terminal.println(row(user, "-"));
                usersExist = true;
            }
        }
        if (!usersExist) {
            terminal.println(CliEsMessages.NO_USERS_FOUND);
            return;
        }
        if (unknownFound) {
            terminal.println("");
            terminal.println(legend);
        }
    }

    private static String row(String username, String roles) {
        return String.format(Locale.ROOT, "%-15s: %s", username, roles);
    }

    /** The roles comma-joined, those not known followed by {@code *}. */
    private static String marked(List<String> roles, Set<String> known) {
        return roles.stream().map(r -> known.contains(r) ? r : r + "*").collect(Collectors.joining(","));
    }

    /** One user name argument, valid for the file realm (reserved names refused while the reserved realm is enabled). */
    private String parseUsername(List<String> args) throws CliException {
        if (args.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.MISSING_USERNAME);
        } else if (args.size() > 1) {
            throw new CliException(ExitCodes.USAGE, CliEsMessages.expectedSingleUsername(args));
        }
        String username = args.get(0);
        boolean allowReserved = !files.reservedUsers().reservedRealmEnabled();
        Optional<String> error = Validation.Users.validateUsername(username, allowReserved, files.reservedUsers());
        if (error.isPresent()) {
            throw new CliException(ExitCodes.DATA_ERROR, CliEsMessages.invalidUsername(username, error.get()));
        }
        return username;
    }

    /** The new password (from {@code -p} or asked twice), hashed with the password hashing algorithm. */
    private String passwordHash(String passwordOption) throws CliException {
        Hasher hasher = env.passwordHasher();
        if (env.fipsMode() && !hasher.name().toLowerCase(Locale.ROOT).startsWith("pbkdf2")) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.fipsRequiresPbkdf2(NodeSettings.PASSWORD_HASHING));
        }
        try (Secret password = readPassword(passwordOption, hasher.name())) {
            try {
                return hasher.hash(password);
            } catch (RuntimeException e) {
                throw new CliException(ExitCodes.DATA_ERROR, CliEsMessages.ERROR_STORING_PASSWORD);
            }
        }
    }

    private Secret readPassword(String passwordOption, String hashingAlgorithm) throws CliException {
        if (passwordOption != null) {
            Secret password = Secret.of(passwordOption);
            requireValid(password, hashingAlgorithm);
            return password;
        }
        char[] first = terminal.readSecret(CliEsMessages.ENTER_NEW_PASSWORD);
        Secret password = Secret.copyOf(first);
        Arrays.fill(first, '\0');
        requireValid(password, hashingAlgorithm);
        char[] retyped = terminal.readSecret(CliEsMessages.RETYPE_NEW_PASSWORD);
        try {
            if (!password.constantTimeEquals(retyped)) {
                password.wipe();
                throw new CliException(ExitCodes.DATA_ERROR, CliEsMessages.PASSWORD_MISMATCH);
            }
        } finally {
            Arrays.fill(retyped, '\0');
        }
        return password;
    }

    /** Elasticsearch's rule, then the server's upper bounds for the password hashing algorithm. */
    private static void requireValid(Secret password, String hashingAlgorithm) throws CliException {
        char[] chars = password.reveal(SecretAccess.plaintext());
        Optional<String> error;
        try {
            error = Validation.Users.validatePassword(CharBuffer.wrap(chars))
                    .or(() -> Validation.Users.validatePasswordBytes(CharBuffer.wrap(chars), hashingAlgorithm));
        } finally {
            Arrays.fill(chars, '\0');
        }
        if (error.isPresent()) {
            password.wipe();
            throw new CliException(ExitCodes.DATA_ERROR, CliEsMessages.invalidPassword(error.get()));
        }
    }

    /**
     * {@code -r}/{@code -a} values: split on {@code ,} (Java's rules: trailing empty names dropped),
     * each a valid role name (reserved ones allowed); names that neither {@code roles.yml} nor the
     * reserved roles define only get Elasticsearch's warning.
     */
    private String[] parseRoles(String value) throws CliException {
        if (value == null || value.isEmpty()) {
            return new String[0];
        }
        String[] roles = value.split(",");
        for (String role : roles) {
            Optional<String> error = Validation.Roles.validateRoleName(role, true, r -> false);
            if (error.isPresent()) {
                throw new CliException(ExitCodes.DATA_ERROR, CliEsMessages.invalidRole(role, error.get()));
            }
        }
        Set<String> known = files.knownRoles();
        // Elasticsearch's Sets.difference: a HashSet, shown in its iteration order
        Set<String> unknown = new HashSet<>(Arrays.asList(roles)).stream().filter(r -> !known.contains(r))
                .collect(Collectors.toCollection(HashSet::new));
        if (!unknown.isEmpty()) {
            terminal.errorPrintln(CliEsMessages.unknownRolesWarning(String.join(",", unknown), files.rolesFile().toString()));
            terminal.errorPrintln(CliEsMessages.knownRoles(known.toString()));
        }
        return roles;
    }

    private SortedMap<String, String> requireUsers() throws CliException {
        SortedMap<String, String> users = files.readUsers();
        if (users == null) {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.configurationFileMissing(files.usersFile().toString()));
        }
        return users;
    }

    private SortedMap<String, List<String>> userRolesOrEmpty() throws CliException {
        SortedMap<String, List<String>> userRoles = files.readUserRoles();
        return userRoles == null ? new TreeMap<>() : new TreeMap<>(userRoles);
    }
}
