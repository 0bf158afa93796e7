package io.svctoken.core.authz.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.core.account.RoleDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * What a caller may do on indices: the {@code indices} groups of its role descriptors, unioned (Elasticsearch's
 * {@code IndicesPermission}), or for an API key its own descriptors limited by its owner's ({@code LimitedRole}).
 */
public interface IndexPermission {

    /**
     * Whether a group grants {@code action} on {@code name}.
     *
     * @param restricted whether {@code name} is a restricted (system) name: then only groups with
     *                   {@code allow_restricted_indices: true} cover it
     */
    boolean covers(String action, String name, boolean restricted);

    /** Whether any group grants {@code action}, whatever its names (the check of name-only actions). */
    boolean grantsAnywhere(String action);

    /** This permission intersected with {@code owner}'s: both must grant. */
    default IndexPermission limitedBy(IndexPermission owner) {
        IndexPermission self = this;
        return new IndexPermission() {
            @Override
            public boolean covers(String action, String name, boolean restricted) {
                return self.covers(action, name, restricted) && owner.covers(action, name, restricted);
            }

            @Override
            public boolean grantsAnywhere(String action) {
                return self.grantsAnywhere(action) && owner.grantsAnywhere(action);
            }
        };
    }

    /**
     * The union of the descriptors' {@code indices} groups. Each descriptor is compiled once ({@link CompiledGroups}):
     * a forwarded request of a cached caller reuses its descriptors' groups instead of reading their JSON again.
     */
    static IndexPermission of(List<RoleDescriptor> descriptors) {
        if (descriptors.size() == 1) {
            return CompiledGroups.of(descriptors.get(0));
        }
        List<Group> groups = new ArrayList<>();
        for (RoleDescriptor rd : descriptors) {
            groups.addAll(CompiledGroups.of(rd).groups());
        }
        return new Groups(List.copyOf(groups));
    }

    /** The descriptor's own groups, read from its JSON (what {@link CompiledGroups} keeps). */
    static Groups compile(RoleDescriptor rd) {
        List<Group> groups = new ArrayList<>();
        for (JsonNode g : rd.toDisplayJson().path("indices")) {
            groups.add(Group.read(g));
        }
        return new Groups(List.copyOf(groups));
    }

    /**
     * One {@code indices} entry. A {@code names} entry that cannot be compiled (see {@link NamePattern}) is kept
     * in {@code refused} and matches nothing: the group then grants less, never more.
     */
    record Group(List<NamePattern> names, List<String> refused, List<String> privileges, boolean allowRestricted) {

        static Group read(JsonNode g) {
            List<NamePattern> names = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            JsonNode n = g.path("names");
            List<JsonNode> entries = new ArrayList<>();
            if (n.isArray()) {
                n.forEach(entries::add);
            } else if (n.isTextual()) {
                entries.add(n);
            }
            for (JsonNode one : entries) {
                try {
                    names.add(NamePattern.compile(one.asText()));
                } catch (IllegalArgumentException e) {
                    refused.add(one.asText() + ": " + e.getMessage());
                }
            }
            List<String> privileges = new ArrayList<>();
            g.path("privileges").forEach(p -> privileges.add(p.asText()));
            return new Group(List.copyOf(names), List.copyOf(refused), List.copyOf(privileges),
                    g.path("allow_restricted_indices").asBoolean(false));
        }

        boolean covers(String action, String name, boolean restricted) {
            if (restricted && !allowRestricted) {
                return false;
            }
            if (!IndexPrivileges.grants(privileges, action)) {
                return false;
            }
            // a loop, not a stream: decided on every forwarded request
            for (NamePattern p : names) {
                if (p.test(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Groups unioned. */
    record Groups(List<Group> groups) implements IndexPermission {

        @Override
        public boolean covers(String action, String name, boolean restricted) {
            for (Group g : groups) {
                if (g.covers(action, name, restricted)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean grantsAnywhere(String action) {
            for (Group g : groups) {
                if (IndexPrivileges.grants(g.privileges(), action)) {
                    return true;
                }
            }
            return false;
        }

        /** The names entries no group could use, with why (for the operator's log). */
        public List<String> refusedNames() {
            return groups.stream().flatMap(g -> g.refused().stream()).toList();
        }
    }
}
