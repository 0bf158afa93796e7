package io.svctoken.store.jdbc;

import io.svctoken.core.store.Store;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract of {@link io.svctoken.core.store.MetadataRepository}, for every store. */
public abstract class MetadataRepositoryContract extends StoreContract {

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        assertThat(store.metadata().getMetadata("cluster_uuid")).isEmpty();
        assertThat(store.metadata().putMetadataIfAbsent("cluster_uuid", "first")).isEqualTo("first");
        assertThat(store.metadata().putMetadataIfAbsent("cluster_uuid", "second")).isEqualTo("first");
        assertThat(store.metadata().getMetadata("cluster_uuid")).contains("first");
        assertThat(store.metadata().putMetadataIfAbsent("node_id", "n1")).isEqualTo("n1");
        assertThat(store.metadata().getMetadata("node_id")).isEqualTo(Optional.of("n1"));
    }

    /** Several nodes starting at once agree on one cluster uuid. */
    @Test
    void concurrentPutIfAbsentThroughTwoStoresAgreesOnOneValue() throws Exception {
        List<Store> stores = List.of(store, another());
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Store s = stores.get(i % 2);
            String value = "uuid-" + i;
            tasks.add(() -> s.metadata().putMetadataIfAbsent("cluster_uuid", value));
        }
        List<String> seen = race(tasks);
        assertThat(new HashSet<>(seen)).hasSize(1).containsExactly(store.metadata().getMetadata("cluster_uuid").orElseThrow());
    }

    /** Two nodes taking one value out (the node id an older version kept in the store): one of them gets it. */
    @Test
    void removeIfStillHoldingTheValueSucceedsForOneCallerOnly() throws Exception {
        store.metadata().putMetadataIfAbsent("node.id", "old");
        assertThat(store.metadata().removeMetadata("node.id", "other")).isFalse();
        List<Store> stores = List.of(store, another());
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Store s = stores.get(i % 2);
            tasks.add(() -> s.metadata().removeMetadata("node.id", "old"));
        }
        assertThat(race(tasks)).containsOnlyOnce(true);
        assertThat(store.metadata().getMetadata("node.id")).isEmpty();
    }
}
