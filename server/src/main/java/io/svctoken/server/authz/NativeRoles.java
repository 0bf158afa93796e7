package io.svctoken.server.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.RoleRepository;
import io.svctoken.server.http.Json;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Roles created through the role APIs. They are read once from the store and kept in memory (so
 * authorization never waits on the store); every change through this class updates both.
 */
public final class NativeRoles implements RoleResolver.RoleSource {

    private final RoleRepository repository;
    private final Map<String, RoleDescriptor> roles = new ConcurrentHashMap<>();

    public NativeRoles(RoleRepository repository) {
        this.repository = repository;
        for (RoleRecord r : repository.listRoles()) {
            roles.put(r.name(), descriptor(r));
        }
    }

    private static RoleDescriptor descriptor(RoleRecord r) {
        try {
            return new RoleDescriptor(r.name(), (ObjectNode) Json.MAPPER.readTree(r.descriptorJson()));
        } catch (Exception e) {
            throw new IllegalStateException("stored role [" + r.name() + "] is not a JSON object", e);
        }
    }

    @Override
    public Optional<RoleDescriptor> find(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    /** Blocking (store write): call from the worker pool. @return whether the role is new */
    public boolean put(String name, ObjectNode display) {
        boolean created = repository.putRole(new RoleRecord(name, display.toString()));
        roles.put(name, new RoleDescriptor(name, display));
        return created;
    }

    /** Blocking (store write): call from the worker pool. */
    public boolean delete(String name) {
        boolean found = repository.deleteRole(name);
        roles.remove(name);
        return found;
    }

    public Map<String, RoleDescriptor> all() {
        return new java.util.TreeMap<>(roles);
    }
}
