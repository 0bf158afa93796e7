package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code _bulk} answer with the denied items in it, as Elasticsearch writes a bulk answer whose items failed
 * authorization: each denied item at its position as
 * {@code {"<op>":{"_index":…,"_id":…,"status":403,"error":{"type":"security_exception","reason":…}}}} (no
 * {@code root_cause}; {@code "_id":null} when the action line had none), and {@code "errors":true}.
 */
public final class BulkAnswer {

    private BulkAnswer() {
    }

    /**
     * Merges the upstream's whole 200 answer with the denials ({@link AnswerMerger#bulk} does it as the answer
     * streams). With none, the upstream's bytes are returned unchanged (the same array). Other statuses are the
     * upstream's to answer: pass them unchanged without calling this.
     */
    public static byte[] merge(byte[] upstream, Outcome outcome) {
        return AnswerMerger.whole(upstream, outcome, AnswerMerger::bulk);
    }

    /**
     * The whole answer when every item was denied (the upstream was not asked), in Elasticsearch's field order
     * ({@code errors}, {@code took}, {@code items}); {@code took} is the gateway's own time for the request.
     */
    public static byte[] local(Outcome outcome, long tookMillis) {
        if (!outcome.allDenied()) {
            throw new IllegalArgumentException("only a request whose items were all denied is answered locally");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"errors\":true,\"took\":" + tookMillis + ",\"items\":[").getBytes(StandardCharsets.US_ASCII));
        Failures.writeAll(out, outcome, BulkAnswer::deniedItem);
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** One denied item ({@code BulkItemResponse} with a failure). */
    static byte[] deniedItem(Denial d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + d.reason().length());
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart(d.op());
            g.writeStringField("_index", d.index());
            if (d.id() == null) {
                g.writeNullField("_id");
            } else {
                g.writeStringField("_id", d.id());
            }
            g.writeNumberField("status", 403);
            g.writeObjectFieldStart("error");
            g.writeStringField("type", EsErrors.SECURITY_EXCEPTION);
            g.writeStringField("reason", d.reason());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
