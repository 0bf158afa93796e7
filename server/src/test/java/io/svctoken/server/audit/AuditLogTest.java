package io.svctoken.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import io.svctoken.server.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real node with the audit trail on: requests of each kind, then its file read line by line and compared with
 * Elasticsearch's audit schema (the spec's three example lines as golden shapes, times and ids masked).
 */
class AuditLogTest {

    private static final String USER_PASSWORD = "audited-user-password-1";
    private static final String NEW_PASSWORD = "audited-user-password-2";

    // The three example lines of Elasticsearch's audit log in the spec, with the values that vary masked.
    private static final String ACCESS_GRANTED = "{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"transport\","
            + " \"event.action\":\"access_granted\", \"authentication.type\":\"TOKEN\", \"user.name\":\"elastic/fleet-server\","
            + " \"user.realm\":\"_service_account\", \"user.roles\":[\"elastic/fleet-server\"], \"authentication.token.name\":\"token1\","
            + " \"authentication.token.type\":\"_service_account_index\", \"origin.type\":\"rest\", \"origin.address\":\"*\","
            + " \"request.id\":\"*\", \"action\":\"cluster:admin/xpack/security/user/authenticate\", \"request.name\":\"AuthenticateRequest\"}";
    private static final String AUTHENTICATION_FAILED = "{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"rest\","
            + " \"event.action\":\"authentication_failed\", \"user.name\":\"elastic/fleet-server\", \"authentication.token.name\":\"token1\","
            + " \"origin.type\":\"rest\", \"origin.address\":\"*\", \"url.path\":\"/_security/_authenticate\", \"request.method\":\"GET\","
            + " \"request.id\":\"*\"}";
    private static final String CREATE_SERVICE_TOKEN = "{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\","
            + " \"event.type\":\"security_config_change\", \"event.action\":\"create_service_token\", \"request.id\":\"*\","
            + " \"create\":{\"service_token\":{\"namespace\":\"elastic\",\"service\":\"fleet-server\",\"name\":\"token1\"}}}";

    @TempDir
    Path home;

    @Test
    void everyKindOfRequestIsAuditedInElasticsearchsSchemaAndNoSecretIsWritten() throws Exception {
        Path logs = home.resolve("logs");
        List<String> secrets = new ArrayList<>(List.of(TestNode.PASSWORD, USER_PASSWORD, NEW_PASSWORD, TestNode.ELASTIC_BASIC.substring(6)));
        try (TestNode n = TestNode.start(home, Map.of("xpack.security.audit.enabled", "true", "path.logs", logs.toString(),
                "xpack.security.audit.logfile.events.include", "_all", "xpack.security.audit.logfile.events.emit_request_body", "true",
                "xpack.security.audit.logfile.emit_cluster_uuid", "false", "xpack.security.authc.token.enabled", "true"))) {
            // a service token: created, used, tried with a wrong secret
            TestNode.Response created = n.asElastic("POST", "/_security/service/elastic/fleet-server/credential/token/token1");
            assertThat(created.status()).isEqualTo(200);
            String token = created.json().at("/token/value").asText();
            secrets.add(token);
            String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            secrets.add(decoded.substring(decoded.indexOf(':') + 1));
            assertThat(n.request("GET", "/_security/_authenticate", TestNode.bearer(token)).status()).isEqualTo(200);
            String wrong = Base64.getEncoder().encodeToString((decoded.substring(0, decoded.length() - 1)
                    + (decoded.endsWith("x") ? "y" : "x")).getBytes(StandardCharsets.UTF_8));
            assertThat(n.request("GET", "/_security/_authenticate", TestNode.bearer(wrong)).status()).isEqualTo(401);
            // no credentials, a wrong password
            assertThat(n.request("GET", "/_security/_authenticate", null).status()).isEqualTo(401);
            assertThat(n.request("GET", "/_security/_authenticate", TestNode.basic("elastic", "not-the-password")).status()).isEqualTo(401);
            // users: put (with a password), change password, disable, enable; a user without privileges is denied
            assertThat(n.asElastic("PUT", "/_security/user/alice", "{\"password\":\"" + USER_PASSWORD + "\",\"roles\":[\"viewer\"],"
                    + "\"full_name\":\"Alice A\"}").status()).isEqualTo(200);
            assertThat(n.asElastic("POST", "/_security/user/alice/_password", "{\"password\":\"" + NEW_PASSWORD + "\"}").status())
                    .isEqualTo(200);
            assertThat(n.asElastic("PUT", "/_security/user/alice/_disable").status()).isEqualTo(200);
            assertThat(n.asElastic("PUT", "/_security/user/alice/_enable").status()).isEqualTo(200);
            assertThat(n.request("GET", "/_security/user", TestNode.basic("alice", NEW_PASSWORD)).status()).isEqualTo(403);
            // run as
            assertThat(n.request("GET", "/_security/_authenticate", TestNode.ELASTIC_BASIC, null,
                    Map.of("es-security-runas-user", "alice")).status()).isEqualTo(200);
            // roles
            assertThat(n.asElastic("PUT", "/_security/role/r1", "{\"cluster\":[\"monitor\"],\"indices\":[{\"names\":[\"logs-*\"],"
                    + "\"privileges\":[\"read\"]}]}").status()).isEqualTo(200);
            assertThat(n.asElastic("DELETE", "/_security/role/r1").status()).isEqualTo(200);
            // API keys
            TestNode.Response key = n.asElastic("POST", "/_security/api_key", "{\"name\":\"k1\",\"expiration\":\"1d\"}");
            assertThat(key.status()).isEqualTo(200);
            secrets.add(key.json().get("api_key").asText());
            secrets.add(key.json().get("encoded").asText());
            String keyId = key.json().get("id").asText();
            assertThat(n.request("GET", "/_security/_authenticate", "ApiKey " + key.json().get("encoded").asText()).status()).isEqualTo(200);
            assertThat(n.asElastic("DELETE", "/_security/api_key", "{\"ids\":[\"" + keyId + "\"]}").status()).isEqualTo(200);
            // OAuth2 tokens: the bodies that carry a password, a refresh token or a token lose them
            TestNode.Response oauth = n.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"password\",\"username\":\"alice\","
                    + "\"password\":\"" + NEW_PASSWORD + "\"}");
            assertThat(oauth.status()).as(oauth.body()).isEqualTo(200);
            secrets.add(oauth.json().get("access_token").asText());
            secrets.add(oauth.json().get("refresh_token").asText());
            assertThat(n.request("GET", "/_security/_authenticate", TestNode.bearer(oauth.json().get("access_token").asText())).status())
                    .isEqualTo(200);
            TestNode.Response refreshed = n.asElastic("POST", "/_security/oauth2/token", "{\"grant_type\":\"refresh_token\","
                    + "\"refresh_token\":\"" + oauth.json().get("refresh_token").asText() + "\"}");
            secrets.add(refreshed.json().get("access_token").asText());
            secrets.add(refreshed.json().get("refresh_token").asText());
            assertThat(n.asElastic("DELETE", "/_security/oauth2/token", "{\"token\":\"" + oauth.json().get("access_token").asText() + "\"}")
                    .status()).isEqualTo(200);
            // the token and the user go
            assertThat(n.asElastic("DELETE", "/_security/service/elastic/fleet-server/credential/token/token1").status()).isEqualTo(200);
            assertThat(n.asElastic("DELETE", "/_security/user/alice").status()).isEqualTo(200);
            String nodeId = n.node().identity().nodeId();
            n.close();

            Path file = logs.resolve("test-cluster_audit.json");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
            String all = Files.readString(file);
            for (String secret : secrets) {
                assertThat(all).as("a secret in the audit log").doesNotContain(secret);
            }
            assertThat(all).doesNotContain("Authorization").doesNotContain("password_hash");
            List<String> lines = all.lines().toList();
            for (String line : lines) {
                assertFieldsInElasticsearchOrder(line);
                assertThat(line).startsWith("{\"type\":\"audit\", \"timestamp\":\"").matches(".*\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d,\\d{3}[+-]\\d{4}\".*");
                JsonNode j = Json.MAPPER.readTree(line);
                assertThat(j.get("node.id").asText()).isEqualTo(nodeId);
                assertThat(j.has("cluster.uuid")).isFalse();
            }

            // the spec's three lines, field by field and in order
            assertThat(masked(find(lines, j -> "access_granted".equals(text(j, "event.action"))
                    && "elastic/fleet-server".equals(text(j, "user.name"))))).isEqualTo(ACCESS_GRANTED);
            assertThat(masked(find(lines, j -> "authentication_failed".equals(text(j, "event.action"))
                    && "elastic/fleet-server".equals(text(j, "user.name"))))).isEqualTo(AUTHENTICATION_FAILED);
            assertThat(masked(find(lines, j -> "create_service_token".equals(text(j, "event.action"))))).isEqualTo(CREATE_SERVICE_TOKEN);

            // the other events
            assertThat(masked(find(lines, j -> "anonymous_access_denied".equals(text(j, "event.action"))))).isEqualTo(
                    "{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"rest\", \"event.action\":\"anonymous_access_denied\","
                            + " \"origin.type\":\"rest\", \"origin.address\":\"*\", \"url.path\":\"/_security/_authenticate\", \"request.method\":\"GET\","
                            + " \"request.id\":\"*\"}");
            assertThat(masked(find(lines, j -> "authentication_failed".equals(text(j, "event.action")) && "elastic".equals(text(j, "user.name")))))
                    .isEqualTo("{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"rest\", \"event.action\":\"authentication_failed\","
                            + " \"user.name\":\"elastic\", \"origin.type\":\"rest\", \"origin.address\":\"*\", \"url.path\":\"/_security/_authenticate\","
                            + " \"request.method\":\"GET\", \"request.id\":\"*\"}");
            assertThat(masked(find(lines, j -> "access_denied".equals(text(j, "event.action"))))).isEqualTo(
                    "{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"transport\", \"event.action\":\"access_denied\","
                            + " \"authentication.type\":\"REALM\", \"user.name\":\"alice\", \"user.realm\":\"default_native\", \"user.roles\":[\"viewer\"],"
                            + " \"origin.type\":\"rest\", \"origin.address\":\"*\", \"request.id\":\"*\", \"action\":\"cluster:admin/xpack/security/user/get\","
                            + " \"request.name\":\"GetUsersRequest\"}");
            assertThat(masked(find(lines, j -> "run_as_granted".equals(text(j, "event.action"))))).isEqualTo(
                    "{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"transport\", \"event.action\":\"run_as_granted\","
                            + " \"authentication.type\":\"REALM\", \"user.name\":\"elastic\", \"user.run_as.name\":\"alice\", \"user.realm\":\"reserved\","
                            + " \"user.run_as.realm\":\"default_native\", \"user.roles\":[\"superuser\"], \"origin.type\":\"rest\", \"origin.address\":\"*\","
                            + " \"request.id\":\"*\", \"action\":\"cluster:admin/xpack/security/user/authenticate\", \"request.name\":\"AuthenticateRequest\"}");
            assertThat(masked(find(lines, j -> "access_granted".equals(text(j, "event.action")) && "elastic".equals(text(j, "user.run_by.name")))))
                    .isEqualTo("{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"transport\", \"event.action\":\"access_granted\","
                            + " \"authentication.type\":\"REALM\", \"user.name\":\"alice\", \"user.run_by.name\":\"elastic\", \"user.realm\":\"default_native\","
                            + " \"user.run_by.realm\":\"reserved\", \"user.roles\":[\"viewer\"], \"origin.type\":\"rest\", \"origin.address\":\"*\","
                            + " \"request.id\":\"*\", \"action\":\"cluster:admin/xpack/security/user/authenticate\", \"request.name\":\"AuthenticateRequest\"}");
            assertThat(masked(find(lines, j -> "access_granted".equals(text(j, "event.action")) && "API_KEY".equals(text(j, "authentication.type")))))
                    .isEqualTo("{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"transport\", \"event.action\":\"access_granted\","
                            + " \"authentication.type\":\"API_KEY\", \"user.name\":\"elastic\", \"user.realm\":\"reserved\", \"user.roles\":[], \"apikey.id\":\""
                            + keyId + "\", \"apikey.name\":\"k1\", \"origin.type\":\"rest\", \"origin.address\":\"*\", \"request.id\":\"*\","
                            + " \"action\":\"cluster:admin/xpack/security/user/authenticate\", \"request.name\":\"AuthenticateRequest\"}");
            // authentication_success with the body, its password removed
            assertThat(masked(find(lines, j -> "authentication_success".equals(text(j, "event.action")) && "PUT".equals(text(j, "request.method"))
                    && "/_security/user/alice".equals(text(j, "url.path"))))).isEqualTo(
                    "{\"type\":\"audit\", \"timestamp\":\"*\", \"node.id\":\"*\", \"event.type\":\"rest\", \"event.action\":\"authentication_success\","
                            + " \"authentication.type\":\"REALM\", \"user.name\":\"elastic\", \"user.realm\":\"reserved\", \"origin.type\":\"rest\","
                            + " \"origin.address\":\"*\", \"realm\":\"reserved\", \"url.path\":\"/_security/user/alice\", \"request.method\":\"PUT\","
                            + " \"request.body\":\"{\\\"roles\\\":[\\\"viewer\\\"],\\\"full_name\\\":\\\"Alice A\\\"}\", \"request.id\":\"*\"}");

            // every write, as a security_config_change with its object
            Map<String, String> changes = new LinkedHashMap<>();
            for (String line : lines) {
                JsonNode j = Json.MAPPER.readTree(line);
                if ("security_config_change".equals(text(j, "event.type"))) {
                    Iterator<String> names = j.fieldNames();
                    String last = null;
                    while (names.hasNext()) {
                        last = names.next();
                    }
                    changes.put(text(j, "event.action"), "\"" + last + "\":" + j.get(last));
                    assertThat(j.has("user.name")).isFalse();
                    assertThat(j.has("origin.address")).isFalse();
                }
            }
            assertThat(changes).containsExactly(
                    Map.entry("create_service_token", "\"create\":{\"service_token\":{\"namespace\":\"elastic\",\"service\":\"fleet-server\",\"name\":\"token1\"}}"),
                    Map.entry("put_user", "\"put\":{\"user\":{\"name\":\"alice\",\"enabled\":true,\"roles\":[\"viewer\"],\"full_name\":\"Alice A\","
                            + "\"has_password\":true}}"),
                    Map.entry("change_password", "\"change\":{\"password\":{\"user\":{\"name\":\"alice\"}}}"),
                    Map.entry("change_disable_user", "\"change\":{\"disable\":{\"user\":{\"name\":\"alice\"}}}"),
                    Map.entry("change_enable_user", "\"change\":{\"enable\":{\"user\":{\"name\":\"alice\"}}}"),
                    Map.entry("put_role", "\"put\":{\"role\":{\"name\":\"r1\",\"role_descriptor\":{\"cluster\":[\"monitor\"],\"indices\":"
                            + "[{\"names\":[\"logs-*\"],\"privileges\":[\"read\"],\"allow_restricted_indices\":false}],\"applications\":[],\"run_as\":[]}}}"),
                    Map.entry("delete_role", "\"delete\":{\"role\":{\"name\":\"r1\"}}"),
                    Map.entry("create_apikey", "\"create\":{\"apikey\":{\"id\":\"" + keyId + "\",\"name\":\"k1\",\"type\":\"rest\",\"expiration\":\"1d\","
                            + "\"role_descriptors\":[]}}"),
                    Map.entry("invalidate_apikeys", "\"invalidate\":{\"apikeys\":{\"ids\":[\"" + keyId + "\"],\"owned_by_authenticated_user\":false}}"),
                    Map.entry("delete_service_token", "\"delete\":{\"service_token\":{\"namespace\":\"elastic\",\"service\":\"fleet-server\",\"name\":\"token1\"}}"),
                    Map.entry("delete_user", "\"delete\":{\"user\":{\"name\":\"alice\"}}"));
        }
    }

    /** The line's fields appear in the order of Elasticsearch's layout (a field it does not know fails). */
    static void assertFieldsInElasticsearchOrder(String line) throws Exception {
        Iterator<String> names = Json.MAPPER.readTree(line).fieldNames();
        int last = -1;
        while (names.hasNext()) {
            String f = names.next();
            int i = AuditTrail.ORDER.indexOf(f);
            assertThat(i).as("field [%s] of %s", f, line).isGreaterThan(last);
            last = i;
        }
    }

    /** A token request is audited under the action it was routed to: a user-managed account's namespace, the user-managed action. */
    @Test
    void aServiceTokenRequestIsAuditedUnderTheActionItIsRoutedTo() throws Exception {
        Path logs = home.resolve("logs");
        try (TestNode n = TestNode.start(home, Map.of("xpack.security.audit.enabled", "true", "path.logs", logs.toString(),
                "xpack.security.audit.logfile.events.include", "access_denied,access_granted"))) {
            assertThat(n.asElastic("PUT", "/_security/role/sa_manager", "{\"cluster\":[\"manage_service_account\"]}").status()).isEqualTo(200);
            assertThat(n.asElastic("PUT", "/_security/user/bob", "{\"password\":\"" + USER_PASSWORD + "\",\"roles\":[\"sa_manager\"]}").status())
                    .isEqualTo(200);
            assertThat(n.asElastic("PUT", "/_security/service/apps/svc_1", "{\"roles\":[]}").status()).isEqualTo(200);
            assertThat(n.request("POST", "/_security/service/apps/svc_1/credential/token/t1", TestNode.basic("bob", USER_PASSWORD)).status())
                    .isEqualTo(403);
            assertThat(n.asElastic("POST", "/_security/service/apps/svc_1/credential/token/t2").status()).isEqualTo(200);
            n.close();
            List<String> lines = Files.readString(logs.resolve("test-cluster_audit.json")).lines().toList();
            assertThat(text(Json.MAPPER.readTree(find(lines, j -> "access_denied".equals(text(j, "event.action")))), "action"))
                    .isEqualTo("cluster:admin/xpack/security/user_managed_service_account/token/create");
            assertThat(find(lines, j -> "access_granted".equals(text(j, "event.action")) && "elastic".equals(text(j, "user.name"))
                    && text(j, "action").contains("token/create"))).contains("user_managed_service_account/token/create");
        }
    }

    static String masked(String line) {
        return line.replaceAll("\"(timestamp|node\\.id|request\\.id|origin\\.address)\":\"[^\"]*\"", "\"$1\":\"*\"");
    }

    static String find(List<String> lines, Predicate<JsonNode> which) throws Exception {
        List<String> found = new ArrayList<>();
        for (String l : lines) {
            if (which.test(Json.MAPPER.readTree(l))) {
                found.add(l);
            }
        }
        assertThat(found).as("matching lines in %s", String.join("\n", lines)).hasSize(1);
        return found.get(0);
    }

    static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null ? null : v.asText();
    }
}
