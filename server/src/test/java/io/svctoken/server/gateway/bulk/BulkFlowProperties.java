package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;

import static io.svctoken.server.gateway.bulk.Bodies.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wiring the package documentation describes, in memory: the body goes through {@link BulkStream} in chunks,
 * a stand-in upstream answers the forwarded body (one item per action it reads, as Elasticsearch would), and its
 * answer goes through {@link AnswerMerger} in chunks. The client gets one item per item it sent, in its order: the
 * upstream's for the allowed ones, the 403 for the denied ones.
 */
class BulkFlowProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BiFunction<String, String, String> CHECK = (op, index) ->
            index.equals("secret") || index.equals("other-1") || op.equals("delete") ? "no " + op + " on " + index : null;

    @Property(tries = 200)
    void theClientGetsOneItemPerItemInItsOrder(@ForAll("bodies") BulkStreamProperties.Body body,
                                               @ForAll List<@IntRange(min = 0, max = 4000) Integer> requestCuts,
                                               @ForAll List<@IntRange(min = 0, max = 4000) Integer> answerCuts) throws Exception {
        if (body.items().stream().allMatch(BulkStreamProperties.Item::blank)) {
            return; // refused before anything is forwarded (BulkStreamProperties)
        }
        Bodies.Collected toUpstream = new Bodies.Collected();
        BulkStream stream = new BulkStream(body.defaultIndex(), CHECK, toUpstream);
        for (ByteBuffer chunk : BulkStreamProperties.split(body.bytes(), requestCuts, false)) {
            stream.feed(chunk);
        }
        Outcome outcome = stream.end();

        byte[] answer;
        if (outcome.allDenied()) {
            assertThat(toUpstream.calls).isZero();
            answer = BulkAnswer.local(outcome, 0);
        } else {
            byte[] upstream = upstreamAnswers(toUpstream.toByteArray(), body.defaultIndex());
            if (outcome.denied().isEmpty()) {
                answer = upstream;
            } else {
                Bodies.Collected toClient = new Bodies.Collected();
                AnswerMerger merger = AnswerMerger.bulk(outcome, toClient);
                for (ByteBuffer chunk : BulkStreamProperties.split(upstream, answerCuts, true)) {
                    merger.feed(chunk);
                }
                merger.end();
                answer = toClient.toByteArray();
            }
        }

        JsonNode items = JSON.readTree(answer).get("items");
        List<BulkStreamProperties.Item> sent = body.items().stream().filter(i -> !i.blank()).toList();
        assertThat(items).hasSize(sent.size());
        for (int k = 0; k < sent.size(); k++) {
            BulkStreamProperties.Item i = sent.get(k);
            JsonNode item = items.get(k).get(i.op());
            assertThat(item).as("item %d is %s", k, i.op()).isNotNull();
            assertThat(item.get("_index").asText()).isEqualTo(i.index());
            assertThat(item.get("status").asInt()).isEqualTo(i.denied() ? 403 : 201);
        }
        if (outcome.items() > 0) {
            assertThat(JSON.readTree(answer).get("errors").asBoolean()).isEqualTo(!outcome.denied().isEmpty());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<BulkStreamProperties.Body> bodies() {
        return new BulkStreamProperties().bodies();
    }

    /** Reads the forwarded body as Elasticsearch would and answers every item with 201. */
    private static byte[] upstreamAnswers(byte[] forwarded, String defaultIndex) throws Exception {
        String[] lines = new String(forwarded, StandardCharsets.UTF_8).split("\n", -1);
        ObjectNode root = JSON.createObjectNode();
        root.put("errors", false);
        root.put("took", 7);
        ArrayNode items = root.putArray("items");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            JsonNode action = JSON.readTree(line);
            String op = action.fieldNames().next();
            JsonNode meta = action.get(op);
            if (op.equals("index") && "create".equals(meta.path("op_type").asText(null))) {
                op = "create";
            }
            ObjectNode item = items.addObject().putObject(op);
            item.put("_index", meta.has("_index") ? meta.get("_index").asText() : defaultIndex);
            item.put("_id", meta.has("_id") ? meta.get("_id").asText() : "generated");
            item.put("status", 201);
            if (!op.equals("delete")) {
                n++; // its source line
            }
        }
        return JSON.writeValueAsBytes(root);
    }
}
