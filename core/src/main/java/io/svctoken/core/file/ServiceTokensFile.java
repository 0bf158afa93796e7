package io.svctoken.core.file;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.hash.NoopHasher;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code service_tokens} file format: {@code ns/svc/name:hash}
 * lines; {@code #} at the very start of a line is a comment; blank lines are skipped; the line is
 * trimmed; the key ends at the first {@code :}. Pure text in, text out: reading and writing the file
 * is the caller's job.
 */
public final class ServiceTokensFile {

    public static final String FILE_NAME = "service_tokens";

    /** What the parser noticed on one line (1-based line numbers, as Elasticsearch reports them). */
    public record Problem(int lineNumber, Kind kind, String key) {
        public enum Kind { MISSING_COLON, PLAINTEXT, DUPLICATE }

        /** Elasticsearch's wording for each case. */
        public String message(String path) {
            return switch (kind) {
                case MISSING_COLON -> "invalid format at line #" + lineNumber + " of service_tokens file [" + path + "] - missing ':' character - ";
                case PLAINTEXT -> "skipping plaintext service account token for key [" + key + "]";
                case DUPLICATE -> "found duplicated key [" + key + "], earlier entries are overridden";
            };
        }
    }

    /** The tokens (qualified name → hash, sorted) and what was skipped or overridden. */
    public record Parsed(SortedMap<String, String> tokens, List<Problem> problems) {
        public Parsed {
            tokens = Collections.unmodifiableSortedMap(new TreeMap<>(tokens));
            problems = List.copyOf(problems);
        }

        /** The first line without a colon, if any: Elasticsearch refuses such a file outright. */
        public Problem firstMissingColon() {
            return problems.stream().filter(p -> p.kind() == Problem.Kind.MISSING_COLON).findFirst().orElse(null);
        }
    }

    private ServiceTokensFile() {
    }

    /**
     * Parses every line. Lines without a colon are reported and skipped (callers decide whether that
     * is fatal); plaintext values are skipped; a later duplicate wins.
     */
    public static Parsed parse(List<String> lines) {
        SortedMap<String, String> tokens = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (raw.startsWith("#") || raw.isBlank()) {
                continue;
            }
            String line = raw.trim();
            int colon = line.indexOf(':');
            if (colon < 0) {
                problems.add(new Problem(i + 1, Problem.Kind.MISSING_COLON, null));
                continue;
            }
            String key = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (isPlaintext(hash)) {
                problems.add(new Problem(i + 1, Problem.Kind.PLAINTEXT, key));
                continue;
            }
            if (tokens.put(key, hash) != null) {
                problems.add(new Problem(i + 1, Problem.Kind.DUPLICATE, key));
            }
        }
        return new Parsed(tokens, problems);
    }

    /** Strict parsing as Elasticsearch's CLI and node start do: a line without a colon fails. */
    public static Parsed parseStrict(List<String> lines) {
        Parsed p = parse(lines);
        Problem bad = p.firstMissingColon();
        if (bad != null) {
            throw new IllegalStateException("Missing ':' character at line #" + bad.lineNumber());
        }
        return p;
    }

    /** The lines Elasticsearch writes: {@code key:hash}, sorted by key. */
    public static List<String> format(Map<String, String> tokens) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(tokens).forEach((k, v) -> out.add(k + ":" + v));
        return out;
    }

    private static boolean isPlaintext(String hash) {
        if (hash.isEmpty()) {
            return true;
        }
        try {
            return Hasher.resolveFromHash(hash) instanceof NoopHasher;
        } catch (IllegalArgumentException e) {
            return false; // a recognised prefix with bad parameters is a hash (it fails at verification, like Elasticsearch)
        }
    }
}
