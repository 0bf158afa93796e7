package io.svctoken.core.authz.index;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Lucene-syntax regular expression over a whole name, as a role's {@code /.../} index pattern is read
 * (Lucene's {@code RegExp} with its default flags). Matching uses Brzozowski derivatives, so intersection
 * ({@code &}) and complement ({@code ~}) work exactly, without building an automaton.
 *
 * <p>Supported: characters and {@code \}-escapes, {@code .}, {@code [...]} / {@code [^...]} with ranges,
 * {@code \d \D \s \S \w \W}, {@code "literal"}, {@code ()} (the empty string), {@code (...)}, {@code |},
 * {@code &}, {@code ~}, {@code * + ?}, {@code {n}}, {@code {n,}}, {@code {n,m}}, {@code @} (any string),
 * {@code #} (nothing). Refused with an {@link IllegalArgumentException}: numeric intervals and named
 * automata ({@code <...>}), which no built-in role uses.
 */
public final class LuceneRegExp {

    private static final int MAX_REPEAT = 1000;

    private final Node root;

    private LuceneRegExp(Node root) {
        this.root = root;
    }

    /** Parses {@code regex} (without the surrounding slashes). */
    public static LuceneRegExp compile(String regex) {
        Parser p = new Parser(regex);
        Node n = p.union();
        if (p.pos < regex.length()) {
            throw new IllegalArgumentException("end-of-string expected at position " + p.pos + " in regexp [" + regex + "]");
        }
        return new LuceneRegExp(n);
    }

    /** Whether the whole of {@code s} matches. */
    public boolean matches(String s) {
        Node n = root;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            n = derive(n, c);
            if (n instanceof Nothing) {
                return false;
            }
            i += Character.charCount(c);
        }
        return nullable(n);
    }

    // ------------------------------------------------------------------ the expression tree

    sealed interface Node permits Nothing, Empty, Chars, Cat, Or, And, Not, Star {
    }

    /** No string. */
    record Nothing() implements Node {
    }

    /** The empty string. */
    record Empty() implements Node {
    }

    /** One character from the ranges (pairs of inclusive bounds), or not from them when {@code negated}. */
    record Chars(List<Integer> ranges, boolean negated) implements Node {
        boolean has(int c) {
            for (int i = 0; i < ranges.size(); i += 2) {
                if (c >= ranges.get(i) && c <= ranges.get(i + 1)) {
                    return !negated;
                }
            }
            return negated;
        }
    }

    record Cat(Node a, Node b) implements Node {
    }

    record Or(Set<Node> all) implements Node {
    }

    record And(Set<Node> all) implements Node {
    }

    record Not(Node a) implements Node {
    }

    record Star(Node a) implements Node {
    }

    private static final Node NOTHING = new Nothing();
    private static final Node EMPTY = new Empty();
    private static final Node ANY_CHAR = new Chars(List.of(), true);

    static Node cat(Node a, Node b) {
        if (a instanceof Nothing || b instanceof Nothing) {
            return NOTHING;
        }
        if (a instanceof Empty) {
            return b;
        }
        if (b instanceof Empty) {
            return a;
        }
        return new Cat(a, b);
    }

    static Node or(Node a, Node b) {
        Set<Node> all = new LinkedHashSet<>();
        for (Node n : List.of(a, b)) {
            if (n instanceof Or o) {
                all.addAll(o.all());
            } else if (!(n instanceof Nothing)) {
                all.add(n);
            }
        }
        if (all.isEmpty()) {
            return NOTHING;
        }
        return all.size() == 1 ? all.iterator().next() : new Or(Set.copyOf(all));
    }

    static Node and(Node a, Node b) {
        if (a instanceof Nothing || b instanceof Nothing) {
            return NOTHING;
        }
        Set<Node> all = new LinkedHashSet<>();
        for (Node n : List.of(a, b)) {
            if (n instanceof And x) {
                all.addAll(x.all());
            } else {
                all.add(n);
            }
        }
        return all.size() == 1 ? all.iterator().next() : new And(Set.copyOf(all));
    }

    static Node not(Node a) {
        return a instanceof Not n ? n.a() : new Not(a);
    }

    static Node star(Node a) {
        if (a instanceof Star || a instanceof Empty) {
            return a;
        }
        return a instanceof Nothing ? EMPTY : new Star(a);
    }

    static boolean nullable(Node n) {
        if (n instanceof Empty || n instanceof Star) {
            return true;
        }
        if (n instanceof Cat c) {
            return nullable(c.a()) && nullable(c.b());
        }
        if (n instanceof Or o) {
            return o.all().stream().anyMatch(LuceneRegExp::nullable);
        }
        if (n instanceof And a) {
            return a.all().stream().allMatch(LuceneRegExp::nullable);
        }
        if (n instanceof Not x) {
            return !nullable(x.a());
        }
        return false; // Nothing, Chars
    }

    /** The strings {@code w} such that {@code c w} is in {@code n}. */
    static Node derive(Node n, int c) {
        if (n instanceof Chars x) {
            return x.has(c) ? EMPTY : NOTHING;
        }
        if (n instanceof Cat x) {
            Node first = cat(derive(x.a(), c), x.b());
            return nullable(x.a()) ? or(first, derive(x.b(), c)) : first;
        }
        if (n instanceof Or x) {
            Node out = NOTHING;
            for (Node m : x.all()) {
                out = or(out, derive(m, c));
            }
            return out;
        }
        if (n instanceof And x) {
            Node out = null;
            for (Node m : x.all()) {
                Node d = derive(m, c);
                out = out == null ? d : and(out, d);
            }
            return out;
        }
        if (n instanceof Not x) {
            return not(derive(x.a(), c));
        }
        if (n instanceof Star x) {
            return cat(derive(x.a(), c), x);
        }
        return NOTHING; // Nothing, Empty
    }

    // ------------------------------------------------------------------ Lucene's grammar, recursive descent

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        private boolean more() {
            return pos < s.length();
        }

        private int peek() {
            return s.codePointAt(pos);
        }

        private boolean take(char c) {
            if (more() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private int next() {
            if (!more()) {
                throw bad("unexpected end of regexp");
            }
            int c = s.codePointAt(pos);
            pos += Character.charCount(c);
            return c;
        }

        private IllegalArgumentException bad(String what) {
            return new IllegalArgumentException(what + " at position " + pos + " in regexp [" + s + "]");
        }

        Node union() {
            Node n = inter();
            while (take('|')) {
                n = or(n, inter());
            }
            return n;
        }

        Node inter() {
            Node n = concat();
            while (take('&')) {
                n = and(n, concat());
            }
            return n;
        }

        Node concat() {
            Node n = EMPTY;
            boolean any = false;
            while (more() && ")|&".indexOf(s.charAt(pos)) < 0) {
                n = any ? cat(n, repeat()) : repeat();
                any = true;
            }
            return n;
        }

        Node repeat() {
            Node n = complement();
            while (more()) {
                if (take('?')) {
                    n = or(n, EMPTY);
                } else if (take('*')) {
                    n = star(n);
                } else if (take('+')) {
                    n = cat(n, star(n));
                } else if (take('{')) {
                    int min = number();
                    int max = min;
                    if (take(',')) {
                        max = more() && Character.isDigit(s.charAt(pos)) ? number() : -1;
                    }
                    if (!take('}')) {
                        throw bad("expected '}'");
                    }
                    if (max != -1 && max < min) {
                        throw bad("repeat bounds out of order");
                    }
                    n = repeat(n, min, max);
                } else {
                    break;
                }
            }
            return n;
        }

        private int number() {
            int start = pos;
            while (more() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw bad("integer expected");
            }
            int v = Integer.parseInt(s.substring(start, Math.min(pos, start + 6)));
            if (v > MAX_REPEAT) {
                throw bad("repeat count above " + MAX_REPEAT);
            }
            return v;
        }

        private static Node repeat(Node n, int min, int max) {
            Node out = EMPTY;
            for (int i = 0; i < min; i++) {
                out = cat(out, n);
            }
            if (max == -1) {
                return cat(out, star(n));
            }
            Node optional = EMPTY;
            for (int i = min; i < max; i++) {
                optional = or(EMPTY, cat(n, optional));
            }
            return cat(out, optional);
        }

        Node complement() {
            if (take('~')) {
                return not(complement());
            }
            return charClassOrSimple();
        }

        Node charClassOrSimple() {
            if (take('[')) {
                boolean negated = take('^');
                List<Integer> ranges = new ArrayList<>();
                boolean negatedShorthand = false;
                do {
                    if (more() && s.charAt(pos) == '\\' && pos + 1 < s.length() && "dDsSwW".indexOf(s.charAt(pos + 1)) >= 0) {
                        pos++;
                        Chars sh = shorthand(next());
                        if (sh.negated()) {
                            negatedShorthand = true;
                        }
                        ranges.addAll(sh.ranges());
                        continue;
                    }
                    int from = charExp();
                    int to = from;
                    if (more() && s.charAt(pos) == '-' && pos + 1 < s.length() && s.charAt(pos + 1) != ']') {
                        pos++;
                        to = charExp();
                        if (to < from) {
                            throw bad("invalid character class range");
                        }
                    }
                    ranges.add(from);
                    ranges.add(to);
                } while (more() && s.charAt(pos) != ']');
                if (!take(']')) {
                    throw bad("expected ']'");
                }
                if (negatedShorthand) {
                    throw bad("negated shorthand classes inside [...] are not supported");
                }
                return new Chars(List.copyOf(ranges), negated);
            }
            return simple();
        }

        Node simple() {
            if (take('.')) {
                return ANY_CHAR;
            }
            if (take('#')) {
                return NOTHING;
            }
            if (take('@')) {
                return star(ANY_CHAR);
            }
            if (take('"')) {
                int end = s.indexOf('"', pos);
                if (end < 0) {
                    throw bad("expected '\"'");
                }
                Node n = EMPTY;
                String lit = s.substring(pos, end);
                for (int i = 0; i < lit.length(); ) {
                    int c = lit.codePointAt(i);
                    n = cat(n, single(c));
                    i += Character.charCount(c);
                }
                pos = end + 1;
                return n;
            }
            if (take('(')) {
                if (take(')')) {
                    return EMPTY;
                }
                Node n = union();
                if (!take(')')) {
                    throw bad("expected ')'");
                }
                return n;
            }
            if (more() && s.charAt(pos) == '<') {
                throw new IllegalArgumentException("numeric intervals and named automata (<...>) are not supported in index name"
                        + " patterns, in regexp [" + s + "]");
            }
            if (more() && s.charAt(pos) == '\\' && pos + 1 < s.length() && "dDsSwW".indexOf(s.charAt(pos + 1)) >= 0) {
                pos++;
                return shorthand(next());
            }
            return single(charExp());
        }

        private int charExp() {
            if (take('\\')) {
                return next();
            }
            if (!more()) {
                throw bad("unexpected end of regexp");
            }
            int c = peek();
            if ("*+?{}|&~)]".indexOf(c) >= 0 && c < 128) {
                throw bad("unexpected '" + (char) c + "'");
            }
            return next();
        }

        private static Chars shorthand(int c) {
            return switch (c) {
                case 'd' -> new Chars(List.of((int) '0', (int) '9'), false);
                case 'D' -> new Chars(List.of((int) '0', (int) '9'), true);
                case 's' -> new Chars(WHITESPACE, false);
                case 'S' -> new Chars(WHITESPACE, true);
                case 'w' -> new Chars(WORD, false);
                default -> new Chars(WORD, true);
            };
        }
    }

    private static final List<Integer> WHITESPACE = List.of(9, 13, 32, 32);
    private static final List<Integer> WORD = List.of((int) '0', (int) '9', (int) 'A', (int) 'Z', (int) '_', (int) '_', (int) 'a', (int) 'z');

    private static Node single(int c) {
        return new Chars(List.of(c, c), false);
    }
}
