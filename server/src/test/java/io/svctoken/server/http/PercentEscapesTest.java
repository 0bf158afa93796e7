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
 * Malformed percent-escapes get Elasticsearch's 400 on a connection that stays usable: in the query string
 * {@code bad_parameter_exception} wrapping the decoder's {@code illegal_argument_exception}, in a path
 * parameter the decoder's {@code illegal_argument_exception} itself. Both come after authentication, as there.
 */
class PercentEscapesTest {

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

    /** Answers {@code path} as the elastic user, then checks that the same connection answers the next request. */
    private static RawHttp.Answer getThenNext(String path) throws Exception {
        try (RawHttp c = new RawHttp(node)) {
            RawHttp.Answer a = c.send(RawHttp.get(path)).answer();
            assertThat(a.header("X-Elastic-Product")).isEqualTo("Elasticsearch");
            assertThat(a.header("connection")).as("kept alive").isNotEqualTo("close");
            assertThat(c.send(RawHttp.get("/_security/_authenticate")).answer().status()).as("the next request on the connection")
                    .isEqualTo(200);
            return a;
        }
    }

    private static void assertBadParameter(RawHttp.Answer a, String decoderMessage) {
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        JsonNode error = a.json().get("error");
        String reason = "java.lang.IllegalArgumentException: " + decoderMessage;
        assertThat(error.get("root_cause").get(0).get("type").asText()).isEqualTo("bad_parameter_exception");
        assertThat(error.get("root_cause").get(0).get("reason").asText()).isEqualTo(reason);
        assertThat(error.get("type").asText()).isEqualTo("bad_parameter_exception");
        assertThat(error.get("reason").asText()).isEqualTo(reason);
        assertThat(error.get("caused_by").get("type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(error.get("caused_by").get("reason").asText()).isEqualTo(decoderMessage);
        assertThat(a.json().get("status").asInt()).isEqualTo(400);
    }

    @Test
    void anUnterminatedEscapeInTheQueryIsABadParameter() throws Exception {
        assertBadParameter(getThenNext("/_security/_authenticate?a=%"), "unterminated escape sequence at end of string: %");
        assertBadParameter(getThenNext("/_security/_authenticate?pretty&%"), "unterminated escape sequence at end of string: %");
    }

    @Test
    void anInvalidOrPartialEscapeInTheQueryIsABadParameter() throws Exception {
        assertBadParameter(getThenNext("/_security/_authenticate?filter_path=%zz"), "invalid escape sequence `%zz' at index 0 of: %zz");
        assertBadParameter(getThenNext("/_security/_authenticate?filter_path=ab%4g"), "invalid escape sequence `%4g' at index 2 of: ab%4g");
        assertBadParameter(getThenNext("/_security/_authenticate?x%1=1"), "partial escape sequence at end of string: x%1");
    }

    @Test
    void aBadEscapeInAPathParameterIsAnIllegalArgument() throws Exception {
        RawHttp.Answer a = getThenNext("/_security/user/%zz");
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        JsonNode error = a.json().get("error");
        assertThat(error.get("type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(error.get("reason").asText()).isEqualTo("invalid escape sequence `%zz' at index 0 of: %zz");
        assertThat(error.get("root_cause").get(0).get("reason").asText()).isEqualTo("invalid escape sequence `%zz' at index 0 of: %zz");

        RawHttp.Answer b = getThenNext("/_security/user/bob%");
        assertThat(b.status()).as(b.body()).isEqualTo(400);
        assertThat(b.json().get("error").get("reason").asText()).isEqualTo("unterminated escape sequence at end of string: bob%");
    }

    @Test
    void authenticationComesFirst() throws Exception {
        try (RawHttp c = new RawHttp(node)) {
            RawHttp.Answer a = c.send("GET /_security/_authenticate?a=% HTTP/1.1\r\nHost: x\r\n\r\n").answer();
            assertThat(a.status()).as(a.body()).isEqualTo(401);
            assertThat(c.send(RawHttp.get("/_security/_authenticate")).answer().status()).isEqualTo(200);
        }
    }

    @Test
    void wellFormedEscapesStillDecodeAsInElasticsearch() throws Exception {
        // '+' is a space in the query (filter_path "user name" keeps nothing); escapes decode in names and values
        assertThat(getThenNext("/_security/_authenticate?filter_path=user+name").body()).isEqualTo("{}");
        assertThat(getThenNext("/_security/_authenticate?filter%5Fpath=user%6eame").body()).isEqualTo("{\"username\":\"elastic\"}");
        assertThat(getThenNext("/_security/user/elast%69c").status()).isEqualTo(200);
    }
}
