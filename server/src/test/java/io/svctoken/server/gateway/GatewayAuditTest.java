package io.svctoken.server.gateway;

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

/** The gateway's forwarded requests in the audit log: access granted or denied with the upstream action, its request name and indices. */
class GatewayAuditTest {

    @TempDir
    Path home;

    @Test
    void forwardedRequestsAreAuditedWithTheirIndices() throws Exception {
        Path logs = home.resolve("logs");
        try (RecordingUpstream upstream = new RecordingUpstream()) {
            try (TestNode n = TestNode.start(home, Map.of("svctoken.gateway.upstream", upstream.url(),
                    "xpack.security.audit.enabled", "true", "path.logs", logs.toString()))) {
                assertThat(n.asElastic("GET", "/logs-1/_search").status()).isEqualTo(200);
                assertThat(n.asElastic("PUT", "/_security/user/carol", "{\"password\":\"carol-password-1\",\"roles\":[]}").status())
                        .isEqualTo(200);
                assertThat(n.request("GET", "/logs-2/_search", TestNode.basic("carol", "carol-password-1")).status()).isEqualTo(403);
                assertThat(n.request("GET", "/logs-2/_search", null).status()).isEqualTo(401);
            }
            List<String> forwarded = new ArrayList<>();
            for (String line : Files.readAllLines(logs.resolve("test-cluster_audit.json"))) {
                JsonNode j = Json.MAPPER.readTree(line);
                if (j.has("indices") || j.path("url.path").asText().startsWith("/logs")) {
                    forwarded.add(line.replaceAll("\"(timestamp|node\\.id|cluster\\.uuid|request\\.id|origin\\.address)\":\"[^\"]*\"", "\"$1\":\"*\""));
                }
            }
            assertThat(forwarded).containsExactly(
                    "{\"type\":\"audit\", \"timestamp\":\"*\", \"cluster.uuid\":\"*\", \"node.id\":\"*\", \"event.type\":\"transport\","
                            + " \"event.action\":\"access_granted\", \"authentication.type\":\"REALM\", \"user.name\":\"elastic\", \"user.realm\":\"reserved\","
                            + " \"user.roles\":[\"superuser\"], \"origin.type\":\"rest\", \"origin.address\":\"*\", \"request.id\":\"*\","
                            + " \"action\":\"indices:data/read/search\", \"request.name\":\"SearchRequest\", \"indices\":[\"logs-1\"]}",
                    "{\"type\":\"audit\", \"timestamp\":\"*\", \"cluster.uuid\":\"*\", \"node.id\":\"*\", \"event.type\":\"transport\","
                            + " \"event.action\":\"access_denied\", \"authentication.type\":\"REALM\", \"user.name\":\"carol\", \"user.realm\":\"default_native\","
                            + " \"user.roles\":[], \"origin.type\":\"rest\", \"origin.address\":\"*\", \"request.id\":\"*\","
                            + " \"action\":\"indices:data/read/search\", \"request.name\":\"SearchRequest\", \"indices\":[\"logs-2\"]}",
                    "{\"type\":\"audit\", \"timestamp\":\"*\", \"cluster.uuid\":\"*\", \"node.id\":\"*\", \"event.type\":\"rest\","
                            + " \"event.action\":\"anonymous_access_denied\", \"origin.type\":\"rest\", \"origin.address\":\"*\", \"url.path\":\"/logs-2/_search\","
                            + " \"request.method\":\"GET\", \"request.id\":\"*\"}");
        }
    }
}
