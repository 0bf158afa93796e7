package io.svctoken.core.authz.privilege;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authz.index.IndexPrivileges;
import io.svctoken.core.authz.index.RestrictedIndices;
import io.svctoken.core.error.InvalidRequestException;
import io.svctoken.core.role.BuiltinPrivileges;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Elasticsearch's has_privileges decision: which of the asked privileges a caller holds. A privilege is held when
 * everything it covers is granted, decided on automata as Elasticsearch does: a cluster privilege or action pattern
 * when its actions lie within the actions the roles grant; an index privilege on a pattern when the pattern's names
 * lie within one granting group's names (restricted names left out unless asked for or allowed); an application
 * privilege on a resource when one role entry covers its actions and the resource.
 *
 * <p>A caller is one or more layers of role descriptors and must hold a privilege in every layer: an API key's own
 * descriptors and its owner's.
 */
public final class PrivilegeCheck {

    public record IndexCheck(List<String> names, List<String> privileges, boolean allowRestricted) {
    }

    public record ApplicationCheck(String application, List<String> privileges, List<String> resources) {
    }

    public record Request(List<String> cluster, List<IndexCheck> index, List<ApplicationCheck> application) {

        /** From the display form {@code RoleDescriptors.parsePrivilegesToCheck} returns. */
        public static Request of(JsonNode checks) {
            List<String> cluster = strings(checks.path("cluster"));
            List<IndexCheck> index = new ArrayList<>();
            for (JsonNode g : checks.path("index")) {
                index.add(new IndexCheck(strings(g.path("names")), strings(g.path("privileges")), g.path("allow_restricted_indices").asBoolean(false)));
            }
            List<ApplicationCheck> apps = new ArrayList<>();
            for (JsonNode a : checks.path("application")) {
                apps.add(new ApplicationCheck(a.path("application").asText(), strings(a.path("privileges")), strings(a.path("resources"))));
            }
            return new Request(cluster, index, apps);
        }
    }

    /**
     * The answer: {@code cluster} in the order a Java hash map gives (as Elasticsearch prints it), resources sorted,
     * each resource's privileges likewise in hash-map order.
     */
    public record Result(boolean hasAllRequested, Map<String, Boolean> cluster, Map<String, Map<String, Boolean>> index,
                         Map<String, Map<String, Map<String, Boolean>>> application) {
    }

    private PrivilegeCheck() {
    }

    /** Checks the request against every layer; a privilege is held only when every layer holds it. */
    public static Result check(List<List<RoleDescriptor>> layers, Request request, Collection<ApplicationPrivilegeDescriptor> stored) {
        validate(request);
        List<Permission> permissions = layers.stream().map(l -> Permission.of(l, stored)).toList();
        boolean all = true;
        Map<String, Boolean> cluster = new HashMap<>();
        for (String c : request.cluster()) {
            boolean held = permissions.stream().allMatch(p -> p.grantsCluster(c));
            cluster.put(c, held);
            all &= held;
        }
        Map<String, Map<String, Boolean>> index = new TreeMap<>();
        for (IndexCheck check : request.index()) {
            for (String name : check.names()) {
                Map<String, Boolean> privileges = index.computeIfAbsent(name, k -> new HashMap<>());
                for (String privilege : check.privileges()) {
                    boolean held = permissions.stream().allMatch(p -> p.grantsIndex(name, check.allowRestricted(), privilege));
                    privileges.merge(privilege, held, Boolean::logicalAnd);
                    all &= held;
                }
            }
        }
        Map<String, Map<String, Map<String, Boolean>>> application = new TreeMap<>();
        for (ApplicationCheck check : request.application()) {
            Map<String, Map<String, Boolean>> resources = application.computeIfAbsent(check.application(), k -> new TreeMap<>());
            for (String resource : check.resources()) {
                Map<String, Boolean> privileges = resources.computeIfAbsent(resource, k -> new HashMap<>());
                for (String privilege : check.privileges()) {
                    for (ApplicationPrivilege asked : ApplicationPrivilege.get(check.application(), List.of(privilege), stored)) {
                        boolean held = permissions.stream().allMatch(p -> p.grantsApplication(asked, resource));
                        privileges.merge(privilege, held, Boolean::logicalAnd);
                        all &= held;
                    }
                }
            }
        }
        return new Result(all, cluster, index, application);
    }

    /** Unknown privilege names are Elasticsearch's 400, before anything is checked. */
    private static void validate(Request request) {
        for (String c : request.cluster()) {
            BuiltinPrivileges.checkClusterPrivilege(c).ifPresent(m -> {
                throw InvalidRequestException.illegalArgument(m);
            });
        }
        for (IndexCheck check : request.index()) {
            for (String p : check.privileges()) {
                BuiltinPrivileges.checkIndexPrivileges(List.of(p)).ifPresent(m -> {
                    throw InvalidRequestException.illegalArgument(m);
                });
            }
        }
    }

    /** The actions a cluster entry (a privilege name or an action pattern) stands for, and whether it is {@code manage_own_api_key}'s kind. */
    private record ClusterEntry(Automaton actions, boolean conditional) {

        static ClusterEntry of(String privilege) {
            return BuiltinPrivileges.cluster(privilege)
                    .map(c -> new ClusterEntry(PatternAutomata.minus(PatternAutomata.patterns(c.include()), PatternAutomata.patterns(c.exclude())),
                            c.conditional()))
                    // an action (pattern) means itself and everything below it (Privilege.actionToPattern)
                    .orElseGet(() -> new ClusterEntry(PatternAutomata.pattern(privilege.toLowerCase(Locale.ROOT) + "*"), false));
        }
    }

    /** The action patterns an index privilege name or action stands for. */
    private static Automaton indexActions(Collection<String> privileges) {
        List<String> patterns = new ArrayList<>();
        for (String p : privileges) {
            String lower = p.toLowerCase(Locale.ROOT);
            IndexPrivileges.patterns(lower).ifPresentOrElse(patterns::addAll, () -> {
                if (BuiltinPrivileges.isIndexAction(lower)) {
                    patterns.add(lower.endsWith("*") ? lower : lower + "*");
                }
            });
        }
        return PatternAutomata.patterns(patterns);
    }

    /** An index group: the actions its privileges grant on the names it covers. */
    private record IndexGroup(Automaton actions, Automaton names) {
    }

    /** An application entry of a role: a resolved privilege and the resources it applies to. */
    private record AppEntry(ApplicationPrivilege privilege, Automaton actions, Automaton application, Automaton resources) {

        boolean matches(ApplicationPrivilege other, Automaton otherActions) {
            if (privilege.equals(other)) {
                return true;
            }
            if (!org.apache.lucene.util.automaton.Operations.run(application, other.application())) {
                return false;
            }
            if (PatternAutomata.isTotal(actions)) {
                return true;
            }
            return !PatternAutomata.isEmpty(actions) && !PatternAutomata.isEmpty(otherActions)
                    && PatternAutomata.subsetOf(otherActions, actions);
        }
    }

    /** What one layer of role descriptors grants. */
    private record Permission(Automaton clusterActions, boolean ownApiKeys, List<IndexGroup> groups, List<AppEntry> apps) {

        static Permission of(List<RoleDescriptor> descriptors, Collection<ApplicationPrivilegeDescriptor> stored) {
            Automaton cluster = Automata.makeEmpty();
            boolean own = false;
            Map<String, IndexGroup> byPrivileges = new LinkedHashMap<>();
            Map<ApplicationPrivilege, List<String>> apps = new LinkedHashMap<>();
            for (RoleDescriptor rd : descriptors) {
                for (String c : rd.cluster()) {
                    if (BuiltinPrivileges.checkClusterPrivilege(c).isPresent()) {
                        continue; // an unknown name grants nothing
                    }
                    ClusterEntry e = ClusterEntry.of(c);
                    if (e.conditional()) {
                        own = true;
                    } else {
                        cluster = PatternAutomata.union(cluster, e.actions());
                    }
                }
                JsonNode display = rd.toDisplayJson();
                for (JsonNode g : display.path("indices")) {
                    List<String> privileges = strings(g.path("privileges"));
                    List<String> names = strings(g.path("names"));
                    if (names.isEmpty() && g.path("names").isTextual()) {
                        names = List.of(g.path("names").asText());
                    }
                    Automaton nameAutomaton = names(names);
                    if (!g.path("allow_restricted_indices").asBoolean(false)) {
                        nameAutomaton = PatternAutomata.minus(nameAutomaton, PatternAutomata.restrictedIndices());
                    }
                    // groups with the same privileges cover the union of their names (IndicesPermission's index group automatons)
                    String key = new java.util.TreeSet<>(privileges.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList()).toString();
                    Automaton names0 = nameAutomaton;
                    byPrivileges.merge(key, new IndexGroup(indexActions(privileges), names0),
                            (a, b) -> new IndexGroup(a.actions(), PatternAutomata.union(a.names(), b.names())));
                }
                for (JsonNode a : display.path("applications")) {
                    List<String> resources = strings(a.path("resources"));
                    for (ApplicationPrivilege p : ApplicationPrivilege.get(a.path("application").asText(), strings(a.path("privileges")), stored)) {
                        apps.computeIfAbsent(p, k -> new ArrayList<>()).addAll(resources);
                    }
                }
            }
            List<AppEntry> entries = new ArrayList<>();
            apps.forEach((p, resources) -> entries.add(new AppEntry(p, p.automaton(), PatternAutomata.pattern(p.application()),
                    PatternAutomata.patterns(resources))));
            return new Permission(cluster, own, List.copyOf(byPrivileges.values()), entries);
        }

        boolean grantsCluster(String privilege) {
            ClusterEntry asked = ClusterEntry.of(privilege);
            if (asked.conditional()) {
                return ownApiKeys; // only manage_own_api_key itself implies it
            }
            return PatternAutomata.subsetOf(asked.actions(), clusterActions);
        }

        boolean grantsIndex(String pattern, boolean allowRestricted, String privilege) {
            Automaton asked = PatternAutomata.pattern(pattern);
            if (!allowRestricted && !isConcreteRestricted(pattern)) {
                asked = PatternAutomata.minus(asked, PatternAutomata.restrictedIndices());
            }
            if (PatternAutomata.isEmpty(asked)) {
                return true; // the pattern names only restricted indices, which were not asked for
            }
            Automaton allowed = null;
            for (IndexGroup g : groups) {
                if (PatternAutomata.subsetOf(asked, g.names())) {
                    allowed = allowed == null ? g.actions() : PatternAutomata.union(allowed, g.actions());
                }
            }
            return allowed != null && PatternAutomata.subsetOf(indexActions(List.of(privilege)), allowed);
        }

        boolean grantsApplication(ApplicationPrivilege asked, String resource) {
            Automaton actions = asked.automaton();
            Automaton wanted = PatternAutomata.pattern(resource);
            for (AppEntry e : apps) {
                if (e.matches(asked, actions) && PatternAutomata.subsetOf(wanted, e.resources())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A name without wildcard or regular expression that is itself restricted (asked explicitly). */
    private static boolean isConcreteRestricted(String pattern) {
        return !pattern.contains("*") && !PatternAutomata.isRegex(pattern) && RestrictedIndices.isRestricted(pattern);
    }

    private static Automaton names(List<String> patterns) {
        List<String> usable = new ArrayList<>();
        for (String p : patterns) {
            try {
                PatternAutomata.pattern(p);
                usable.add(p);
            } catch (IllegalArgumentException e) {
                // a pattern that cannot be compiled covers nothing: the group grants less, never more
            }
        }
        return PatternAutomata.patterns(usable);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

}
