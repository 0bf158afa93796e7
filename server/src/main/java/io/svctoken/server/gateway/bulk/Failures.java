package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/** The failed entries of {@code _msearch} and {@code _mget} answers: Elasticsearch's failure with its root cause. */
final class Failures {

    private Failures() {
    }

    /**
     * {@code {["_index","_id",]"error":{"root_cause":[{type,reason}],"type","reason"}[,"status":403]}}: with the
     * document's index and id for {@code _mget} ({@code doc} not null, no status), with the status for {@code _msearch}.
     */
    static byte[] withRootCause(Denial doc, Denial d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 2 * d.reason().length());
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (doc != null) {
                g.writeStringField("_index", doc.index());
                g.writeStringField("_id", doc.id());
            }
            g.writeObjectFieldStart("error");
            g.writeArrayFieldStart("root_cause");
            g.writeStartObject();
            g.writeStringField("type", EsErrors.SECURITY_EXCEPTION);
            g.writeStringField("reason", d.reason());
            g.writeEndObject();
            g.writeEndArray();
            g.writeStringField("type", EsErrors.SECURITY_EXCEPTION);
            g.writeStringField("reason", d.reason());
            g.writeEndObject();
            if (doc == null) {
                g.writeNumberField("status", 403);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void writeAll(ByteArrayOutputStream out, Outcome outcome, Function<Denial, byte[]> render) {
        boolean first = true;
        for (Denial d : outcome.denied()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes(render.apply(d));
        }
    }
}
