package io.svctoken.core.authz.privilege;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.StoredJson;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.store.ApplicationPrivilegeRecord;
import io.svctoken.core.store.ApplicationPrivilegeRepository;
import io.svctoken.core.store.Revocation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Application privileges, kept in memory (has_privileges never waits on the store): read from the store at the start
 * and again whenever an invalidation names {@code application_privileges}, which every change through any node's
 * instance publishes (as Elasticsearch's privilege cache is cleared cluster-wide on every change).
 */
public final class ApplicationPrivileges {

    private final ApplicationPrivilegeRepository repository;
    private volatile List<ApplicationPrivilegeDescriptor> all = List.of();
    private volatile Revocations cluster = Revocations.none();

    public ApplicationPrivileges(ApplicationPrivilegeRepository repository) {
        this.repository = repository;
        reload(null);
    }

    public ApplicationPrivileges withCluster(Revocations c) {
        this.cluster = c;
        return this;
    }

    /** The bus subscriber: reads every privilege again (they are few; the keys name applications). */
    public void reload(List<String> applications) {
        List<ApplicationPrivilegeDescriptor> fresh = new ArrayList<>();
        for (ApplicationPrivilegeRecord r : repository.listPrivileges()) {
            fresh.add(descriptor(r));
        }
        all = List.copyOf(fresh);
    }

    private static ApplicationPrivilegeDescriptor descriptor(ApplicationPrivilegeRecord r) {
        try {
            JsonNode d = StoredJson.read(r.descriptorJson());
            List<String> actions = new ArrayList<>();
            d.path("actions").forEach(a -> actions.add(a.asText()));
            JsonNode meta = d.path("metadata");
            return new ApplicationPrivilegeDescriptor(r.application(), r.name(), actions,
                    meta.isObject() ? (ObjectNode) meta : JsonNodeFactory.instance.objectNode());
        } catch (Exception e) {
            throw new IllegalStateException("stored application privilege [" + r.application() + "/" + r.name() + "] is not a JSON object", e);
        }
    }

    /**
     * Every privilege, sorted by application and name; none while this node's caches may be stale (fail closed: a
     * privilege changed elsewhere must not keep granting).
     */
    public List<ApplicationPrivilegeDescriptor> all() {
        return cluster.cachesUsable() ? all : List.of();
    }

    /** Stores the privileges on {@code worker} (one transaction with the event every node reloads on); completes, once every live node did, with whether each is new. */
    public CompletableFuture<List<Boolean>> put(List<ApplicationPrivilegeDescriptor> privileges, Executor worker) {
        List<String> apps = privileges.stream().map(ApplicationPrivilegeDescriptor::application).distinct().toList();
        Revocation revocation = cluster.revocation(InvalidationBus.APPLICATION_PRIVILEGES, apps);
        List<ApplicationPrivilegeRecord> records = privileges.stream()
                .map(p -> new ApplicationPrivilegeRecord(p.application(), p.name(), display(p).toString())).toList();
        return CompletableFuture.supplyAsync(() -> {
            List<Boolean> created = repository.putPrivileges(records, revocation);
            reload(apps);
            return created;
        }, worker).thenCompose(created -> cluster.acknowledged(revocation).thenApply(ack -> created));
    }

    /** As {@link #put}: completes with the names that were there. */
    public CompletableFuture<List<String>> delete(String application, List<String> names, Executor worker) {
        Revocation revocation = cluster.revocation(InvalidationBus.APPLICATION_PRIVILEGES, List.of(application));
        return CompletableFuture.supplyAsync(() -> {
            List<String> found = repository.deletePrivileges(application, names, revocation);
            reload(List.of(application));
            return found;
        }, worker).thenCompose(found -> cluster.acknowledged(revocation).thenApply(ack -> found));
    }

    /** Elasticsearch's display form: application, name, actions, metadata. */
    public static ObjectNode display(ApplicationPrivilegeDescriptor p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("application", p.application());
        o.put("name", p.name());
        p.actions().forEach(o.putArray("actions")::add);
        o.set("metadata", p.metadata());
        return o;
    }
}
