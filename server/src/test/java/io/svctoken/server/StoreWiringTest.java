package io.svctoken.server;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The node sees one store interface; which store it is, is the factory's business (svctoken.store.type). */
class StoreWiringTest {

    @Test
    void nodeReferencesNoConcreteStoreClass() throws Exception {
        String pool;
        try (InputStream in = Node.class.getResourceAsStream("Node.class")) {
            // A class file names every type it references in its constant pool, as internal names.
            pool = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(pool.contains("io/svctoken/store/")).as("Node.class references a class of a store module").isFalse();
        assertThat(pool.contains("io/svctoken/core/store/Store;")).as("Node.class holds a core Store").isTrue();
    }
}
