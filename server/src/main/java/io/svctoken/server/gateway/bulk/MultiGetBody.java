package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads an {@code _mget} body and decides each document with the item check. Unlike {@code _bulk} and
 * {@code _msearch}, the body is one JSON object, so it is read whole, up to a limit: {@code _mget} bodies name
 * documents, they do not carry them, and are small.
 *
 * <p>The documents are read as Elasticsearch's {@code MultiGetRequest} reads them: the {@code docs} entries with
 * their {@code _index} (else the path's) and {@code _id}, then the {@code ids} (the path's index); other keys are
 * refused with its texts, and so is a body it would not validate (no documents, an index or id missing). The item
 * check gets {@code ("get", index)}. With no denial the body goes to the upstream as it came; with some, the
 * upstream gets {@code {"docs":[…]}} holding the allowed entries (a {@code docs} entry byte for byte, an {@code ids}
 * entry as {@code {"_id":…}}, which reads the same); with all denied, nothing.
 */
public final class MultiGetBody {

    /** Default limit of an {@code _mget} body. */
    public static final int DEFAULT_MAX_BODY = 1024 * 1024;

    /** The outcome, and the body to forward: the original, the allowed entries only, or null when all were denied. */
    public record Result(Outcome outcome, byte[] forward) {
    }

    private record Doc(String index, String id, int from, int to, String rawId, boolean idIsString) {
    }

    private final String defaultIndex;
    private final BiFunction<String, String, String> itemCheck;
    private final int maxBody;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /**
     * @param defaultIndex the path's index ({@code /{index}/_mget}), or null
     * @param itemCheck    {@code ("get", index) -> denial reason, or null when allowed}
     * @param maxBody      the largest body read; a larger one is refused with 413
     */
    public MultiGetBody(String defaultIndex, BiFunction<String, String, String> itemCheck, int maxBody) {
        this.defaultIndex = defaultIndex;
        this.itemCheck = itemCheck;
        this.maxBody = maxBody;
    }

    /** Feeds the next bytes, from the buffer's position to its limit; the buffer's position is not moved. */
    public void feed(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (body.size() + (long) n > maxBody) {
            throw new EsException("request_entity_too_large_exception", 413, ServerEsMessages.mgetBodyTooLarge(maxBody));
        }
        byte[] copy = new byte[n];
        chunk.duplicate().get(copy);
        body.writeBytes(copy);
    }

    public void feed(byte[] bytes) {
        feed(ByteBuffer.wrap(bytes));
    }

    /** The body has ended: decides every document. */
    public Result end() {
        byte[] bytes = body.toByteArray();
        List<Doc> docs;
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            docs = read(p);
        } catch (JsonProcessingException e) {
            throw NdjsonFilter.syntaxError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        validate(docs);
        List<Denial> denied = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Doc d = docs.get(i);
            String reason = itemCheck.apply("get", d.index());
            if (reason != null) {
                denied.add(new Denial(i, "get", d.index(), d.id(), reason));
            }
        }
        Outcome outcome = new Outcome(docs.size(), denied);
        if (denied.isEmpty()) {
            return new Result(outcome, bytes);
        }
        if (outcome.allDenied()) {
            return new Result(outcome, null);
        }
        return new Result(outcome, allowedOnly(bytes, docs, denied));
    }

    private List<Doc> read(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new EsException(EsErrors.PARSE, 400, ServerEsMessages.BODY_OR_SOURCE_REQUIRED);
        }
        if (t != JsonToken.START_OBJECT) {
            throw new EsException("parsing_exception", 400, ServerEsMessages.mgetUnexpectedToken(NdjsonFilter.tokenName(t)));
        }
        List<Doc> docs = new ArrayList<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.START_ARRAY) {
                throw new EsException("parsing_exception", 400, ServerEsMessages.mgetUnexpectedToken(NdjsonFilter.tokenName(v)));
            }
            if (key.equals("docs")) {
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (v != JsonToken.START_OBJECT) {
                        throw EsErrors.illegalArgument(ServerEsMessages.MGET_DOCS_OBJECTS_ONLY);
                    }
                    docs.add(doc(p));
                }
            } else if (key.equals("ids")) {
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
                        throw EsErrors.illegalArgument(ServerEsMessages.MGET_IDS_ONLY);
                    }
                    docs.add(new Doc(defaultIndex, p.getText(), -1, -1, p.getText(), v == JsonToken.VALUE_STRING));
                }
            } else {
                throw new EsException("parsing_exception", 400, ServerEsMessages.mgetUnknownKey(key, "START_ARRAY"));
            }
        }
        if (p.nextToken() != null) {
            throw new EsException(EsErrors.X_CONTENT_PARSE, 400, "[" + p.currentTokenLocation().getLineNr() + ":"
                    + p.currentTokenLocation().getColumnNr() + "] " + ServerEsMessages.MSEARCH_TOKEN_AFTER_OBJECT);
        }
        return docs;
    }

    /** One {@code docs} entry; the parser is on its START_OBJECT. */
    private Doc doc(JsonParser p) throws IOException {
        int from = (int) p.currentTokenLocation().getByteOffset();
        String index = defaultIndex;
        String id = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if ((field.equals("_index") || field.equals("_id")) && v != JsonToken.VALUE_NULL) {
                if (!v.isScalarValue()) {
                    throw EsErrors.illegalArgument(ServerEsMessages.notANameValue(field));
                }
                if (field.equals("_index")) {
                    index = p.getText();
                } else {
                    id = p.getText();
                }
            } else {
                p.skipChildren(); // routing, _source, stored_fields, version…: the upstream reads them
            }
        }
        int to = (int) p.currentLocation().getByteOffset();
        return new Doc(index, id, from, to, null, false);
    }

    private static void validate(List<Doc> docs) {
        List<String> errors = new ArrayList<>();
        if (docs.isEmpty()) {
            errors.add(ServerEsMessages.MGET_NO_DOCUMENTS);
        }
        for (int i = 0; i < docs.size(); i++) {
            if (docs.get(i).index() == null) {
                errors.add(ServerEsMessages.mgetIndexMissing(i));
            }
            if (docs.get(i).id() == null) {
                errors.add(ServerEsMessages.mgetIdMissing(i));
            }
        }
        if (!errors.isEmpty()) {
            throw EsErrors.validation(errors);
        }
    }

    private static byte[] allowedOnly(byte[] bytes, List<Doc> docs, List<Denial> denied) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("docs");
            int next = 0;
            for (int i = 0; i < docs.size(); i++) {
                if (next < denied.size() && denied.get(next).position() == i) {
                    next++;
                    continue;
                }
                Doc d = docs.get(i);
                if (d.from() >= 0) {
                    g.writeRawValue(new String(bytes, d.from(), d.to() - d.from(), StandardCharsets.UTF_8));
                } else {
                    g.writeStartObject();
                    g.writeFieldName("_id");
                    if (d.idIsString()) {
                        g.writeString(d.rawId());
                    } else {
                        g.writeRawValue(d.rawId());
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
