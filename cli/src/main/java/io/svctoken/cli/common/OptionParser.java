package io.svctoken.cli.common;

import io.svctoken.cli.CliEsMessages;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The command-line rules of Elasticsearch's tools, which use jopt-simple: short options ({@code -p x},
 * {@code -px}, {@code -p=x}, clusters such as {@code -sv}), long options ({@code --password x},
 * {@code --password=x}) and unique abbreviations of any option name ({@code --pass}), {@code --} ending
 * the options, non-option arguments anywhere (or, "posixly correct", everything from the first one on,
 * as {@code MultiCommand} parses). Errors carry jopt-simple's messages ({@code x is not a recognized
 * option}, {@code Option p/password requires an argument}, {@code Missing required option(s) [u/username]},
 * ...) as option errors: the tool prints its help and {@code ERROR: <message>}, exit 64.
 *
 * <p>{@link #help()} lays the options out as jopt-simple's help formatter does (80 columns, options
 * sorted by their first name, long descriptions wrapped with a two-space indent), without the trailing
 * spaces jopt-simple pads lines with.
 */
public final class OptionParser {

    /** One option: its names (short ones first), whether it takes a value, its help text. */
    public static final class Spec {
        private final List<String> names;
        private final String description;
        private final String argumentType;
        private final String defaultValue;
        private final boolean required;
        private Spec unavailableWith;

        private Spec(List<String> names, String description, String argumentType, String defaultValue, boolean required) {
            List<String> shortNames = new ArrayList<>();
            List<String> longNames = new ArrayList<>();
            for (String n : names) {
                (n.length() == 1 ? shortNames : longNames).add(n);
            }
            Collections.sort(shortNames);
            Collections.sort(longNames);
            List<String> arranged = new ArrayList<>(shortNames);
            arranged.addAll(longNames);
            this.names = List.copyOf(arranged);
            this.description = description;
            this.argumentType = argumentType;
            this.defaultValue = defaultValue;
            this.required = required;
        }

        public boolean takesArgument() {
            return argumentType != null;
        }

        /** jopt-simple's name of the option in messages: {@code p/password}. */
        public String displayName() {
            return String.join("/", names);
        }

        private String helpName() {
            StringBuilder sb = new StringBuilder(required ? "* " : "");
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                sb.append(n.length() > 1 ? "--" : "-").append(n);
                if (i < names.size() - 1) {
                    sb.append(", ");
                }
            }
            if (argumentType != null) {
                sb.append(" <").append(argumentType).append('>');
            }
            return sb.toString();
        }

        private String helpDescription() {
            return defaultValue == null ? description : (description + " (default: " + defaultValue + ")").trim();
        }
    }

    /** What the command line said. */
    public static final class Parsed {
        private final Map<Spec, List<String>> values;
        private final List<String> nonOptions;

        private Parsed(Map<Spec, List<String>> values, List<String> nonOptions) {
            this.values = values;
            this.nonOptions = List.copyOf(nonOptions);
        }

        public boolean has(Spec spec) {
            return values.containsKey(spec);
        }

        /** Every value given, in order; empty when the option is absent. */
        public List<String> valuesOf(Spec spec) {
            return List.copyOf(values.getOrDefault(spec, List.of()));
        }

        /**
         * The one value of the option, its default when absent (or {@code null}).
         *
         * @throws CliException jopt-simple's {@code Found multiple arguments for option p/password, but you asked for only one}
         */
        public String valueOf(Spec spec) throws CliException {
            List<String> v = values.get(spec);
            if (v == null || v.isEmpty()) {
                return spec.defaultValue;
            }
            if (v.size() > 1) {
                throw CliException.optionError(CliEsMessages.multipleArgumentsForOption(spec.displayName()));
            }
            return v.get(0);
        }

        public List<String> nonOptions() {
            return nonOptions;
        }
    }

    private final List<Spec> specs = new ArrayList<>();
    private final boolean posixlyCorrect;
    private String nonOptionsDescription;
    private Spec help;

    /** @param posixlyCorrect options end at the first non-option argument ({@code MultiCommand}) */
    public OptionParser(boolean posixlyCorrect) {
        this.posixlyCorrect = posixlyCorrect;
    }

    /** An option without a value. */
    public Spec flag(String description, String... names) {
        return add(new Spec(List.of(names), description, null, null, false));
    }

    /** An option with a required value, shown as {@code <type>} in help. */
    public Spec withArgument(String description, String type, String... names) {
        return add(new Spec(List.of(names), description, type, null, false));
    }

    /** As {@link #withArgument} with a default value (help shows {@code (default: <value>)}). */
    public Spec withArgumentDefault(String description, String type, String defaultValue, String... names) {
        return add(new Spec(List.of(names), description, type, defaultValue, false));
    }

    /** An option that must be given (unless help is asked for). */
    public Spec requiredWithArgument(String description, String type, String... names) {
        return add(new Spec(List.of(names), description, type, null, true));
    }

    /** The help option: while present, required and unavailable options are not checked. */
    public Spec helpFlag(String description, String... names) {
        help = flag(description, names);
        return help;
    }

    /** {@code option} may not be given together with {@code other} (jopt-simple's {@code availableUnless}). */
    public void unavailableWith(Spec option, Spec other) {
        option.unavailableWith = other;
    }

    /** Names the non-option arguments in help ({@code Non-option arguments:}). */
    public void nonOptions(String description) {
        this.nonOptionsDescription = description;
    }

    private Spec add(Spec spec) {
        specs.add(spec);
        return spec;
    }

    /**
     * @throws CliException an option error with jopt-simple's message
     */
    public Parsed parse(List<String> args) throws CliException {
        Map<Spec, List<String>> values = new LinkedHashMap<>();
        List<String> nonOptions = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i++);
            if (arg.equals("--")) {
                nonOptions.addAll(args.subList(i, args.size()));
                break;
            } else if (arg.startsWith("--")) {
                String body = arg.substring(2);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                Spec spec = find(name).orElseThrow(() -> CliException.optionError(CliEsMessages.notARecognizedOption(name)));
                i = handle(spec, eq < 0 ? null : body.substring(eq + 1), args, i, values);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                String body = arg.substring(1);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                Optional<Spec> whole = find(name);
                if (whole.isPresent()) {
                    i = handle(whole.get(), eq < 0 ? null : body.substring(eq + 1), args, i, values);
                } else {
                    i = cluster(body, args, i, values);
                }
            } else {
                nonOptions.add(arg);
                if (posixlyCorrect) {
                    nonOptions.addAll(args.subList(i, args.size()));
                    break;
                }
            }
        }
        boolean helpPresent = help != null && values.containsKey(help);
        if (!helpPresent) {
            List<String> missing = new ArrayList<>();
            for (Spec s : specs) {
                if (s.required && !values.containsKey(s)) {
                    missing.add(s.displayName());
                }
            }
            if (!missing.isEmpty()) {
                throw CliException.optionError(CliEsMessages.missingRequiredOptions(missing));
            }
            for (Spec s : specs) {
                if (s.unavailableWith != null && values.containsKey(s) && values.containsKey(s.unavailableWith)) {
                    throw CliException.optionError(CliEsMessages.optionsUnavailable(s.displayName()));
                }
            }
        }
        return new Parsed(values, nonOptions);
    }

    /** {@code -sv}, {@code -pSECRET}: letters up to the first that takes a value, which gets the rest. */
    private int cluster(String body, List<String> args, int i, Map<Spec, List<String>> values) throws CliException {
        for (char c : body.toCharArray()) {
            Optional<Spec> s = exact(String.valueOf(c));
            if (s.isEmpty()) {
                throw CliException.optionError(CliEsMessages.notARecognizedOption(String.valueOf(c)));
            }
            if (s.get().takesArgument()) {
                break;
            }
        }
        for (int k = 0; k < body.length(); k++) {
            Spec s = exact(String.valueOf(body.charAt(k))).orElseThrow();
            if (s.takesArgument() && k + 1 < body.length()) {
                return handle(s, body.substring(k + 1), args, i, values);
            }
            i = handle(s, null, args, i, values);
        }
        return i;
    }

    private static int handle(Spec spec, String attached, List<String> args, int i, Map<Spec, List<String>> values)
            throws CliException {
        List<String> v = values.computeIfAbsent(spec, k -> new ArrayList<>());
        if (!spec.takesArgument()) {
            return i;
        }
        if (attached != null) {
            v.add(attached);
            return i;
        }
        if (i >= args.size()) {
            throw CliException.optionError(CliEsMessages.optionRequiresArgument(spec.displayName()));
        }
        v.add(args.get(i));
        return i + 1;
    }

    private Optional<Spec> exact(String name) {
        return specs.stream().filter(s -> s.names.contains(name)).findFirst();
    }

    /** An exact name, else the only option one of whose names starts with {@code name}. */
    private Optional<Spec> find(String name) {
        Optional<Spec> exact = exact(name);
        if (exact.isPresent() || name.isEmpty()) {
            return exact;
        }
        List<Spec> candidates = specs.stream().filter(s -> s.names.stream().anyMatch(n -> n.startsWith(name))).toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    /** The option table, preceded by the non-option section when {@link #nonOptions} named them. */
    public String help() {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        if (nonOptionsDescription != null) {
            sb.append("Non-option arguments:").append(nl).append(nonOptionsDescription).append(nl).append(nl);
        }
        List<Spec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparing(s -> s.names.get(0)));
        boolean anyRequired = specs.stream().anyMatch(s -> s.required);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{anyRequired ? "Option (* = required)" : "Option", "Description"});
        rows.add(new String[]{anyRequired ? "---------------------" : "------", "-----------"});
        for (Spec s : sorted) {
            rows.add(new String[]{s.helpName(), s.helpDescription()});
        }
        int optionWidth = Math.min((80 - 2) / 2, rows.stream().mapToInt(r -> r[0].length()).max().orElse(0));
        int widestDescription = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        int descriptionWidth = Math.min(80 - optionWidth - 2, widestDescription);
        for (String[] row : rows) {
            List<String> left = pieces(row[0], optionWidth);
            List<String> right = pieces(row[1], descriptionWidth);
            for (int k = 0; k < Math.max(left.size(), right.size()); k++) {
                String l = k < left.size() ? left.get(k) : "";
                String r = k < right.size() ? right.get(k) : "";
                String line = l + " ".repeat(Math.max(0, optionWidth - l.length())) + "  " + r;
                sb.append(line.stripTrailing()).append(nl);
            }
        }
        return sb.toString();
    }

    /** jopt-simple's word wrap: a piece that would overflow starts a new line indented by two spaces. */
    private static List<String> pieces(String text, int width) {
        List<String> pieces = new ArrayList<>();
        String line = text.trim();
        BreakIterator words = BreakIterator.getLineInstance(Locale.US);
        words.setText(line);
        StringBuilder next = new StringBuilder();
        int start = words.first();
        for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
            String word = line.substring(start, end);
            if (next.length() + word.length() > width) {
                pieces.add(next.toString().stripTrailing());
                next = new StringBuilder("  ").append(word);
            } else {
                next.append(word);
            }
        }
        if (next.length() > 0) {
            pieces.add(next.toString());
        }
        if (pieces.isEmpty()) {
            pieces.add("");
        }
        return pieces;
    }


    @Override
    public String toString() {
        return "OptionParser" + Arrays.toString(specs.stream().map(Spec::displayName).toArray());
    }
}
