package io.svctoken.core.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.StoredJson;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.RoleRepository;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Roles created through the role APIs, kept in memory (so authorization never waits on the store): read
 * from the store at the start, and again for the roles an invalidation names ({@code roles}), which every
 * change through any node's instance publishes. A change here updates both the store and the memory.
 */
public final class NativeRoles implements RoleResolver.RoleSource {

    private final RoleRepository repository;
    private final Map<String, RoleDescriptor> roles = new ConcurrentHashMap<>();
    private volatile Revocations cluster = Revocations.none();

    public NativeRoles(RoleRepository repository) {
        this.repository = repository;
        reload(null);
    }

    /**
     * The {@code roles} subscriber: reads the named roles again from the store (null: all of them). Runs
     * on the node's one invalidation thread, so reloads never race each other.
     */
    public void reload(List<String> names) {
        if (names == null) {
            Map<String, RoleDescriptor> fresh = new HashMap<>();
            for (RoleRecord r : repository.listRoles()) {
                fresh.put(r.name(), descriptor(r));
            }
            roles.keySet().retainAll(fresh.keySet());
            roles.putAll(fresh);
            return;
        }
        for (String name : names) {
            Optional<RoleRecord> r = repository.findRole(name);
            if (r.isPresent()) {
                roles.put(name, descriptor(r.get()));
            } else {
                roles.remove(name);
            }
        }
    }

    private static RoleDescriptor descriptor(RoleRecord r) {
        try {
            return new RoleDescriptor(r.name(), (ObjectNode) StoredJson.read(r.descriptorJson()));
        } catch (Exception e) {
            throw new IllegalStateException("stored role [" + r.name() + "] is not a JSON object", e);
        }
    }

    @Override
    public Optional<RoleDescriptor> find(String name) {
        if (!cluster.cachesUsable()) {
            // fail closed: a role changed or deleted elsewhere meanwhile must not keep granting
            return Optional.empty();
        }
        return Optional.ofNullable(roles.get(name));
    }

    /**
     * Stores the role on {@code worker} with the event that makes every node read it again (one
     * transaction); completes with whether the role is new once every live node did.
     */
    public CompletableFuture<Boolean> put(String name, ObjectNode display, Executor worker) {
        Revocation revocation = cluster.revocation(InvalidationBus.ROLES, List.of(name));
        return CompletableFuture.supplyAsync(() -> {
            boolean created = repository.putRole(new RoleRecord(name, display.toString()), revocation);
            roles.put(name, new RoleDescriptor(name, display));
            return created;
        }, worker).thenCompose(created -> cluster.acknowledged(revocation).thenApply(ack -> created));
    }

    /** As {@link #put}: completes with whether the role was there once every live node forgot it. */
    public CompletableFuture<Boolean> delete(String name, Executor worker) {
        Revocation revocation = cluster.revocation(InvalidationBus.ROLES, List.of(name));
        return CompletableFuture.supplyAsync(() -> {
            boolean found = repository.deleteRole(name, revocation);
            roles.remove(name);
            return found;
        }, worker).thenCompose(found -> cluster.acknowledged(revocation).thenApply(ack -> found));
    }

    /** What a bulk put did with one role, as Elasticsearch names it. */
    public enum BulkResult {
        CREATED, UPDATED, NOOP;

        public String esName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Stores the roles one after the other (as Elasticsearch's bulk put, not all or nothing); a role equal to the one
     * stored is left alone (Elasticsearch's {@code noop}).
     *
     * @return each role's result, in the given order
     */
    public CompletableFuture<Map<String, BulkResult>> putAll(Map<String, ObjectNode> displays, Executor worker) {
        Map<String, BulkResult> results = new java.util.LinkedHashMap<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Map.Entry<String, ObjectNode> e : displays.entrySet()) {
            chain = chain.thenCompose(ignored -> {
                RoleDescriptor current = roles.get(e.getKey());
                if (current != null && current.toDisplayJson().equals(e.getValue())) {
                    results.put(e.getKey(), BulkResult.NOOP);
                    return CompletableFuture.completedFuture(null);
                }
                return put(e.getKey(), e.getValue(), worker)
                        .thenAccept(created -> results.put(e.getKey(), created ? BulkResult.CREATED : BulkResult.UPDATED));
            });
        }
        return chain.thenApply(ignored -> results);
    }

    /** Deletes the roles one after the other; completes with whether each was there, in the given order. */
    public CompletableFuture<Map<String, Boolean>> deleteAll(List<String> names, Executor worker) {
        Map<String, Boolean> results = new java.util.LinkedHashMap<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String name : names) {
            chain = chain.thenCompose(ignored -> delete(name, worker).thenAccept(found -> results.put(name, found)));
        }
        return chain.thenApply(ignored -> results);
    }

    public NativeRoles withCluster(Revocations c) {
        this.cluster = c;
        return this;
    }

    public Map<String, RoleDescriptor> all() {
        return new TreeMap<>(roles);
    }
}
