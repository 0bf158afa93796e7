package io.svctoken.core.file;

import io.svctoken.core.EsMessages;
import io.svctoken.core.user.ReservedUsers;
import io.svctoken.core.user.Validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The file realm's {@code users} file: {@code username:hash} lines. A line
 * whose raw text starts with {@code #} is a comment; every other line is trimmed; a line without a
 * {@code :}, or with the {@code :} first or last, is skipped (blank lines too, with the same error);
 * the user name is what precedes the first {@code :} and must pass
 * {@link Validation.Users#validateUsername}; reserved names are refused while the reserved realm is
 * enabled. The hash is not checked here. A later line for the same user wins, silently. Pure text in,
 * text out: reading and writing the file is the caller's job.
 */
public final class UsersFile {

    public static final String FILE_NAME = "users";

    /** What the parser refused on one line (1-based line numbers, as Elasticsearch reports them). */
    public record Problem(int lineNumber, Kind kind, String username, String reason) {
        public enum Kind { INVALID_ENTRY, INVALID_USERNAME }

        /** Elasticsearch's ERROR text; {@code absPath} is the file's absolute path. */
        public String message(String absPath) {
            return switch (kind) {
                case INVALID_ENTRY -> EsMessages.invalidUsersFileEntry(absPath, lineNumber);
                case INVALID_USERNAME -> EsMessages.invalidUsernameInUsersFile(username, absPath, reason);
            };
        }
    }

    /** The users (name → hash, sorted by name) and the skipped lines. */
    public record Parsed(SortedMap<String, String> users, List<Problem> problems) {
        public Parsed {
            users = Collections.unmodifiableSortedMap(new TreeMap<>(users));
            problems = List.copyOf(problems);
        }
    }

    private UsersFile() {
    }

    /** With the reserved realm enabled (the default), so {@code elastic} and friends are refused. */
    public static Parsed parse(List<String> lines) {
        return parse(lines, ReservedUsers.DEFAULT);
    }

    /** {@code reserved} carries {@code xpack.security.authc.reserved_realm.enabled} and the anonymous user name. */
    public static Parsed parse(List<String> lines, ReservedUsers reserved) {
        boolean allowReserved = !reserved.reservedRealmEnabled();
        SortedMap<String, String> users = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (raw.startsWith("#")) {
                continue;
            }
            String line = raw.trim();
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                problems.add(new Problem(i + 1, Problem.Kind.INVALID_ENTRY, null, null));
                continue;
            }
            String username = line.substring(0, colon);
            Optional<String> error = Validation.Users.validateUsername(username, allowReserved, reserved);
            if (error.isPresent()) {
                problems.add(new Problem(i + 1, Problem.Kind.INVALID_USERNAME, username, error.get()));
                continue;
            }
            users.put(username, line.substring(colon + 1));
        }
        return new Parsed(users, problems);
    }

    /**
     * The lines Elasticsearch's writer produces, {@code username:hash}, one per user. Elasticsearch
     * writes them in {@code HashMap} order; these are sorted by user name so the output is stable.
     */
    public static List<String> format(Map<String, String> users) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(users).forEach((u, h) -> out.add(u + ":" + h));
        return out;
    }
}
