package io.svctoken.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which events are written: include/exclude, and ignore_filters (fields ANDed, policies ORed, security changes never ignored). */
class AuditFiltersTest {

    @TempDir
    Path home;

    @Test
    void byDefaultAuthenticationSuccessIsNotWrittenAndTheClusterUuidIs() throws Exception {
        List<JsonNode> lines = run(Map.of(), n -> {
            assertThat(n.asElastic("GET", "/_security/_authenticate").status()).isEqualTo(200);
            assertThat(n.request("GET", "/_security/_authenticate", TestNode.basic("elastic", "wrong")).status()).isEqualTo(401);
        });
        assertThat(actions(lines)).containsExactly("access_granted", "authentication_failed");
        assertThat(lines.get(0).get("cluster.uuid").asText()).isNotEmpty();
        assertThat(lines.get(0).has("node.name")).isFalse();
    }

    @Test
    void excludeWinsAndIgnorePoliciesAreAndedWithinAndOredAcross() throws Exception {
        List<JsonNode> lines = run(Map.of("xpack.security.audit.logfile.events.include", "_all",
                "xpack.security.audit.logfile.events.exclude", "access_denied",
                "xpack.security.audit.logfile.emit_node_name", "true",
                // elastic's _authenticate only (both fields must match)
                "xpack.security.audit.logfile.events.ignore_filters.p1.users", "elastic",
                "xpack.security.audit.logfile.events.ignore_filters.p1.actions", "cluster:admin/xpack/security/user/authenticate",
                // anything bob does
                "xpack.security.audit.logfile.events.ignore_filters.p2.users", "bo?"), n -> {
            assertThat(n.asElastic("PUT", "/_security/user/bob", "{\"password\":\"bob-password-1\",\"roles\":[]}").status()).isEqualTo(200);
            assertThat(n.asElastic("GET", "/_security/_authenticate").status()).isEqualTo(200);
            assertThat(n.request("GET", "/_security/_authenticate", TestNode.basic("bob", "bob-password-1")).status()).isEqualTo(200);
            assertThat(n.request("GET", "/_security/user", TestNode.basic("bob", "bob-password-1")).status()).isEqualTo(403);
            assertThat(n.request("PUT", "/_security/role/r2", TestNode.basic("bob", "bob-password-1"), "{}", Map.of()).status())
                    .isEqualTo(403);
        });
        List<String> seen = new ArrayList<>();
        for (JsonNode j : lines) {
            seen.add(j.get("event.action").asText() + " " + (j.has("user.name") ? j.get("user.name").asText() : "-")
                    + (j.has("action") ? " " + j.get("action").asText() : ""));
            assertThat(j.get("node.name").asText()).isEqualTo("node-0");
        }
        assertThat(seen).containsExactly(
                "authentication_success elastic",
                "access_granted elastic cluster:admin/xpack/security/user/put",
                "put_user -",
                // elastic's _authenticate: its authentication_success has no action, so p1 does not ignore it
                "authentication_success elastic");
    }

    interface Requests {
        void run(TestNode n) throws Exception;
    }

    private List<JsonNode> run(Map<String, String> settings, Requests requests) throws Exception {
        Map<String, String> s = new java.util.HashMap<>(settings);
        s.put("xpack.security.audit.enabled", "true");
        s.put("path.logs", home.resolve("logs").toString());
        try (TestNode n = TestNode.start(home, s)) {
            requests.run(n);
        }
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(home.resolve("logs/test-cluster_audit.json"))) {
            AuditLogTest.assertFieldsInElasticsearchOrder(l);
            out.add(Json.MAPPER.readTree(l));
        }
        return out;
    }

    private static List<String> actions(List<JsonNode> lines) {
        return lines.stream().map(j -> j.get("event.action").asText()).toList();
    }
}
