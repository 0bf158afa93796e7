package io.svctoken.core.authz.privilege;

import io.svctoken.core.authz.index.RestrictedIndices;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.MinimizationOperations;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Patterns as automata, so that "is everything this pattern names also named by those" is decided exactly (language
 * inclusion), as Elasticsearch decides privilege checks: {@code logs-*} is within a grant of {@code logs-*} but not
 * within {@code logs-a*}. A pattern is a Lucene regular expression between slashes, else a wildcard where {@code *}
 * is any run of characters, {@code ?} any one character and {@code \} makes the next one literal.
 */
public final class PatternAutomata {

    private static final int WORK_LIMIT = Operations.DEFAULT_DETERMINIZE_WORK_LIMIT;
    private static final Automaton RESTRICTED = patterns(RestrictedIndices.patterns());

    private PatternAutomata() {
    }

    /** One pattern (regular expression between slashes, else wildcard). */
    public static Automaton pattern(String pattern) {
        if (isRegex(pattern)) {
            return det(new RegExp(pattern.substring(1, pattern.length() - 1)).toAutomaton());
        }
        return wildcard(pattern);
    }

    /** Whether the text is a regular expression pattern ({@code /.../}). */
    public static boolean isRegex(String pattern) {
        return pattern.length() >= 2 && pattern.startsWith("/") && pattern.endsWith("/");
    }

    /** The union of the patterns; none is the empty language. */
    public static Automaton patterns(Collection<String> patterns) {
        List<Automaton> all = new ArrayList<>();
        for (String p : patterns) {
            all.add(pattern(p));
        }
        return all.isEmpty() ? Automata.makeEmpty() : det(Operations.union(all));
    }

    static Automaton wildcard(String text) {
        List<Automaton> parts = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int len = Character.charCount(c);
            if (c == '*') {
                parts.add(Automata.makeAnyString());
            } else if (c == '?') {
                parts.add(Automata.makeAnyChar());
            } else if (c == '\\' && i + len < text.length()) {
                int next = text.codePointAt(i + len);
                parts.add(Automata.makeChar(next));
                len += Character.charCount(next);
            } else {
                parts.add(Automata.makeChar(c));
            }
            i += len;
        }
        return parts.isEmpty() ? Automata.makeEmptyString() : det(Operations.concatenate(parts));
    }

    /** The names of the restricted (system) indices. */
    public static Automaton restrictedIndices() {
        return RESTRICTED;
    }

    public static Automaton minus(Automaton a, Automaton b) {
        return det(Operations.minus(a, b, WORK_LIMIT));
    }

    public static Automaton union(Automaton a, Automaton b) {
        return det(Operations.union(a, b));
    }

    public static Automaton intersection(Automaton a, Automaton b) {
        return det(Operations.intersection(a, b));
    }

    /** Whether every string {@code a} accepts, {@code b} accepts too. */
    public static boolean subsetOf(Automaton a, Automaton b) {
        return Operations.subsetOf(a, b);
    }

    public static boolean isEmpty(Automaton a) {
        return Operations.isEmpty(a);
    }

    /** Whether {@code a} accepts every string (decided on its minimal form, which is what Lucene's check reads). */
    public static boolean isTotal(Automaton a) {
        return Operations.isTotal(MinimizationOperations.minimize(a, WORK_LIMIT));
    }

    private static Automaton det(Automaton a) {
        return Operations.removeDeadStates(Operations.determinize(a, WORK_LIMIT));
    }
}
