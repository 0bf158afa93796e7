package io.svctoken.core.authz.privilege;

import org.apache.lucene.util.automaton.Automaton;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
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

    public Automaton automaton() {
        return PatternAutomata.patterns(patterns);
    }

    /**
     * The privileges {@code names} mean for {@code application}; for an application pattern ({@code kibana-*}), one per
     * stored application it matches, or one without definitions when it matches none.
     */
    public static Set<ApplicationPrivilege> get(String application, Collection<String> names, Collection<ApplicationPrivilegeDescriptor> stored) {
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
            String lower = n.toLowerCase(Locale.ROOT);
            if (VALID_NAME.matcher(lower).matches()) {
                ApplicationPrivilegeDescriptor d = lookup.get(lower);
                if (d != null) {
                    patterns.addAll(d.actions());
                }
            } else {
                patterns.add(lower);
            }
        }
        return new ApplicationPrivilege(application, Set.copyOf(names), Set.copyOf(patterns));
    }
}
