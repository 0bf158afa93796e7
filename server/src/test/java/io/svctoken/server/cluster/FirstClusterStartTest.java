package io.svctoken.server.cluster;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.server.TestNode;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import io.svctoken.store.postgresql.PostgresqlStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #11, item 6: three nodes started at once on an empty PostgreSQL database, without ELASTIC_PASSWORD
 * and without TLS settings, agree on one elastic password (generated and printed by exactly one of them),
 * one cluster uuid and one HTTP CA, each presenting its own certificate signed by it.
 */
class FirstClusterStartTest {

    @TempDir
    Path root;

    @Test
    void nodesStartingTogetherShareTheElasticPasswordTheClusterUuidAndTheHttpCa() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<TestNode> nodes = new ArrayList<>();
        try {
            List<Future<TestNode>> started = new ArrayList<>();
            for (String name : List.of("node-a", "node-b", "node-c")) {
                Map<String, String> s = new HashMap<>(Map.of("svctoken.store.type", "postgresql",
                        "svctoken.store.postgresql.url", EmbeddedPostgresql.url(db),
                        "svctoken.store.postgresql.username", EmbeddedPostgresql.ROLE,
                        "svctoken.store.postgresql.password", EmbeddedPostgresql.PASSWORD,
                        "node.name", name));
                Path home = root.resolve(name);
                started.add(pool.submit(() -> TestNode.start(home, s, Map.of(), true)));
            }
            for (Future<TestNode> f : started) {
                nodes.add(f.get());
            }
            List<String> passwords = new ArrayList<>();
            for (TestNode n : nodes) {
                n.console.lines().dropWhile(l -> !l.contains("Password for the elastic user")).skip(1).findFirst()
                        .ifPresent(l -> passwords.add(l.trim()));
            }
            assertThat(passwords).as("printed by the node whose password was stored").hasSize(1);
            try (PostgresqlStore store = PostgresqlStore.open(EmbeddedPostgresql.config(db))) {
                String hash = store.users().findUser("elastic").orElseThrow().passwordHash();
                assertThat(Hasher.verifyHash(Secret.of(passwords.get(0)), hash)).isTrue();
            }
            assertThat(nodes).extracting(n -> n.node().identity().clusterUuid()).containsOnly(nodes.get(0).node().identity().clusterUuid());

            X509Certificate ca = nodes.get(0).node().httpCa().orElseThrow();
            for (TestNode n : nodes) {
                assertThat(n.node().httpCa()).contains(ca);
                List<X509Certificate> chain = n.node().httpTls().chain();
                assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("CN=" + n.node().identity().nodeName());
                chain.get(0).verify(ca.getPublicKey()); // signed by the one CA
                assertThat(n.console).contains(nodes.get(0).node().httpTls().httpCaFingerprint().orElseThrow());
            }
        } finally {
            nodes.forEach(TestNode::close);
            pool.shutdownNow();
        }
    }
}
