package io.svctoken.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
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
 * User-managed service accounts on two nodes sharing PostgreSQL: an account changed or deleted on one node governs its
 * tokens on the other at once, although the other had the account cached.
 */
class UserManagedServiceAccountClusterTest {

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private static Map<String, String> settings(String db, String name) {
        Map<String, String> s = PostgresqlNodes.quickCluster(db, name);
        s.put("svctoken.compatibility.version", "9.x");
        return s;
    }

    private static int status(TestNode node, String path, String token) throws Exception {
        return node.request("GET", path, bearer(token)).status();
    }

    private static JsonNode ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void disablingEditingAndDeletingAnAccountOnOneNodeTakeEffectOnTheOtherAtOnce() throws Exception {
        String db = EmbeddedPostgresql.newDatabase();
        try (TestNode a = TestNode.start(homeA, settings(db, "node-a"));
             TestNode b = TestNode.start(homeB, settings(db, "node-b"))) {
            ok(a.asElastic("PUT", "/_security/role/reader", "{\"cluster\":[\"read_security\"]}"));
            ok(a.asElastic("PUT", "/_security/service/apps/svc_1", "{\"roles\":[\"reader\"]}"));
            String token = ok(b.asElastic("POST", "/_security/service/apps/svc_1/credential/token/t1")).at("/token/value").asText();
            assertThat(status(b, "/_security/role", token)).as("the account cached on B").isEqualTo(200);
            assertThat(status(a, "/_security/role", token)).isEqualTo(200);

            ok(a.asElastic("PUT", "/_security/service/apps/svc_1", "{\"roles\":[]}"));
            assertThat(status(b, "/_security/role", token)).as("roles edited, seen at once on B").isEqualTo(403);
            ok(a.asElastic("PUT", "/_security/service/apps/svc_1", "{\"roles\":[\"reader\"],\"enabled\":false}"));
            assertThat(status(b, "/_security/_authenticate", token)).as("disabled, seen at once on B").isEqualTo(401);
            ok(b.asElastic("PUT", "/_security/service/apps/svc_1", "{\"roles\":[\"reader\"]}"));
            assertThat(status(a, "/_security/role", token)).as("enabled again on A").isEqualTo(200);
            assertThat(status(b, "/_security/role", token)).isEqualTo(200);

            ok(b.asElastic("DELETE", "/_security/service/apps/svc_1?force=true"));
            assertThat(status(a, "/_security/_authenticate", token)).as("deleted, seen at once on A").isEqualTo(401);
            assertThat(status(b, "/_security/_authenticate", token)).isEqualTo(401);
            assertThat(a.asElastic("GET", "/_security/service/apps").body()).isEqualTo("{}");
        }
    }
}
