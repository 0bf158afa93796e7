package io.svctoken.core.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.authc.StoredJson;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.RoleMappingRecord;
import io.svctoken.core.store.RoleMappingRepository;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Role mappings as Elasticsearch's role mapping API stores them, in their display form, kept in memory: read from the
 * store at the start and again whenever an invalidation names {@code role_mappings}, which every change through any
 * node's instance publishes. They decide roles only for realms svctoken lacks (LDAP, SAML, PKI, ...), so nothing here
 * maps a user: the mappings are kept so that tools which manage them (Kibana, Terraform, the clients) read back what
 * they wrote, on every node.
 */
public final class RoleMappings {

    private final RoleMappingRepository repository;
    private volatile SortedMap<String, ObjectNode> all = Collections.emptySortedMap();
    private volatile Revocations cluster = Revocations.none();

    public RoleMappings(RoleMappingRepository repository) {
        this.repository = repository;
        reload(null);
    }

    public RoleMappings withCluster(Revocations c) {
        this.cluster = c;
        return this;
    }

    /** The bus subscriber: reads every mapping again (they are few). */
    public void reload(List<String> names) {
        SortedMap<String, ObjectNode> fresh = new TreeMap<>();
        for (RoleMappingRecord r : repository.listMappings()) {
            fresh.put(r.name(), display(r));
        }
        all = Collections.unmodifiableSortedMap(fresh);
    }

    private static ObjectNode display(RoleMappingRecord r) {
        try {
            JsonNode n = StoredJson.read(r.mappingJson());
            if (n instanceof ObjectNode o) {
                return o;
            }
        } catch (Exception e) {
            throw new IllegalStateException("stored role mapping [" + r.name() + "] is not a JSON object", e);
        }
        throw new IllegalStateException("stored role mapping [" + r.name() + "] is not a JSON object");
    }

    /** Every mapping by name, sorted; each value is the mapping's display form (never to be changed by the caller). */
    public SortedMap<String, ObjectNode> all() {
        return all;
    }

    /** Stores the mapping on {@code worker} with the event every node reloads on; completes, once every live node did, with whether it is new. */
    public CompletableFuture<Boolean> put(String name, ObjectNode display, Executor worker) {
        Revocation revocation = cluster.revocation(InvalidationBus.ROLE_MAPPINGS, List.of(name));
        return CompletableFuture.supplyAsync(() -> {
            boolean created = repository.putMapping(new RoleMappingRecord(name, display.toString()), revocation);
            reload(List.of(name));
            return created;
        }, worker).thenCompose(created -> cluster.acknowledged(revocation).thenApply(ack -> created));
    }

    /** As {@link #put}: completes with whether the mapping was there. */
    public CompletableFuture<Boolean> delete(String name, Executor worker) {
        Revocation revocation = cluster.revocation(InvalidationBus.ROLE_MAPPINGS, List.of(name));
        return CompletableFuture.supplyAsync(() -> {
            boolean found = repository.deleteMapping(name, revocation);
            reload(List.of(name));
            return found;
        }, worker).thenCompose(found -> cluster.acknowledged(revocation).thenApply(ack -> found));
    }
}
