package io.svctoken.core.authz.index;

import io.svctoken.core.EsMessages;

import java.util.function.Predicate;

/**
 * One entry of a role's index {@code names}, as Elasticsearch's {@code Automatons.pattern} reads it:
 * {@code /.../} is a Lucene regular expression over the whole name ({@link LuceneRegExp}); anything else is a
 * simple wildcard where {@code *} matches any run of characters, {@code ?} any one character and {@code \}
 * makes the next character literal (a trailing {@code \} is itself literal).
 */
public final class NamePattern implements Predicate<String> {

    private final String source;
    private final LuceneRegExp regexp;

    private NamePattern(String source, LuceneRegExp regexp) {
        this.source = source;
        this.regexp = regexp;
    }

    /** @throws IllegalArgumentException for a {@code /} without the closing one, or a regexp outside the supported subset */
    public static NamePattern compile(String pattern) {
        if (pattern.startsWith("/")) {
            if (pattern.length() == 1 || !pattern.endsWith("/")) {
                throw new IllegalArgumentException(EsMessages.invalidIndexNamePattern(pattern));
            }
            return new NamePattern(pattern, LuceneRegExp.compile(pattern.substring(1, pattern.length() - 1)));
        }
        return new NamePattern(pattern, null);
    }

    /** Whether {@code text} contains Elasticsearch's wildcard {@code *} (how a request's index expression is told apart). */
    public static boolean isWildcard(String text) {
        return text.indexOf('*') >= 0;
    }

    /**
     * How a request's index expression matches a name ({@code Regex.simpleMatch}): only {@code *} is special;
     * {@code ?}, {@code \\} and {@code /} are literal there, unlike in a role's names.
     */
    public static boolean simpleMatch(String expression, String name) {
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '?' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return wildcard(escaped.toString(), name);
    }

    @Override
    public boolean test(String name) {
        return regexp != null ? regexp.matches(name) : wildcard(source, name);
    }

    /** The simple wildcard match, iterative with one back-track point (the last {@code *}). */
    static boolean wildcard(String p, String v) {
        int pi = 0;
        int vi = 0;
        int starP = -1;
        int starV = 0;
        while (vi < v.length()) {
            if (pi < p.length()) {
                char c = p.charAt(pi);
                if (c == '*') {
                    starP = ++pi;
                    starV = vi;
                    continue;
                }
                int len = 1;
                char want = c;
                boolean any = c == '?';
                if (c == '\\' && pi + 1 < p.length()) {
                    want = p.charAt(pi + 1);
                    len = 2;
                }
                if (any || v.charAt(vi) == want) {
                    pi += len;
                    vi++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            pi = starP;
            vi = ++starV;
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    @Override
    public String toString() {
        return source;
    }
}
