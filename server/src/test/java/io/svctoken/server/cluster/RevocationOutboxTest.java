package io.svctoken.server.cluster;

import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #11: a revoking write and its invalidation event commit together. When the event cannot be
 * written (here: the log's table is away for a moment), the write fails and changes nothing, so no node
 * keeps a credential cached that the store no longer has; once the log is back, the same write is seen
 * at once on the other node.
 */
class RevocationOutboxTest {

    static final String FLEET = "/_security/service/elastic/fleet-server";

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private static Map<String, String> settings(String db, String name) {
        Map<String, String> s = PostgresqlNodes.settings(db, name);
        s.put("svctoken.store.postgresql.pool.max_size", "4");
        s.put("svctoken.cluster.heartbeat_interval", "200ms");
        s.put("svctoken.cluster.poll_interval", "200ms");
        s.put("svctoken.cluster.ack_timeout", "5s");
        return s;
    }

    private static int authenticate(TestNode node, String authorization) throws Exception {
        return node.request("GET", "/_security/_authenticate", authorization).status();
    }

    @Test
    void aTokenDeleteWhoseEventCannotBeWrittenFailsAndLeavesTheTokenWorkingEverywhere() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode a = TestNode.start(homeA, settings(db, "node-a"));
             TestNode b = TestNode.start(homeB, settings(db, "node-b"))) {
            Response created = a.asElastic("POST", FLEET + "/credential/token/outbox1");
            String token = bearer(created.json().at("/token/value").asText());
            assertThat(authenticate(b, token)).isEqualTo(200); // cached on B now

            Response failed;
            PostgresqlNodes.sql(db, "ALTER TABLE invalidations RENAME TO invalidations_away");
            try {
                failed = a.asElastic("DELETE", FLEET + "/credential/token/outbox1");
            } finally {
                PostgresqlNodes.sql(db, "ALTER TABLE invalidations_away RENAME TO invalidations");
            }
            assertThat(failed.status()).as(failed.body()).isEqualTo(503); // the store failed, as any store failure answers
            // neither the delete nor its event: both nodes (and the store) still agree the token exists
            assertThat(authenticate(a, token)).isEqualTo(200);
            assertThat(authenticate(b, token)).isEqualTo(200);
            assertThat(a.asElastic("GET", FLEET + "/credential").json().at("/tokens/outbox1").isMissingNode()).isFalse();

            Response deleted = a.asElastic("DELETE", FLEET + "/credential/token/outbox1");
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(authenticate(b, token)).as("seen at once on B").isEqualTo(401);
            assertThat(authenticate(a, token)).isEqualTo(401);
        }
    }
}
