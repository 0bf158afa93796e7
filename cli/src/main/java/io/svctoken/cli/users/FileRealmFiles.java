package io.svctoken.cli.users;

import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.common.CliException;
import io.svctoken.cli.common.ExitCodes;
import io.svctoken.cli.common.SecurityFileOutput;
import io.svctoken.cli.common.Terminal;
import io.svctoken.cli.common.ToolEnvironment;
import io.svctoken.cli.files.FileAttributes;
import io.svctoken.cli.files.PermissionHints;
import io.svctoken.core.file.UsersFile;
import io.svctoken.core.file.UsersRolesFile;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.role.RolesFile;
import io.svctoken.core.user.ReservedUsers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The file realm's files in the config directory as the tools see them:
 * {@code users} and {@code users_roles} read with the realm's parsers (bad lines are dropped, reported
 * with {@code -v}), written back whole through {@link SecurityFileOutput}; {@code roles.yml} for its
 * role names. A missing {@code users} or {@code users_roles} reads as {@code null}, as
 * Elasticsearch's parsers answer, and each caller decides what that means.
 */
public final class FileRealmFiles {

    private final Terminal terminal;
    private final Path users;
    private final Path usersRoles;
    private final Path roles;
    private final ReservedUsers reservedUsers;
    private final ReservedRoles reservedRoles;

    private FileRealmFiles(Terminal terminal, Path configDir, ReservedUsers reservedUsers, ReservedRoles reservedRoles) {
        this.terminal = terminal;
        Path dir = configDir.toAbsolutePath().normalize();
        this.users = dir.resolve(UsersFile.FILE_NAME);
        this.usersRoles = dir.resolve(UsersRolesFile.FILE_NAME);
        this.roles = dir.resolve(RolesFile.FILE_NAME);
        this.reservedUsers = reservedUsers;
        this.reservedRoles = reservedRoles;
    }

    public static FileRealmFiles of(Terminal terminal, ToolEnvironment env) throws CliException {
        return new FileRealmFiles(terminal, env.configDir(), env.reservedUsers(), ReservedRoles.forVersion(env.compatibility()));
    }

    /** {@code <config>/users}, absolute. */
    public Path usersFile() {
        return users;
    }

    /** {@code <config>/users_roles}, absolute. */
    public Path usersRolesFile() {
        return usersRoles;
    }

    /** {@code <config>/roles.yml}, absolute. */
    public Path rolesFile() {
        return roles;
    }

    public ReservedUsers reservedUsers() {
        return reservedUsers;
    }

    /**
     * User name → hash, sorted; {@code null} when the file does not exist.
     *
     * @throws CliException 70, {@code could not read users file [<path>]: <cause>} with a hint
     */
    public SortedMap<String, String> readUsers() throws CliException {
        List<String> lines = readLines(users, "users");
        if (lines == null) {
            return null;
        }
        UsersFile.Parsed parsed = UsersFile.parse(lines, reservedUsers);
        parsed.problems().forEach(p -> terminal.verboseErrorPrintln("WARNING: " + p.message(users.toString())));
        return parsed.users();
    }

    /**
     * User name → roles (users sorted, roles in file order); {@code null} when the file does not exist.
     *
     * @throws CliException 70, {@code could not read users_roles file [<path>]: <cause>} with a hint
     */
    public SortedMap<String, List<String>> readUserRoles() throws CliException {
        List<String> lines = readLines(usersRoles, "users_roles");
        if (lines == null) {
            return null;
        }
        UsersRolesFile.Parsed parsed = UsersRolesFile.parse(lines);
        parsed.problems().forEach(p -> terminal.verboseErrorPrintln("WARNING: " + p.message(usersRoles.toString())));
        return parsed.userRoles();
    }

    public void writeUsers(Map<String, String> entries) throws CliException {
        SecurityFileOutput.write(terminal, users, UsersFile.format(entries));
    }

    public void writeUserRoles(Map<String, ? extends Collection<String>> entries) throws CliException {
        SecurityFileOutput.write(terminal, usersRoles, UsersRolesFile.format(entries));
    }

    /**
     * The roles of {@code roles.yml} plus the reserved roles, as Elasticsearch's {@code Sets.union}
     * builds them (a {@code HashSet}, whose order its messages show). A missing or unreadable
     * {@code roles.yml} has no roles.
     */
    public Set<String> knownRoles() {
        Set<String> known = new HashSet<>(fileRoleNames());
        known.addAll(reservedRoles.names());
        return known;
    }

    private Set<String> fileRoleNames() {
        if (!Files.exists(roles)) {
            return Set.of();
        }
        try {
            return RolesFile.parse(Files.readAllLines(roles, StandardCharsets.UTF_8), reservedRoles).roles().keySet();
        } catch (IOException e) {
            terminal.verboseErrorPrintln("WARNING: failed to read roles file [" + roles + "]: " + e);
            return Set.of();
        }
    }

    /** The attributes of both realm files now; see {@link #warnAttributeChanges}. */
    public Map<Path, Optional<FileAttributes>> snapshot() {
        return SecurityFileOutput.snapshot(users, usersRoles);
    }

    /** Elasticsearch's {@code FileAttributesChecker.check}: warns about every change since {@code before}. */
    public void warnAttributeChanges(Map<Path, Optional<FileAttributes>> before) {
        SecurityFileOutput.warnAttributeChanges(terminal, before);
    }

    private static List<String> readLines(Path file, String kind) throws CliException {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.withHints(ExitCodes.CODE_ERROR, CliEsMessages.couldNotReadFile(kind, file.toString()) + ": " + e,
                    PermissionHints.forRead(file, e), e);
        }
    }
}
