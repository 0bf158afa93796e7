package io.svctoken.core.authz.privilege;

import org.apache.lucene.util.automaton.Automaton;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Privilege names of one application resolved to the action patterns they grant, as Elasticsearch's
 * {@code ApplicationPrivilege.get} does: a valid privilege name grants the actions of its stored definition (none
 * when it is not defined), anything else is itself an action pattern. Two are equal when application, names and
 * patterns are (a role's {@code read} of an application without definitions still matches a check of {@code read}).
 */
public record ApplicationPrivilege(String application, Set<String> names, Set<String> patterns) {

    /** Elasticsearch's rule for an application privilege name. */
    static final Pattern VALID_NAME = Pattern.compile("^[a-z][a-zA-Z0-9_.-]*$");
    private static final Pattern VALID_APPLICATION_PREFIX = Pattern.compile("^[a-z][A-Za-z0-9]*$");
    private static final Pattern WHITESPACE = Pattern.compile("[\\v\\h]");
    private static final Pattern VALID_NAME_OR_ACTION = Pattern.compile("^\\p{Graph}*$");
    /** Elasticsearch's file-name characters a suffix may not hold (a set there: its message's order is not fixed). */
    private static final String INVALID_FILENAME_CHARS = "\\/*?\"<>| ,";

    /**
     * Elasticsearch's application-name rule: a prefix of at least 3 ASCII letters or digits starting with a lower-case
     * letter, optionally {@code -} or {@code _} and a suffix of file-name characters, no whitespace; with
     * {@code allowWildcard} a trailing {@code *} (or {@code *} alone).
     *
     * @return Elasticsearch's message, or null when valid
     */
    public static String applicationNameProblem(String application, boolean allowWildcard) {
        if (application == null || application.isEmpty()) {
            return "Application names cannot be blank";
        }
        int asterisk = application.indexOf('*');
        if (asterisk != -1) {
            if (!allowWildcard) {
                return "Application names may not contain '*' (found '" + application + "')";
            }
            if (application.equals("*")) {
                return null;
            }
            if (asterisk != application.length() - 1) {
                return "Application name patterns only support trailing wildcards (found '" + application + "')";
            }
        }
        if (WHITESPACE.matcher(application).find()) {
            return "Application names may not contain whitespace (found '" + application + "')";
        }
        String[] parts = application.split("[_-]", 2);
        String prefix = parts[0];
        if (prefix.endsWith("*")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!VALID_APPLICATION_PREFIX.matcher(prefix).matches()) {
            return "An application name prefix must match the pattern " + VALID_APPLICATION_PREFIX.pattern() + " (found '" + prefix + "')";
        }
        if (prefix.length() < 3 && asterisk == -1) {
            return "An application name prefix must be at least 3 characters long (found '" + prefix + "')";
        }
        if (parts.length > 1) {
            String suffix = parts[1];
            if (allowWildcard && suffix.endsWith("*")) {
                suffix = suffix.substring(0, suffix.length() - 1);
            }
            for (int i = 0; i < suffix.length(); i++) {
                if (INVALID_FILENAME_CHARS.indexOf(suffix.charAt(i)) >= 0) {
                    return "An application name suffix may not contain any of the characters '" + INVALID_FILENAME_CHARS
                            + "' (found '" + suffix + "')";
                }
            }
        }
        return null;
    }

    /** @return Elasticsearch's message for an invalid privilege name, or null */
    public static String privilegeNameProblem(String name) {
        return VALID_NAME.matcher(name).matches() ? null
                : "Application privilege names must match the pattern " + VALID_NAME.pattern() + " (found '" + name + "')";
    }

    /** @return Elasticsearch's message for a privilege name or action with other than visible ASCII, or null */
    public static String privilegeOrActionProblem(String name) {
        return VALID_NAME_OR_ACTION.matcher(name).matches() ? null
                : "Application privilege names and actions must match the pattern " + VALID_NAME_OR_ACTION.pattern() + " (found '" + name + "')";
    }

    public Automaton automaton() {
        return PatternAutomata.patterns(patterns);
    }

    /**
     * The privileges {@code names} mean for {@code application}; for an application pattern ({@code kibana-*}), one per
     * stored application it matches, or one without definitions when it matches none.
     */
    public static Set<ApplicationPrivilege> get(String application, Collection<String> names, Collection<ApplicationPrivilegeDescriptor> stored) {
        if (names.isEmpty()) {
            return Set.of(new ApplicationPrivilege(application, Set.of("none"), Set.of()));
        }
        if (application.contains("*")) {
            Automaton app = PatternAutomata.pattern(application);
            Set<String> apps = stored.stream().map(ApplicationPrivilegeDescriptor::application)
                    .filter(a -> org.apache.lucene.util.automaton.Operations.run(app, a)).collect(Collectors.toCollection(TreeSet::new));
            if (!apps.isEmpty()) {
                Set<ApplicationPrivilege> out = new LinkedHashSet<>();
                apps.forEach(a -> out.add(resolve(a, names, stored)));
                return out;
            }
            return Set.of(resolve(application, names, Set.of()));
        }
        return Set.of(resolve(application, names, stored));
    }

    private static ApplicationPrivilege resolve(String application, Collection<String> names, Collection<ApplicationPrivilegeDescriptor> stored) {
        Map<String, ApplicationPrivilegeDescriptor> lookup = new HashMap<>();
        for (ApplicationPrivilegeDescriptor d : stored) {
            if (d.application().equals(application)) {
                lookup.put(d.name(), d);
            }
        }
        Set<String> patterns = new TreeSet<>();
        for (String n : names) {
            if (VALID_NAME.matcher(n).matches()) {
                ApplicationPrivilegeDescriptor d = lookup.get(n);
                if (d != null) {
                    patterns.addAll(d.actions());
                }
            } else {
                patterns.add(n);
            }
        }
        return new ApplicationPrivilege(application, Set.copyOf(names), Set.copyOf(patterns));
    }
}
