package io.svctoken.store.jdbc;

import io.svctoken.core.cluster.InvalidationEvent;
import io.svctoken.core.store.ClusterRepository;
import io.svctoken.core.store.ClusterRepository.NodeRecord;
import io.svctoken.core.store.Store;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract of {@link ClusterRepository}: the node registry and the ordered invalidation log, for every store. */
public abstract class ClusterRepositoryContract extends StoreContract {

    private static NodeRecord node(String id, long heartbeat) {
        return new NodeRecord(id, "name-" + id, "127.0.0.1:92" + id.length(), "8.19.0", "{\"elastic/fleet-server\":[\"t1\"]}", 1000,
                heartbeat, 0);
    }

    @Test
    void nodesRegisterHeartbeatAndAreRemovedWhenSilent() {
        ClusterRepository c = store.cluster();
        c.registerNode(node("n1", 5_000));
        c.registerNode(node("n2", 9_000));
        assertThat(c.nodes()).extracting(NodeRecord::nodeId).containsExactly("n1", "n2");
        assertThat(c.nodes().get(0).fileTokensJson()).isEqualTo("{\"elastic/fleet-server\":[\"t1\"]}");

        assertThat(c.heartbeat("n1", 10_000, 7, "{}")).isTrue();
        NodeRecord n1 = c.nodes().get(0);
        assertThat(n1.heartbeatMillis()).isEqualTo(10_000);
        assertThat(n1.lastAppliedInvalidation()).isEqualTo(7);
        assertThat(n1.fileTokensJson()).isEqualTo("{}");
        c.applied("n1", 5); // never backwards
        assertThat(c.nodes().get(0).lastAppliedInvalidation()).isEqualTo(7);
        c.applied("n1", 8);
        assertThat(c.nodes().get(0).lastAppliedInvalidation()).isEqualTo(8);

        assertThat(c.removeNodesSilentSince(9_500)).containsExactly("n2");
        assertThat(c.heartbeat("n2", 11_000, 0, "{}")).as("a removed node learns it must register again").isFalse();
        c.removeNode("n1");
        assertThat(c.nodes()).isEmpty();
    }

    @Test
    void eventsComeBackInOrderWithTheirKeys() {
        ClusterRepository c = store.cluster();
        assertThat(c.lastInvalidation()).isZero();
        long s1 = c.publish("service_tokens", List.of("elastic/fleet-server/t1"), "n1", 1);
        long s2 = c.publish("roles", null, "n2", 2);
        long s3 = c.publish("realm:*", List.of("a\"b", "c\u00e9"), "n1", 3);
        assertThat(s1).isLessThan(s2);
        assertThat(s2).isLessThan(s3);
        assertThat(c.lastInvalidation()).isEqualTo(s3);
        assertThat(c.invalidationsAfter(0, 10)).containsExactly(
                new InvalidationEvent(s1, "service_tokens", List.of("elastic/fleet-server/t1"), "n1"),
                new InvalidationEvent(s2, "roles", null, "n2"),
                new InvalidationEvent(s3, "realm:*", List.of("a\"b", "c\u00e9"), "n1"));
        assertThat(c.invalidationsAfter(s1, 1)).extracting(InvalidationEvent::seq).containsExactly(s2);

        assertThat(c.trimInvalidations(s2)).isEqualTo(2);
        assertThat(c.invalidationsAfter(0, 10)).extracting(InvalidationEvent::seq).containsExactly(s3);
        assertThat(c.publish("roles", null, "n1", 4)).as("a seq is never reused").isGreaterThan(s3);
    }

    /** A reader that follows the log while two stores publish never skips an event: the log's order is its commit order. */
    @Test
    void aReaderFollowingTheLogDuringConcurrentPublishesSeesEveryEvent() throws Exception {
        Store other = another();
        LogFollower follower = new LogFollower(store);
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Store s = i % 2 == 0 ? store : other;
            String key = "k" + i;
            tasks.add(() -> s.cluster().publish("api_keys", List.of(key), "n", 1));
        }
        List<Long> published = race(tasks);
        assertThat(follower.stop()).containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    void aPublishWakesTheStoresListener() throws Exception {
        Thread publisher = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            store.cluster().publish("roles", null, "n", 1);
        });
        long t0 = System.nanoTime();
        publisher.start();
        store.cluster().awaitPublish(20_000);
        publisher.join();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }
}
