package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.svctoken.core.EsMessages;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Reads a {@code _bulk} body (NDJSON) as it streams in and lets through only the items the item check allows.
 *
 * <p>Each action line is parsed as Elasticsearch's bulk parser does (same JSON dialect: comments allowed, duplicate
 * keys refused; same texts for a malformed line), its operation and target decided: {@code index} (or {@code create}
 * when the line says {@code "op_type":"create"}), {@code create}, {@code update}, {@code delete}; the index is the
 * line's {@code _index}, else the path's. The item check gets {@code (op, index)} and answers null (allowed) or the
 * denial's reason. An allowed item's action and source lines reach the sink byte for byte; a denied one's never do.
 * A source line is never held: its bytes are passed on or dropped as they arrive.
 *
 * <p>A malformed body stops the read with an {@link io.svctoken.server.http.EsException} (400, Elasticsearch's
 * text) thrown from {@link #feed} or {@link #end}; bytes already given to the sink must then not be completed
 * into a request (the caller aborts the upstream exchange) and the error is the answer.
 *
 * <p>Stricter than Elasticsearch 8.19 where 8.19 only warns (and 9.x refuses, with these texts): a second key after
 * the action object, data after its closing brace, an action object that is not closed. The gateway cannot know how
 * its upstream reads such lines, and an item it cannot read is an item it cannot authorize.
 */
public final class BulkStream extends NdjsonFilter {

    /** Default limit of one action line; action lines are a few hundred bytes. */
    public static final int DEFAULT_MAX_ACTION_LINE = 64 * 1024;
    /** The longest action line remembered for the next item's (longer ones are rare and read each time). */
    private static final int MAX_REMEMBERED_LINE = 1024;

    private static final Set<String> ACTIONS = Set.of("create", "index", "update", "delete");
    /** Action-line parameters that take a simple value ({@code BulkRequestParser}, REST API version 8). */
    private static final Set<String> SIMPLE_PARAMETERS = Set.of("_index", "_id", "routing", "op_type", "version", "version_type",
            "if_seq_no", "if_primary_term", "retry_on_conflict", "pipeline", "_source", "require_alias", "require_data_stream",
            "list_executed_pipelines");

    private final String defaultIndex;
    private final BiFunction<String, String, String> itemCheck;
    private final List<Denial> denied = new ArrayList<>();
    private int items;
    /**
     * The last item's action line and what it was read as: clients repeat the same line item after item
     * ({@code {"index":{}}}, {@code {"create":{"_index":"logs"}}}), which is then neither parsed nor decided again.
     */
    private byte[] lastLine = new byte[0];
    private int lastLength = -1;
    private String lastOp;
    private String lastIndex;
    private String lastId;
    private String lastReason;
    private Kind lastKind;

    /**
     * @param defaultIndex the path's index ({@code /{index}/_bulk}), or null
     * @param itemCheck    {@code (op, index) -> denial reason, or null when allowed}
     * @param sink         receives the bytes to forward, in order; a buffer is valid only during the call
     */
    public BulkStream(String defaultIndex, BiFunction<String, String, String> itemCheck, Consumer<ByteBuffer> sink) {
        this(defaultIndex, itemCheck, sink, DEFAULT_MAX_ACTION_LINE);
    }

    public BulkStream(String defaultIndex, BiFunction<String, String, String> itemCheck, Consumer<ByteBuffer> sink, int maxActionLine) {
        super(sink, maxActionLine, ServerEsMessages.BULK_NOT_TERMINATED);
        this.defaultIndex = defaultIndex;
        this.itemCheck = itemCheck;
    }

    /**
     * The body has ended: the items read and the denials. Refuses, as Elasticsearch does, a body whose last line has
     * no newline and a body without items (so the upstream is never asked to answer one).
     */
    public Outcome end() {
        finish();
        if (items == 0) {
            throw receivedBytes() == 0 ? new EsException(EsErrors.PARSE, 400, EsMessages.REQUEST_BODY_IS_REQUIRED)
                    : EsErrors.validation(List.of(ServerEsMessages.NO_REQUESTS_ADDED));
        }
        return new Outcome(items, denied);
    }

    @Override
    protected Kind control(byte[] line, int length, int lineNumber) {
        if (length == lastLength && Arrays.equals(line, 0, length, lastLine, 0, length)) {
            return decided(lastOp, lastIndex, lastId, lastReason, lastKind);
        }
        try (JsonParser p = Json.FACTORY.createParser(line, 0, length)) {
            Kind kind = action(p, lineNumber);
            if (kind != Kind.BLANK && length <= MAX_REMEMBERED_LINE) {
                if (lastLine.length < length) {
                    lastLine = new byte[Math.max(length, 64)];
                }
                System.arraycopy(line, 0, lastLine, 0, length);
                lastLength = length;
            } else {
                lastLength = -1;
            }
            return kind;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Kind action(JsonParser p, int lineNumber) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return Kind.BLANK;
        }
        if (t != JsonToken.START_OBJECT) {
            throw EsErrors.illegalArgument(ServerEsMessages.bulkMalformedExpected(lineNumber, "START_OBJECT", tokenName(t)));
        }
        t = p.nextToken();
        if (t != JsonToken.FIELD_NAME) {
            throw EsErrors.illegalArgument(ServerEsMessages.bulkMalformedExpected(lineNumber, "FIELD_NAME", tokenName(t)));
        }
        String action = p.currentName();
        if (!ACTIONS.contains(action)) {
            throw EsErrors.illegalArgument(ServerEsMessages.bulkUnknownAction(lineNumber, action));
        }
        String index = defaultIndex;
        String id = null;
        String opType = null;
        t = p.nextToken();
        if (t == JsonToken.START_OBJECT) {
            String field = null;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                } else if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
                    if (!SIMPLE_PARAMETERS.contains(field)) {
                        // _type included: version 8 of the REST API refuses it in a bulk action line
                        throw EsErrors.illegalArgument(ServerEsMessages.bulkUnknownParameter(lineNumber, field));
                    }
                    switch (field) {
                        case "_index" -> index = p.getText();
                        case "_id" -> id = p.getText();
                        case "op_type" -> opType = p.getText();
                        default -> {
                            // not needed to decide the item; the upstream reads it
                        }
                    }
                } else if (t == JsonToken.START_ARRAY) {
                    throw EsErrors.illegalArgument(ServerEsMessages.bulkExpectedSimpleValue(lineNumber, field, "START_ARRAY"));
                } else if (t == JsonToken.START_OBJECT && ("dynamic_templates".equals(field) || "_source".equals(field))) {
                    p.skipChildren(); // their content does not change what the item does to which index
                } else if (t != JsonToken.VALUE_NULL) {
                    throw EsErrors.illegalArgument(ServerEsMessages.bulkExpectedSimpleValue(lineNumber, field, tokenName(t)));
                }
            }
        } else if (t != JsonToken.END_OBJECT) {
            throw EsErrors.illegalArgument(ServerEsMessages.bulkMalformedExpected(lineNumber, "START_OBJECT or END_OBJECT", tokenName(t)));
        }
        t = p.nextToken();
        if (t != JsonToken.END_OBJECT) {
            throw EsErrors.illegalArgument(ServerEsMessages.bulkMalformedExpected(lineNumber, "END_OBJECT", tokenName(t)));
        }
        if (p.nextToken() != null) {
            throw EsErrors.illegalArgument(ServerEsMessages.bulkDataAfterClosingBrace(lineNumber));
        }
        // the checks Elasticsearch's request validation makes before anything runs
        if (index == null) {
            throw EsErrors.validation(List.of(ServerEsMessages.INDEX_MISSING));
        }
        boolean delete = "delete".equals(action);
        if (id == null && (delete || "update".equals(action))) {
            throw EsErrors.validation(List.of(ServerEsMessages.ID_MISSING));
        }
        String op = "index".equals(action) && "create".equals(opType) ? "create" : action;
        String reason = itemCheck.apply(op, index);
        Kind kind = reason != null ? delete ? Kind.DENIED_ALONE : Kind.DENIED_WITH_PAYLOAD
                : delete ? Kind.ALLOWED_ALONE : Kind.ALLOWED_WITH_PAYLOAD;
        lastOp = op;
        lastIndex = index;
        lastId = id;
        lastReason = reason;
        lastKind = kind;
        return decided(op, index, id, reason, kind);
    }

    /** Counts one item, notes its denial. */
    private Kind decided(String op, String index, String id, String reason, Kind kind) {
        int position = items++;
        if (reason != null) {
            denied.add(new Denial(position, op, index, id, reason));
        }
        return kind;
    }

    @Override
    protected void dropLastItem(boolean itWasPassed) {
        items--;
        if (!itWasPassed) {
            denied.remove(denied.size() - 1);
        }
    }
}
