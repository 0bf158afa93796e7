package io.svctoken.server.gateway;

import io.svctoken.server.TestNode;
import io.svctoken.server.console.ConsoleClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.svctoken.server.TestNode.ELASTIC_BASIC;
import static io.svctoken.server.TestNode.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's cookie in gateway mode, against a real stand-in upstream: it authenticates what svctoken answers itself,
 * never a forwarded request, and the upstream never sees it (other cookies pass).
 */
class GatewayConsoleCookieTest {

    @TempDir
    static Path home;
    static RecordingUpstream recorder;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        recorder = new RecordingUpstream();
        node = TestNode.start(home, Map.of("svctoken.gateway.upstream", recorder.url(),
                "svctoken.gateway.upstream_auth.basic.username", "gateway",
                "svctoken.gateway.upstream_auth.basic.password", "gateway-secret"));
    }

    @AfterAll
    static void stop() {
        node.close();
        recorder.close();
    }

    @Test
    void theCookieAuthenticatesLocalEndpointsButNeverAForwardedRequest() throws Exception {
        ConsoleClient c = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        assertThat(c.get(node, "/_security/_authenticate").json().path("username").asText()).isEqualTo("elastic");

        int before = recorder.requests.get();
        TestNode.Response forwarded = c.get(node, "/logs/_search");
        assertThat(forwarded.status()).as(forwarded.body()).isEqualTo(401);
        assertThat(forwarded.json().at("/error/reason").asText()).startsWith("missing authentication credentials");
        assertThat(recorder.requests.get()).as("nothing reached the upstream").isEqualTo(before);
    }

    @Test
    void theSessionCookieIsRemovedFromAForwardedRequestOtherCookiesPass() throws Exception {
        ConsoleClient c = ConsoleClient.signInAs(node, "elastic", PASSWORD);
        TestNode.Response r = node.request("GET", "/logs/_search", ELASTIC_BASIC, null,
                Map.of("Cookie", "a=1; svctoken_session=" + c.cookie + "; b=2"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(recorder.lastPath.get()).isEqualTo("/logs/_search");
        assertThat(recorder.lastHeaders.get().get("Cookie")).containsExactly("a=1; b=2");

        r = node.request("GET", "/logs/_search", ELASTIC_BASIC, null, Map.of("Cookie", "svctoken_session=" + c.cookie));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(recorder.lastHeaders.get().get("Cookie")).as("no Cookie header left").isNull();

        r = node.request("GET", "/logs/_search", ELASTIC_BASIC, null, Map.of("Cookie", "theme=dark"));
        assertThat(recorder.lastHeaders.get().get("Cookie")).containsExactly("theme=dark");
    }
}
