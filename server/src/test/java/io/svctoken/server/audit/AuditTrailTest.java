package io.svctoken.server.audit;

import io.svctoken.core.authc.CredentialAttempt;
import io.svctoken.core.authc.CredentialAttempt.Reason;
import io.svctoken.core.authc.CredentialAttempt.Type;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.server.settings.AuditSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How each refused credential becomes an event, and Elasticsearch's address format. */
class AuditTrailTest {

    @TempDir
    Path dir;

    @Test
    void addressesAsElasticsearchFormatsThem() {
        assertThat(AuditTrail.address(new InetSocketAddress("::1", 52434))).isEqualTo("[::1]:52434");
        assertThat(AuditTrail.address(new InetSocketAddress("fe80:0:0:0:1:0:0:2", 9200))).isEqualTo("[fe80::1:0:0:2]:9200");
        assertThat(AuditTrail.address(new InetSocketAddress("127.0.0.1", 9200))).isEqualTo("127.0.0.1:9200");
        assertThat(AuditTrail.address(null)).isNull();
    }

    @Test
    void everyReasonButMissingCredentialsIsAFailedAuthenticationNamingTheCredentialTried() throws Exception {
        AuditSettings settings = new AuditSettings(true, EnumSet.allOf(AuditSettings.Event.class), false, false, false, false, false, false,
                false, Map.of(), AuditSettings.OnWriteFailure.CONTINUE);
        Path logs = dir.resolve("logs");
        RequestInfo r = new RequestInfo("id1", "GET", "/_security/_authenticate?pretty", new InetSocketAddress("127.0.0.1", 5000), null,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "10.0.0.1", false);
        try (AuditTrail trail = new AuditTrail(settings, new AuditTrail.Origin("c", "u", "n", "i", "h", "127.0.0.1"),
                new AuditFile(logs, "c", AuditFile.ONE_GB, Clock.systemUTC(), 100), Clock.systemUTC())) {
            trail.authenticationFailed(r, AuthenticationException.unauthenticated("x").withAttempt(CredentialAttempt.NONE));
            trail.authenticationFailed(r, AuthenticationException.unauthenticated("x")
                    .withAttempt(new CredentialAttempt(Type.BASIC, "bob", null, Reason.THROTTLED)));
            trail.authenticationFailed(r, AuthenticationException.unauthenticated("x")
                    .withAttempt(new CredentialAttempt(Type.API_KEY, "key-id", null, Reason.EXPIRED)));
            trail.authenticationFailed(r, AuthenticationException.unauthenticated("x")
                    .withAttempt(new CredentialAttempt(Type.SERVICE_TOKEN, "elastic/fleet-server", "t1", Reason.DISABLED)));
            trail.authenticationFailed(r, AuthenticationException.unauthenticated("x")
                    .withAttempt(new CredentialAttempt(Type.BEARER, null, null, Reason.INVALID)));
            trail.authenticationFailed(r, AuthenticationException.unauthenticated("x")
                    .withAttempt(new CredentialAttempt(Type.BASIC, null, null, Reason.MALFORMED)));
        }
        List<String> lines = Files.readAllLines(logs.resolve("c_audit.json")).stream().map(AuditLogTest::masked).toList();
        String tail = " \"origin.type\":\"rest\", \"origin.address\":\"*\", \"url.path\":\"/_security/_authenticate\", \"url.query\":\"pretty\","
                + " \"request.method\":\"GET\", \"request.id\":\"*\", \"trace.id\":\"0af7651916cd43dd8448eb211c80319c\", \"x_forwarded_for\":\"10.0.0.1\"}";
        String head = "{\"type\":\"audit\", \"timestamp\":\"*\", \"event.type\":\"rest\", ";
        assertThat(lines).containsExactly(
                head + "\"event.action\":\"anonymous_access_denied\"," + tail,
                head + "\"event.action\":\"authentication_failed\", \"user.name\":\"bob\"," + tail,
                head + "\"event.action\":\"authentication_failed\", \"user.name\":\"key-id\"," + tail,
                head + "\"event.action\":\"authentication_failed\", \"user.name\":\"elastic/fleet-server\", \"authentication.token.name\":\"t1\"," + tail,
                head + "\"event.action\":\"authentication_failed\", \"user.name\":\"_bearer_token\"," + tail,
                head + "\"event.action\":\"authentication_failed\"," + tail);
    }
}
