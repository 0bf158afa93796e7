package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * The reference for {@link AnswerMerger} in the properties: the same merge done on the whole answer with Jackson's
 * token offsets. Puts the denied items back into an upstream's answer: the answer's bytes are copied as they are, except that the
 * top-level array {@code arrayField} gets the denied entries at their positions (the upstream's entries copied byte
 * for byte between them) and the top-level boolean {@code flagField}, if named and present, becomes {@code true}.
 */
final class ArrayMergeReference {

    private ArrayMergeReference() {
    }

    static byte[] merge(byte[] upstream, String arrayField, String flagField, Outcome outcome, Function<Denial, byte[]> render) {
        List<Denial> denied = outcome.denied();
        if (denied.isEmpty()) {
            return upstream;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(upstream.length + denied.size() * 256);
        int copied = 0;
        boolean arraySeen = false;
        try (JsonParser p = Json.FACTORY.createParser(upstream)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw shape(arrayField, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int start = (int) p.currentTokenLocation().getByteOffset();
                if (name.equals(flagField) && (v == JsonToken.VALUE_FALSE || v == JsonToken.VALUE_TRUE)) {
                    out.write(upstream, copied, start - copied);
                    out.write("true".getBytes(StandardCharsets.US_ASCII));
                    copied = start + (v == JsonToken.VALUE_TRUE ? 4 : 5);
                } else if (name.equals(arrayField) && v == JsonToken.START_ARRAY) {
                    arraySeen = true;
                    out.write(upstream, copied, start + 1 - copied);
                    Iterator<Denial> next = denied.iterator();
                    Denial pending = next.next();
                    int merged = 0;
                    int fromUpstream = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        while (pending != null && pending.position() == merged) {
                            separate(out, merged++);
                            out.write(render.apply(pending));
                            pending = next.hasNext() ? next.next() : null;
                        }
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            throw shape(arrayField, "an entry is not an object");
                        }
                        int s = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int e = (int) p.currentLocation().getByteOffset();
                        separate(out, merged++);
                        out.write(upstream, s, e - s);
                        fromUpstream++;
                    }
                    while (pending != null) {
                        separate(out, merged++);
                        out.write(render.apply(pending));
                        pending = next.hasNext() ? next.next() : null;
                    }
                    if (fromUpstream != outcome.forwarded()) {
                        throw shape(arrayField, fromUpstream + " entries for " + outcome.forwarded() + " forwarded items");
                    }
                    out.write(']');
                    copied = (int) p.currentTokenLocation().getByteOffset() + 1;
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw shape(arrayField, "not JSON");
        }
        if (!arraySeen) {
            throw shape(arrayField, "no [" + arrayField + "] array");
        }
        out.write(upstream, copied, upstream.length - copied);
        return out.toByteArray();
    }

    private static void separate(ByteArrayOutputStream out, int position) {
        if (position > 0) {
            out.write(',');
        }
    }

    /** The upstream answered 200 with something else than the answer its API defines: the items cannot be placed. */
    private static EsException shape(String arrayField, String what) {
        return new EsException("exception", 502, "the upstream's answer cannot take the denied items back (" + what + "; expected a ["
                + arrayField + "] array with one entry per forwarded item)");
    }
}
