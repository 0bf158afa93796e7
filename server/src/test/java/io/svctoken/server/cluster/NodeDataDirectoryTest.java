package io.svctoken.server.cluster;

import io.svctoken.server.TestNode;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node's own id lives in path.data, and one node at a time holds a data directory (issue #11, item 3). */
class NodeDataDirectoryTest {

    @TempDir
    Path home;

    @Test
    void aSecondNodeOnTheSameDataPathIsRefusedWithElasticsearchsMessage() throws Exception {
        Path data = home.resolve("data");
        try (TestNode first = TestNode.start(home, Map.of())) {
            assertThat(data.resolve("node.lock")).exists();
            assertThatThrownBy(() -> TestNode.start(home, Map.of("node.name", "node-1")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("failed to obtain node locks, tried [" + data.toAbsolutePath().normalize() + "];"
                            + " maybe these locations are not writable or multiple nodes were started on the same data path?");
            // the refused start changed nothing: the first node still answers
            assertThat(first.asElastic("GET", "/_security/_authenticate").status()).isEqualTo(200);
        }
        // released on close: the next start takes the lock
        try (TestNode again = TestNode.start(home, Map.of())) {
            assertThat(again.asElastic("GET", "/").status()).isEqualTo(200);
        }
    }

    @Test
    void theNodeIdIsAFileOfPathDataAndSurvivesARestart() throws Exception {
        String id;
        try (TestNode node = TestNode.start(home, Map.of())) {
            id = node.node().identity().nodeId();
        }
        assertThat(Files.readString(home.resolve("data/node.id")).trim()).isEqualTo(id);
        try (SqliteStore store = SqliteStore.open(home.resolve("data"))) {
            assertThat(store.getMetadata("node.id")).as("not in the shared store").isEmpty();
        }
        try (TestNode node = TestNode.start(home, Map.of())) {
            assertThat(node.node().identity().nodeId()).isEqualTo(id);
        }
    }

    @Test
    void anIdHeldInTheStoreByAnOlderVersionMovesToPathDataOnce() throws Exception {
        try (SqliteStore store = SqliteStore.open(home.resolve("data"))) {
            store.putMetadataIfAbsent("node.id", "Lz0oN3pKQxK6mQdC1vR0Yw");
        }
        try (TestNode node = TestNode.start(home, Map.of())) {
            assertThat(node.node().identity().nodeId()).isEqualTo("Lz0oN3pKQxK6mQdC1vR0Yw");
        }
        assertThat(Files.readString(home.resolve("data/node.id")).trim()).isEqualTo("Lz0oN3pKQxK6mQdC1vR0Yw");
        try (SqliteStore store = SqliteStore.open(home.resolve("data"))) {
            assertThat(store.getMetadata("node.id")).as("taken out of the store, so no other node can take it too").isEmpty();
        }
    }
}
