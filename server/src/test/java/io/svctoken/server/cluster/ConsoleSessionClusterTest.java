package io.svctoken.server.cluster;

import io.svctoken.server.TestNode;
import io.svctoken.server.console.ConsoleClient;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.svctoken.server.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's sessions on two nodes sharing PostgreSQL: a session started on one works on the other; a sign-out on either ends it on both. */
class ConsoleSessionClusterTest {

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    @Test
    void aSessionWorksOnEveryNodeAndASignOutEndsItOnAll() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode a = TestNode.start(homeA, PostgresqlNodes.quickCluster(db, "node-a"));
             TestNode b = TestNode.start(homeB, PostgresqlNodes.quickCluster(db, "node-b"))) {
            ConsoleClient c = ConsoleClient.signInAs(a, "elastic", PASSWORD);
            assertThat(c.get(b, "/_security/_authenticate").json().path("username").asText()).isEqualTo("elastic");
            assertThat(c.get(b, ConsoleClient.SESSION).json().path("csrf_token").asText()).isEqualTo(c.csrf);

            TestNode.Response out = c.request(b, "DELETE", ConsoleClient.SESSION, null, true);
            assertThat(out.status()).as(out.body()).isEqualTo(200);
            for (TestNode n : new TestNode[]{a, b}) {
                TestNode.Response r = c.get(n, "/_security/_authenticate");
                assertThat(r.status()).as(r.body()).isEqualTo(401);
                assertThat(r.json().at("/error/reason").asText()).isEqualTo("console session expired or missing");
            }
        }
    }
}
