package io.svctoken.server.console;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.svctoken.server.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's sign-ins and cookie requests in the audit trail, as the header's authentications are; with request bodies
 * audited, no password, API key, session id or CSRF token is written.
 */
class ConsoleAuditTest {

    @TempDir
    Path home;

    @Test
    void signInsAndCookieRequestsAreAuditedWithoutTheirSecrets() throws Exception {
        Path logs = home.resolve("logs");
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, "wrong-password-123"));
        try (TestNode n = TestNode.start(home, Map.of("xpack.security.audit.enabled", "true", "path.logs", logs.toString(),
                "xpack.security.audit.logfile.events.include", "_all", "xpack.security.audit.logfile.events.emit_request_body", "true"))) {
            ConsoleClient c = ConsoleClient.signInAs(n, "elastic", PASSWORD);
            secrets.add(c.cookie);
            secrets.add(c.csrf);
            assertThat(n.request("POST", ConsoleClient.SESSION, null, "{\"username\":\"elastic\",\"password\":\"wrong-password-123\"}",
                    Map.of()).status()).isEqualTo(401);
            TestNode.Response key = n.asElastic("POST", "/_security/api_key", "{\"name\":\"console\"}");
            String encoded = key.json().path("encoded").asText();
            secrets.add(encoded);
            secrets.add(key.json().path("api_key").asText());
            ConsoleClient byKey = ConsoleClient.signIn(n, "{\"api_key\":\"" + encoded + "\"}");
            secrets.add(byKey.cookie);
            secrets.add(byKey.csrf);
            assertThat(c.get(n, "/_security/_authenticate").status()).isEqualTo(200);
            assertThat(c.request(n, "POST", "/_security/service/elastic/fleet-server/credential/token/t1", null, false).status())
                    .isEqualTo(403);
            assertThat(n.request("GET", "/_security/_authenticate", null, null, Map.of("Cookie", "svctoken_session=forged")).status())
                    .isEqualTo(401);
        }
        Path file = logs.resolve("test-cluster_audit.json");
        String all = Files.readString(file);
        for (String secret : secrets) {
            assertThat(all).as("a secret in the audit log").doesNotContain(secret);
            assertThat(all).doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes()));
        }
        List<String> lines = all.lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event.action\":\"authentication_success\"")
                .contains("\"user.name\":\"elastic\"").contains("\"url.path\":\"/_svctoken/console/session\"")
                .contains("\"request.method\":\"POST\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event.action\":\"authentication_failed\"")
                .contains("\"user.name\":\"elastic\"").contains("\"url.path\":\"/_svctoken/console/session\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event.action\":\"authentication_success\"")
                .contains("\"authentication.type\":\"API_KEY\"").contains("\"url.path\":\"/_svctoken/console/session\""));
        // a cookie request: authenticated, then authorized as the header's are
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event.action\":\"authentication_success\"")
                .contains("\"url.path\":\"/_security/_authenticate\"").contains("\"user.name\":\"elastic\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event.action\":\"access_granted\"")
                .contains("\"action\":\"cluster:admin/xpack/security/user/authenticate\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"event.action\":\"authentication_failed\"")
                .contains("\"url.path\":\"/_security/service/elastic/fleet-server/credential/token/t1\""));
    }
}
