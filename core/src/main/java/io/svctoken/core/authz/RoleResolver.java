package io.svctoken.core.authz;

import io.svctoken.core.account.RoleDescriptor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Role names to descriptors, asking the role sources in order (reserved, file, native). */
public final class RoleResolver {

    /** One place roles come from. */
    @FunctionalInterface
    public interface RoleSource {
        Optional<RoleDescriptor> find(String name);
    }

    /** The descriptors found, the role names they came from, and the names nobody knows. */
    public record Resolved(List<RoleDescriptor> descriptors, List<String> found, List<String> missing) {
    }

    private final List<RoleSource> sources;

    public RoleResolver(List<RoleSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public Optional<RoleDescriptor> find(String name) {
        for (RoleSource s : sources) {
            Optional<RoleDescriptor> d = s.find(name);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    public Resolved resolve(Collection<String> names) {
        List<RoleDescriptor> descriptors = new ArrayList<>();
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            Optional<RoleDescriptor> d = find(n);
            if (d.isPresent()) {
                descriptors.add(d.get());
                found.add(n);
            } else {
                missing.add(n);
            }
        }
        return new Resolved(descriptors, found, missing);
    }
}
