package io.svctoken.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A header Elasticsearch reads as one value, sent several times with different values: a 400
 * {@code illegal_argument_exception} before authentication, never "the first one wins" (a proxy that
 * adds its own {@code Authorization} in front of the client's would otherwise decide who the caller is).
 */
class SingleValuedHeadersTest {

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String request(String... headers) {
        return "GET /_security/_authenticate HTTP/1.1\r\nHost: x\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
    }

    private static void assertMultipleValues(RawHttp.Answer a, String header) {
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
        JsonNode error = a.json().get("error");
        String reason = "multiple values for single-valued header [" + header + "].";
        assertThat(error.get("type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(error.get("reason").asText()).isEqualTo(reason);
        assertThat(error.get("root_cause").get(0).get("type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(error.get("root_cause").get(0).get("reason").asText()).isEqualTo(reason);
        assertThat(a.json().get("status").asInt()).isEqualTo(400);
    }

    @Test
    void twoDifferentAuthorizationHeadersAre400WhicheverComesFirstAndTheConnectionStaysUsable() throws Exception {
        String wrong = "Authorization: " + TestNode.basic("elastic", "wrong-password");
        try (RawHttp c = new RawHttp(node)) {
            assertMultipleValues(c.send(request("Authorization: " + TestNode.ELASTIC_BASIC, wrong)).answer(), "Authorization");
            assertMultipleValues(c.send(request(wrong, "Authorization: " + TestNode.ELASTIC_BASIC)).answer(), "Authorization");
            assertThat(c.send(RawHttp.get("/_security/_authenticate")).answer().status()).as("kept alive").isEqualTo(200);
        }
    }

    @Test
    void theCheckComesBeforeAuthenticationAndIgnoresTheNamesCase() throws Exception {
        try (RawHttp c = new RawHttp(node)) {
            // neither value authenticates: still 400, not 401
            assertMultipleValues(c.send(request("authorization: Basic eDp5", "AUTHORIZATION: Bearer nothing")).answer(), "Authorization");
        }
    }

    @Test
    void theSameValueRepeatedIsOneValue() throws Exception {
        try (RawHttp c = new RawHttp(node)) {
            RawHttp.Answer a = c.send(request("Authorization: " + TestNode.ELASTIC_BASIC, "Authorization: " + TestNode.ELASTIC_BASIC)).answer();
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().get("username").asText()).isEqualTo("elastic");
        }
    }

    @Test
    void theRunAsHeaderIsSingleValuedToo() throws Exception {
        try (RawHttp c = new RawHttp(node)) {
            assertMultipleValues(c.send(request("Authorization: " + TestNode.ELASTIC_BASIC, "es-security-runas-user: a",
                    "es-security-runas-user: b")).answer(), "es-security-runas-user");
        }
    }
}
