package io.svctoken.server.gateway.bulk;

import io.svctoken.server.http.EsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static io.svctoken.server.gateway.bulk.Bodies.text;
import static io.svctoken.server.gateway.bulk.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class MultiGetBodyTest {

    private static final String REASON = "action [indices:data/read/mget[shard]] is unauthorized for user [reader] with effective roles"
            + " [logs] on indices [secret], this action is granted by the index privileges [read,all]";
    private static final BiFunction<String, String, String> LOGS_ONLY = (op, index) -> index.startsWith("logs") ? null : REASON;

    @Test
    void deniedDocsAreLeftOutOfTheForwardedBodyAndAnsweredInPlace() {
        MultiGetBody body = new MultiGetBody(null, LOGS_ONLY, MultiGetBody.DEFAULT_MAX_BODY);
        body.feed(utf8("{\"docs\":[{\"_index\":\"logs-1\",\"_id\":\"1\",\"_source\":[\"a\"]},"));
        body.feed(utf8("{\"_index\":\"secret\",\"_id\":\"2\"},{\"_index\":\"logs-2\",\"_id\":\"3\",\"routing\":\"r\"}]}"));
        MultiGetBody.Result result = body.end();

        assertThat(text(result.forward())).isEqualTo("{\"docs\":[{\"_index\":\"logs-1\",\"_id\":\"1\",\"_source\":[\"a\"]},"
                + "{\"_index\":\"logs-2\",\"_id\":\"3\",\"routing\":\"r\"}]}");
        assertThat(result.outcome().items()).isEqualTo(3);
        assertThat(result.outcome().denied()).containsExactly(new Denial(1, "get", "secret", "2", REASON));

        String upstream = "{\"docs\":[{\"_index\":\"logs-1\",\"_id\":\"1\",\"_version\":1,\"_seq_no\":0,\"_primary_term\":1,\"found\":true,"
                + "\"_source\":{\"a\":1}},{\"_index\":\"logs-2\",\"_id\":\"3\",\"found\":false}]}";
        assertThat(text(MultiGetAnswer.merge(utf8(upstream), result.outcome()))).isEqualTo("{\"docs\":["
                + "{\"_index\":\"logs-1\",\"_id\":\"1\",\"_version\":1,\"_seq_no\":0,\"_primary_term\":1,\"found\":true,\"_source\":{\"a\":1}},"
                + "{\"_index\":\"secret\",\"_id\":\"2\",\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"" + REASON + "\"}],"
                + "\"type\":\"security_exception\",\"reason\":\"" + REASON + "\"}},"
                + "{\"_index\":\"logs-2\",\"_id\":\"3\",\"found\":false}]}");
    }

    @Test
    void aBodyWithoutDenialsIsForwardedAsItCame() {
        byte[] bytes = utf8("{ \"ids\" : [\"1\", \"2\"] }");
        MultiGetBody body = new MultiGetBody("logs", LOGS_ONLY, MultiGetBody.DEFAULT_MAX_BODY);
        body.feed(bytes);
        MultiGetBody.Result result = body.end();
        assertThat(result.forward()).isEqualTo(bytes);
        assertThat(result.outcome().items()).isEqualTo(2);
        assertThat(result.outcome().denied()).isEmpty();
        byte[] upstream = utf8("{\"docs\":[]}");
        assertThat(MultiGetAnswer.merge(upstream, result.outcome())).isSameAs(upstream);
    }

    @Test
    void idsTakeThePathsIndexAndDocsTheirOwn() {
        List<String> asked = new ArrayList<>();
        MultiGetBody body = new MultiGetBody("p", (op, index) -> {
            asked.add(op + " " + index);
            return index.equals("p") ? "no" : null;
        }, MultiGetBody.DEFAULT_MAX_BODY);
        body.feed(utf8("{\"docs\":[{\"_id\":\"1\"},{\"_index\":\"q\",\"_id\":2}],\"ids\":[\"3\"]}"));
        MultiGetBody.Result result = body.end();
        assertThat(asked).containsExactly("get p", "get q", "get p");
        assertThat(text(result.forward())).isEqualTo("{\"docs\":[{\"_index\":\"q\",\"_id\":2}]}");
        assertThat(result.outcome().denied()).extracting(Denial::position).containsExactly(0, 2);
    }

    @Test
    void onlyDeniedDocsAreAnsweredLocally() {
        MultiGetBody body = new MultiGetBody("secret", LOGS_ONLY, MultiGetBody.DEFAULT_MAX_BODY);
        body.feed(utf8("{\"ids\":[\"1\"]}"));
        MultiGetBody.Result result = body.end();
        assertThat(result.forward()).isNull();
        assertThat(text(MultiGetAnswer.local(result.outcome()))).isEqualTo("{\"docs\":[{\"_index\":\"secret\",\"_id\":\"1\",\"error\":"
                + "{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"" + REASON + "\"}],\"type\":\"security_exception\","
                + "\"reason\":\"" + REASON + "\"}}]}");
    }

    @Test
    void malformedBodiesGetElasticsearchsTexts() {
        assertRefused("{\"doc\":[]}", "parsing_exception", "unknown key [doc] for a START_ARRAY, expected [docs] or [ids]");
        assertRefused("{\"ids\":[]}", "action_request_validation_exception", "Validation Failed: 1: no documents to get;");
        assertRefused("{\"ids\":[\"1\"]}", "action_request_validation_exception", "Validation Failed: 1: index is missing for doc 0;");
        assertRefused("{\"docs\":[{\"_index\":\"a\"}]}", "action_request_validation_exception",
                "Validation Failed: 1: id is missing for doc 0;");
        assertRefused("{\"ids\":[{\"a\":1}]}", "illegal_argument_exception", "ids array element should only contain ids");
        assertRefused("{\"docs\":[{\"_index\":\"a\",\"_index\":\"b\",\"_id\":\"1\"}]}", "x_content_parse_exception", null);
    }

    @Test
    void aBodyOverTheLimitIsRefused() {
        MultiGetBody body = new MultiGetBody("logs", LOGS_ONLY, 16);
        body.feed(utf8("{\"ids\":[\"1\","));
        try {
            body.feed(utf8("\"2\",\"3\"]}"));
            throw new AssertionError("accepted");
        } catch (EsException e) {
            assertThat(e.status()).isEqualTo(413);
        }
    }

    private static void assertRefused(String json, String type, String reason) {
        MultiGetBody body = new MultiGetBody(null, (op, index) -> null, MultiGetBody.DEFAULT_MAX_BODY);
        try {
            body.feed(utf8(json));
            body.end();
            throw new AssertionError("accepted: " + json);
        } catch (EsException e) {
            assertThat(e.type()).as(json).isEqualTo(type);
            assertThat(e.status()).as(json).isEqualTo(400);
            if (reason != null) {
                assertThat(e.getMessage()).as(json).isEqualTo(reason);
            }
        }
    }
}
