package io.svctoken.server.gateway.bulk;

import io.svctoken.server.http.EsException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static io.svctoken.server.gateway.bulk.Bodies.text;
import static io.svctoken.server.gateway.bulk.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultiSearchStreamTest {

    private static final String REASON = "action [indices:data/read/search] is unauthorized for user [reader] with effective roles [logs]"
            + " on indices [secret], this action is granted by the index privileges [read,all]";
    private static final BiFunction<String, String, String> LOGS_ONLY = (op, index) -> index.startsWith("logs") ? null : REASON;

    @Test
    void deniedSearchesAreDroppedAndAnsweredInPlace() {
        String body = "{\"index\":\"logs-1\"}\n{\"query\":{\"match_all\":{}}}\n"
                + "{\"index\":\"secret\"}\n{\"size\":1}\n"
                + "{}\n{\"size\":2}\n";
        Bodies.Collected forwarded = new Bodies.Collected();
        MultiSearchStream stream = new MultiSearchStream("logs-2", LOGS_ONLY, forwarded);
        for (byte b : utf8(body)) {
            stream.feed(new byte[] {b});
        }
        Outcome outcome = stream.end();

        assertThat(forwarded.text()).isEqualTo("{\"index\":\"logs-1\"}\n{\"query\":{\"match_all\":{}}}\n{}\n{\"size\":2}\n");
        assertThat(outcome.items()).isEqualTo(3);
        assertThat(outcome.denied()).containsExactly(new Denial(1, "search", "secret", null, REASON));

        String upstream = "{\"took\":5,\"responses\":[{\"took\":1,\"timed_out\":false,\"hits\":{\"hits\":[]},\"status\":200},"
                + "{\"took\":2,\"timed_out\":false,\"hits\":{\"hits\":[]},\"status\":200}]}";
        assertThat(text(MultiSearchAnswer.merge(utf8(upstream), outcome))).isEqualTo("{\"took\":5,\"responses\":["
                + "{\"took\":1,\"timed_out\":false,\"hits\":{\"hits\":[]},\"status\":200},"
                + "{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"" + REASON + "\"}],"
                + "\"type\":\"security_exception\",\"reason\":\"" + REASON + "\"},\"status\":403},"
                + "{\"took\":2,\"timed_out\":false,\"hits\":{\"hits\":[]},\"status\":200}]}");
    }

    @Test
    void aNarrowedSearchGoesOnWithItsHeaderNamingTheNarrowedIndicesAndItsOtherKeysKept() {
        List<String> asked = new ArrayList<>();
        Bodies.Collected forwarded = new Bodies.Collected();
        MultiSearchStream stream = new MultiSearchStream(null, (targets, options) -> {
            asked.add(targets + " " + new java.util.TreeMap<>(options));
            return targets.equals("logs-1") ? MultiSearchStream.Decision.ALLOWED : new MultiSearchStream.Decision(null, List.of("logs-1", "logs-2"));
        }, MultiSearchStream.DEFAULT_MAX_HEADER_LINE, forwarded);
        String body = "{\"indices\":[\"*\"],\"expand_wildcards\":[\"open\",\"hidden\"],\"preference\":\"_local\"}\n{\"size\":1}\n"
                + "{\"index\":\"logs-1\"}\n{}\n"
                + "\n{\"size\":2}\n";
        for (byte b : utf8(body)) {
            stream.feed(new byte[] {b});
        }

        assertThat(stream.end().items()).isEqualTo(3);
        assertThat(asked).containsExactly("* {expand_wildcards=open,hidden}", "logs-1 {}", "_all {}");
        assertThat(forwarded.text()).isEqualTo("{\"expand_wildcards\":[\"open\",\"hidden\"],\"preference\":\"_local\",\"index\":\"logs-1,logs-2\"}\n"
                + "{\"size\":1}\n{\"index\":\"logs-1\"}\n{}\n{\"index\":\"logs-1,logs-2\"}\n{\"size\":2}\n");
    }

    @Test
    void theCheckSeesTheHeadersIndicesElseThePaths() {
        List<String> asked = new ArrayList<>();
        MultiSearchStream stream = new MultiSearchStream("p1,p2", (op, index) -> {
            asked.add(op + " " + index);
            return null;
        }, new Bodies.Collected());
        stream.feed(utf8("{\"index\":\"a,b\"}\n{}\n{\"indices\":[\"c\",\"d\"],\"ignore_unavailable\":true}\n{}\n\n{}\n"
                + "{\"search_type\":\"query_then_fetch\",\"routing\":\"r\",\"preference\":\"_local\",\"request_cache\":true}\n{}\n"));
        assertThat(stream.end().items()).isEqualTo(4);
        assertThat(asked).containsExactly("search a,b", "search c,d", "search p1,p2", "search p1,p2");

        List<String> noPath = new ArrayList<>();
        MultiSearchStream all = new MultiSearchStream(null, (op, index) -> {
            noPath.add(index);
            return null;
        }, new Bodies.Collected());
        all.feed(utf8("{}\n{}\n"));
        all.end();
        assertThat(noPath).containsExactly("_all");
    }

    @Test
    void onlyDeniedSearchesAreAnsweredLocally() {
        MultiSearchStream stream = new MultiSearchStream(null, (op, index) -> "no", new Bodies.Collected());
        stream.feed(utf8("{\"index\":\"x\"}\n{}\n"));
        Outcome outcome = stream.end();
        assertThat(outcome.allDenied()).isTrue();
        assertThat(text(MultiSearchAnswer.local(outcome, 0))).isEqualTo("{\"took\":0,\"responses\":[{\"error\":{\"root_cause\":"
                + "[{\"type\":\"security_exception\",\"reason\":\"no\"}],\"type\":\"security_exception\",\"reason\":\"no\"},\"status\":403}]}");
    }

    @Test
    void malformedHeadersGetElasticsearchsTexts() {
        EsException unknown = refusal("{\"index\":\"a\",\"unknown_key\":\"x\"}\n{}\n");
        assertThat(unknown.type()).isEqualTo("illegal_argument_exception");
        assertThat(unknown.getMessage()).isEqualTo("key [unknown_key] is not supported in the metadata section");

        EsException unterminated = refusal("{\"index\":\"a\"}\n{}");
        assertThat(unterminated.type()).isEqualTo("illegal_argument_exception");
        assertThat(unterminated.getMessage()).isEqualTo("The msearch request must be terminated by a newline [\n]");

        EsException trailing = refusal("{\"index\":\"a\"} {}\n{}\n");
        assertThat(trailing.type()).isEqualTo("x_content_parse_exception");
        assertThat(trailing.getMessage()).endsWith("Unexpected token after end of object");

        assertThat(refusal("{\"index\":\"a\",\"index\":\"b\"}\n{}\n").type()).isEqualTo("x_content_parse_exception");
        assertThat(refusal("{\"index\":{\"a\":1}}\n{}\n").status()).isEqualTo(400);
    }

    private static EsException refusal(String body) {
        MultiSearchStream stream = new MultiSearchStream(null, (op, index) -> null, new Bodies.Collected());
        try {
            stream.feed(utf8(body));
            stream.end();
        } catch (EsException e) {
            return e;
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void aBodyWithoutSearchesIsRefusedAsElasticsearchRefusesIt() {
        EsException empty = refusal("");
        assertThat(empty.type()).isEqualTo("parse_exception");
        assertThat(empty.getMessage()).isEqualTo("request body or source parameter is required");
        EsException none = refusal("{\"index\":\"a\"}\n");
        assertThat(none.type()).isEqualTo("action_request_validation_exception");
        assertThat(none.getMessage()).isEqualTo("Validation Failed: 1: no requests added;");
    }

    @Test
    void aHeaderWithoutItsBodyAtTheEndIsNoSearch() {
        MultiSearchStream stream = new MultiSearchStream(null, (op, index) -> null, new Bodies.Collected());
        stream.feed(utf8("{\"index\":\"a\"}\n{}\n{\"index\":\"b\"}\n"));
        assertThat(stream.end().items()).isEqualTo(1);
        assertThatThrownBy(() -> stream.feed(utf8("x"))).isInstanceOf(IllegalStateException.class);
    }
}
