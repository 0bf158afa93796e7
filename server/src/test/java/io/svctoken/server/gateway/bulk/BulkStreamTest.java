package io.svctoken.server.gateway.bulk;

import io.svctoken.server.http.EsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static io.svctoken.server.gateway.bulk.Bodies.text;
import static io.svctoken.server.gateway.bulk.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BulkStreamTest {

    private static final String DENIED_INDEX = "action [indices:data/write/index:op_type/index] is unauthorized for user [ingest] with effective"
            + " roles [app_writer] on indices [app-1], this action is granted by the index privileges [create,index,write,all]";
    private static final String DENIED_BULK = "action [indices:data/write/bulk[s]] is unauthorized for user [ingest] with effective roles"
            + " [app_writer] on indices [other], this action is granted by the index privileges [create_doc,create,delete,index,write,all]";

    /** The role of Elasticsearch's example: create_doc on app-*; the reasons are the ones its answer shows. */
    private static final BiFunction<String, String, String> APP_WRITER = (op, index) -> {
        if (!index.startsWith("app-")) {
            return DENIED_BULK;
        }
        return op.equals("create") ? null : DENIED_INDEX;
    };

    private static final BiFunction<String, String, String> ALLOW_ALL = (op, index) -> null;

    @Test
    void anActionLineRepeatedWordForWordIsReadAndDecidedOnce() {
        // clients send the same action line for item after item ({"index":{}}): read once, each item still counted and decided
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            body.append("{\"create\":{\"_index\":\"app-1\"}}\n{\"n\":").append(i).append("}\n");
        }
        for (int i = 0; i < 3; i++) {
            body.append("{\"create\":{\"_index\":\"other\",\"_id\":\"7\"}}\n{\"n\":").append(i).append("}\n");
        }
        body.append("{\"create\":{\"_index\":\"app-1\"}}\n{\"n\":9}\n");
        List<String> checked = new ArrayList<>();
        Bodies.Collected forwarded = new Bodies.Collected();
        BulkStream stream = new BulkStream(null, (op, index) -> {
            checked.add(op + " " + index);
            return APP_WRITER.apply(op, index);
        }, forwarded);
        stream.feed(utf8(body.toString()));
        Outcome outcome = stream.end();

        assertThat(checked).containsExactly("create app-1", "create other", "create app-1");
        assertThat(outcome.items()).isEqualTo(8);
        assertThat(outcome.denied()).containsExactly(
                new Denial(4, "create", "other", "7", DENIED_BULK),
                new Denial(5, "create", "other", "7", DENIED_BULK),
                new Denial(6, "create", "other", "7", DENIED_BULK));
        assertThat(forwarded.text()).isEqualTo(body.substring(0, body.indexOf("{\"create\":{\"_index\":\"other\""))
                + "{\"create\":{\"_index\":\"app-1\"}}\n{\"n\":9}\n");
    }

    @Test
    void elasticsearchsExampleIsAnsweredByteForByte() {
        String body = """
                {"create":{"_index":"app-1","_id":"1"}}
                {"msg":"a"}
                {"index":{"_index":"app-1","_id":"2"}}
                {"msg":"b"}
                {"create":{"_index":"other","_id":"3"}}
                {"msg":"c"}
                """;
        Bodies.Collected forwarded = new Bodies.Collected();
        BulkStream stream = new BulkStream(null, APP_WRITER, forwarded);
        stream.feed(utf8(body));
        Outcome outcome = stream.end();

        assertThat(forwarded.text()).isEqualTo("{\"create\":{\"_index\":\"app-1\",\"_id\":\"1\"}}\n{\"msg\":\"a\"}\n");
        assertThat(outcome.items()).isEqualTo(3);
        assertThat(outcome.denied()).containsExactly(
                new Denial(1, "index", "app-1", "2", DENIED_INDEX),
                new Denial(2, "create", "other", "3", DENIED_BULK));

        String upstream = "{\"errors\":false,\"took\":4,\"items\":[{\"create\":{\"_index\":\"app-1\",\"_id\":\"1\",\"_version\":1,"
                + "\"result\":\"created\",\"_shards\":{\"total\":2,\"successful\":1,\"failed\":0},\"_seq_no\":0,\"_primary_term\":1,\"status\":201}}]}";
        String expected = "{\"errors\":true,\"took\":4,\"items\":["
                + "{\"create\":{\"_index\":\"app-1\",\"_id\":\"1\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":2,\"successful\":1,"
                + "\"failed\":0},\"_seq_no\":0,\"_primary_term\":1,\"status\":201}},"
                + "{\"index\":{\"_index\":\"app-1\",\"_id\":\"2\",\"status\":403,\"error\":{\"type\":\"security_exception\","
                + "\"reason\":\"" + DENIED_INDEX + "\"}}},"
                + "{\"create\":{\"_index\":\"other\",\"_id\":\"3\",\"status\":403,\"error\":{\"type\":\"security_exception\","
                + "\"reason\":\"" + DENIED_BULK + "\"}}}]}";
        assertThat(text(BulkAnswer.merge(utf8(upstream), outcome))).isEqualTo(expected);
    }

    @Test
    void anAnswerWithoutDenialsIsTheUpstreamsOwnBytes() {
        BulkStream stream = new BulkStream("logs", ALLOW_ALL, new Bodies.Collected());
        stream.feed(utf8("{\"index\":{}}\n{\"a\":1}\n"));
        Outcome outcome = stream.end();
        byte[] upstream = utf8("{\"errors\":false,\"took\":1,\"items\":[{\"index\":{\"_index\":\"logs\",\"status\":201}}]}");

        assertThat(BulkAnswer.merge(upstream, outcome)).isSameAs(upstream);
    }

    @Test
    void aBodyOfOnlyDeniedItemsIsAnsweredLocally() {
        Bodies.Collected forwarded = new Bodies.Collected();
        BulkStream stream = new BulkStream(null, (op, index) -> "no", forwarded);
        stream.feed(utf8("{\"delete\":{\"_index\":\"a\",\"_id\":\"1\"}}\n{\"index\":{\"_index\":\"b\"}}\n{\"x\":1}\n"));
        Outcome outcome = stream.end();

        assertThat(forwarded.calls).isZero();
        assertThat(outcome.allDenied()).isTrue();
        assertThat(text(BulkAnswer.local(outcome, 0))).isEqualTo("{\"errors\":true,\"took\":0,\"items\":["
                + "{\"delete\":{\"_index\":\"a\",\"_id\":\"1\",\"status\":403,\"error\":{\"type\":\"security_exception\",\"reason\":\"no\"}}},"
                + "{\"index\":{\"_index\":\"b\",\"_id\":null,\"status\":403,\"error\":{\"type\":\"security_exception\",\"reason\":\"no\"}}}]}");
    }

    @Test
    void theCheckSeesTheOperationAndTheIndexAsElasticsearchReadsThem() {
        List<String> asked = new ArrayList<>();
        BulkStream stream = new BulkStream("dflt", (op, index) -> {
            asked.add(op + " " + index);
            return null;
        }, new Bodies.Collected());
        stream.feed(utf8("""
                {"index":{"_id":"1"}}
                {}
                {"index":{"_index":"a","op_type":"create"}}
                {}
                {"index":{"_index":"b","op_type":"index"}}
                {}
                {"create":{"_index":"c"}}
                {}
                {"update":{"_index":"d","_id":"1","op_type":"create"}}
                {"doc":{}}
                {"delete":{"_index":"e","_id":"1"}}
                {"index":{"_index":null,"routing":null}}
                {}
                {"index":{"_index":7,"_id":8,"_source":{"includes":["x"]},"dynamic_templates":{"a":"b"},"require_alias":true}}
                {}
                """));
        assertThat(stream.end().items()).isEqualTo(8);
        assertThat(asked).containsExactly("index dflt", "create a", "index b", "create c", "update d", "delete e", "index dflt", "index 7");
    }

    @Test
    void deleteHasNoSourceLineAndBlankLinesAreNeitherItemsNorForwarded() {
        Bodies.Collected forwarded = new Bodies.Collected();
        BulkStream stream = new BulkStream(null, (op, index) -> index.equals("secret") ? "denied" : null, forwarded);
        String body = "\n{\"delete\":{\"_index\":\"a\",\"_id\":\"1\"}}\n   \n/* c */\n{\"delete\":{\"_index\":\"secret\",\"_id\":\"2\"}}\r\n"
                + "{\"index\":{\"_index\":\"a\"}}\r\n{\"f\":\"\\n\"}\r\n";
        stream.feed(utf8(body));
        Outcome outcome = stream.end();

        assertThat(outcome.items()).isEqualTo(3);
        assertThat(outcome.denied()).containsExactly(new Denial(1, "delete", "secret", "2", "denied"));
        assertThat(forwarded.text()).isEqualTo("{\"delete\":{\"_index\":\"a\",\"_id\":\"1\"}}\n"
                + "{\"index\":{\"_index\":\"a\"}}\r\n{\"f\":\"\\n\"}\r\n");
    }

    @Test
    void anActionWithoutItsSourceLineAtTheEndIsNoItem() {
        Bodies.Collected forwarded = new Bodies.Collected();
        BulkStream stream = new BulkStream(null, (op, index) -> index.equals("b") ? "denied" : null, forwarded);
        stream.feed(utf8("{\"index\":{\"_index\":\"a\"}}\n{}\n{\"index\":{\"_index\":\"b\"}}\n"));
        Outcome outcome = stream.end();
        assertThat(outcome.items()).isEqualTo(1);
        assertThat(outcome.denied()).isEmpty();
    }

    @Test
    void aMissingTrailingNewlineIsElasticsearchs400() {
        assertRefused("{\"index\":{\"_index\":\"a\"}}\n{\"a\":1}", "illegal_argument_exception",
                "The bulk request must be terminated by a newline [\\n]");
        assertRefused("{\"delete\":{\"_index\":\"a\",\"_id\":\"1\"}}", "illegal_argument_exception",
                "The bulk request must be terminated by a newline [\\n]");
    }

    @Test
    void malformedActionLinesGetElasticsearchsTexts() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("[1]\n", "Malformed action/metadata line [1], expected START_OBJECT but found [START_ARRAY]"),
                Map.entry("\"x\"\n", "Malformed action/metadata line [1], expected START_OBJECT but found [VALUE_STRING]"),
                Map.entry("{}\n", "Malformed action/metadata line [1], expected FIELD_NAME but found [END_OBJECT]"),
                Map.entry("{\"index\":[]}\n{}\n",
                        "Malformed action/metadata line [1], expected START_OBJECT or END_OBJECT but found [START_ARRAY]"),
                Map.entry("{\"index\":1}\n{}\n",
                        "Malformed action/metadata line [1], expected START_OBJECT or END_OBJECT but found [VALUE_NUMBER]"),
                Map.entry("{\"index\":{\"_index\":[\"a\"]}}\n{}\n",
                        "Malformed action/metadata line [1], expected a simple value for field [_index] but found [START_ARRAY]"),
                Map.entry("{\"index\":{\"routing\":{\"a\":1}}}\n{}\n",
                        "Malformed action/metadata line [1], expected a simple value for field [routing] but found [START_OBJECT]"),
                Map.entry("{\"index\":{\"_index\":\"a\",\"foo\":\"x\"}}\n{}\n", "Action/metadata line [1] contains an unknown parameter [foo]"),
                Map.entry("{\"index\":{\"_index\":\"a\",\"_type\":\"_doc\"}}\n{}\n", "Action/metadata line [1] contains an unknown parameter [_type]"),
                Map.entry("{\"upsert\":{\"_index\":\"a\"}}\n{}\n",
                        "Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]"),
                Map.entry("{\"index\":{\"_index\":\"a\"},\"delete\":{\"_index\":\"b\"}}\n{}\n",
                        "Malformed action/metadata line [1], expected END_OBJECT but found [FIELD_NAME]"),
                Map.entry("{\"index\":{\"_index\":\"a\"}} {}\n{}\n",
                        "Malformed action/metadata line [1], unexpected data after the closing brace"),
                Map.entry("{\"delete\":{\"_index\":\"a\",\"_id\":\"1\"}}\n{\"a\":1}\n{}\n",
                        "Malformed action/metadata line [2], expected field [create], [delete], [index] or [update] but found [a]"),
                Map.entry("{\"index\":{\"_index\":\"a\"}}\n{}\n\n[]\n", "Malformed action/metadata line [4], expected START_OBJECT but found [START_ARRAY]"));
        cases.forEach((body, reason) -> assertRefused(body, "illegal_argument_exception", reason));
    }

    @Test
    void requestsElasticsearchWouldNotValidateAreRefusedBeforeTheCheck() {
        assertRefused("{\"index\":{}}\n{}\n", "action_request_validation_exception", "Validation Failed: 1: index is missing;");
        assertRefused("{\"delete\":{\"_index\":\"a\"}}\n", "action_request_validation_exception", "Validation Failed: 1: id is missing;");
        assertRefused("{\"update\":{\"_index\":\"a\"}}\n{}\n", "action_request_validation_exception", "Validation Failed: 1: id is missing;");
    }

    @Test
    void aBodyWithoutItemsIsRefusedAsElasticsearchRefusesIt() {
        assertRefused("", "parse_exception", "request body is required");
        assertRefused("\n  \n", "action_request_validation_exception", "Validation Failed: 1: no requests added;");
        assertRefused("{\"index\":{\"_index\":\"a\"}}\n", "action_request_validation_exception", "Validation Failed: 1: no requests added;");
    }

    @Test
    void brokenJsonAndDuplicateKeysAreParseErrors() {
        EsException e = refusal("{\"index\":{\"_index\":\"a\",\"_index\":\"b\"}}\n{}\n");
        assertThat(e.type()).isEqualTo("x_content_parse_exception");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("[1:").contains("Duplicate field '_index'");

        EsException eof = refusal("{\"index\":{\"_index\":\"a\"}\n{}\n");
        assertThat(eof.type()).isEqualTo("x_content_e_o_f_exception");
        assertThat(eof.status()).isEqualTo(400);

        assertThat(refusal("{\"index\":{\"_index\":}}\n{}\n").type()).isEqualTo("x_content_parse_exception");
    }

    @Test
    void anActionLineOverTheLimitIsRefused() {
        BulkStream stream = new BulkStream(null, ALLOW_ALL, new Bodies.Collected(), 40);
        stream.feed(utf8("{\"index\":{\"_index\":\"a\"}}\n{}\n{\"index\":{\"_index\":\"a-rather-long-name-over-the-limit\"}}\n{}\n"
                .substring(0, 30)));
        assertThatThrownBy(() -> stream.feed(utf8("{\"index\":{\"_index\":\"a-rather-long-name-over-the-limit\"}}\n")))
                .isInstanceOfSatisfying(EsException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("action/metadata line [3] is longer than the gateway's limit of [40] bytes");
                });
    }

    @Test
    void aSourceLineIsNeverHeld() {
        Bodies.Collected forwarded = new Bodies.Collected();
        BulkStream stream = new BulkStream("big", ALLOW_ALL, forwarded, 1024);
        stream.feed(utf8("{\"index\":{}}\n{\"blob\":\""));
        byte[] part = utf8("x".repeat(1 << 20));
        for (int i = 0; i < 8; i++) {
            stream.feed(part);
            assertThat(stream.retainedBytes()).isLessThanOrEqualTo(1024);
        }
        stream.feed(utf8("\"}\n"));
        assertThat(stream.end().items()).isEqualTo(1);
        assertThat(forwarded.bytes.size()).isEqualTo(13 + 9 + 8 * (1 << 20) + 3);
    }

    private static void assertRefused(String body, String type, String reason) {
        EsException e = refusal(body);
        assertThat(e.type()).as(body).isEqualTo(type);
        assertThat(e.status()).as(body).isEqualTo(400);
        assertThat(e.getMessage()).as(body).isEqualTo(reason);
    }

    private static EsException refusal(String body) {
        BulkStream stream = new BulkStream(null, ALLOW_ALL, new Bodies.Collected());
        try {
            stream.feed(utf8(body));
            stream.end();
        } catch (EsException e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }
}
