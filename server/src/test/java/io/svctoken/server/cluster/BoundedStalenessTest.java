package io.svctoken.server.cluster;

import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import io.svctoken.server.TestNode;
import io.svctoken.server.TestNode.Response;
import io.svctoken.store.postgresql.EmbeddedPostgresql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.svctoken.server.TestNode.basic;
import static io.svctoken.server.TestNode.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #11, item 5: a node cut off from the database (its PostgreSQL role loses LOGIN and its sessions are
 * ended, so its pool and LISTEN connection fail while the other node keeps working) answers from its caches
 * for at most {@code max_staleness}; then store-backed credentials are verified against the store, and as it
 * is down they are refused, while its file tokens and file-realm users keep working. It recovers by itself.
 */
class BoundedStalenessTest {

    static final String FLEET = "/_security/service/elastic/fleet-server";

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private static Map<String, String> settings(String db, String user, String password, String name) {
        Map<String, String> s = PostgresqlNodes.settings(db, user, password, name);
        s.put("svctoken.store.postgresql.pool.max_size", "4");
        s.put("svctoken.store.postgresql.connect_timeout", "1s");
        s.put("svctoken.cluster.heartbeat_interval", "200ms");
        s.put("svctoken.cluster.node_timeout", "1s");
        s.put("svctoken.cluster.departed_after", "30s");
        s.put("svctoken.cluster.poll_interval", "200ms");
        s.put("svctoken.cluster.max_staleness", "1s");
        s.put("svctoken.cluster.ack_timeout", "2s");
        return s;
    }

    private static int authenticate(TestNode node, String authorization) throws Exception {
        return node.request("GET", "/_security/_authenticate", authorization).status();
    }

    private static int statusWithin(TestNode node, String authorization, int expected, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        int status;
        do {
            status = authenticate(node, authorization);
            if (status == expected) {
                return status;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return status;
    }

    @Test
    void aCutOffNodeStopsAnsweringStoredCredentialsFromItsCachesKeepsFileCredentialsAndRecovers() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        String role = "stale_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PostgresqlNodes.sql(db, "CREATE ROLE " + role + " LOGIN PASSWORD 'stale-pass-7' IN ROLE " + EmbeddedPostgresql.ROLE);

        // node B's file credentials: a file token and a file-realm user
        Files.createDirectories(homeB.resolve("config"));
        Files.write(homeB.resolve("config/service_tokens"),
                List.of("elastic/fleet-server/file-tok:" + Hasher.resolve("pbkdf2_stretch_1000").hash(Secret.of("file-token-secret-1"))));
        Files.write(homeB.resolve("config/users"), List.of("fileuser:" + Hasher.resolve("pbkdf2_1000").hash(Secret.of("file-pass-1"))));
        Files.write(homeB.resolve("config/users_roles"), List.of("superuser:fileuser"));
        String fileToken = bearer(new ServiceAccountToken(TokenId.of("elastic/fleet-server", "file-tok"), Secret.of("file-token-secret-1"))
                .asBearer().revealAsString(SecretAccess.plaintext()));
        String fileUser = basic("fileuser", "file-pass-1");

        try (TestNode a = TestNode.start(homeA, settings(db, EmbeddedPostgresql.ROLE, EmbeddedPostgresql.PASSWORD, "node-a"));
             TestNode b = TestNode.start(homeB, settings(db, role, "stale-pass-7", "node-b"))) {
            Response created = a.asElastic("POST", FLEET + "/credential/token/stored");
            String stored = bearer(created.json().at("/token/value").asText());
            assertThat(authenticate(b, stored)).isEqualTo(200); // cached on B now
            assertThat(authenticate(b, TestNode.ELASTIC_BASIC)).isEqualTo(200);
            assertThat(authenticate(b, fileToken)).isEqualTo(200);
            assertThat(authenticate(b, fileUser)).isEqualTo(200);

            // cut B off, and revoke the token on A meanwhile: B cannot learn of it
            PostgresqlNodes.sql(db, "ALTER ROLE " + role + " NOLOGIN");
            PostgresqlNodes.sql(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
            assertThat(a.asElastic("DELETE", FLEET + "/credential/token/stored").status()).isEqualTo(200);
            assertThat(authenticate(a, stored)).isEqualTo(401);

            // past max_staleness B no longer trusts its caches: refused, with the error of an unreachable store
            assertThat(statusWithin(b, stored, 401, 5000)).isEqualTo(401);
            Response refused = b.request("GET", "/_security/_authenticate", stored);
            assertThat(refused.json().at("/error/type").asText()).as(refused.body()).isEqualTo("security_exception");
            assertThat(authenticate(b, TestNode.ELASTIC_BASIC)).as("a cached reserved-realm login").isEqualTo(401);
            // the file realm and file tokens need no database
            assertThat(authenticate(b, fileToken)).isEqualTo(200);
            assertThat(authenticate(b, fileUser)).isEqualTo(200);

            // the database is back for B: it recovers by itself; the token deleted meanwhile stays refused
            PostgresqlNodes.sql(db, "ALTER ROLE " + role + " LOGIN");
            assertThat(statusWithin(b, TestNode.ELASTIC_BASIC, 200, 15000)).isEqualTo(200);
            assertThat(authenticate(b, stored)).isEqualTo(401);
        }
    }
}
