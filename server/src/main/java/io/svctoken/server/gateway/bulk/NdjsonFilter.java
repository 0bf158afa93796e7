package io.svctoken.server.gateway.bulk;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Filters a newline-delimited body made of control lines (a {@code _bulk} action line, a {@code _msearch} header),
 * each followed by one payload line or by none, fed chunk by chunk. Only the control line being read is held (up to
 * a limit); payload lines are passed on or dropped as their bytes arrive, so memory does not grow with the body.
 * The bytes of allowed items reach the sink unchanged, in order; a denied item's control and payload lines never do,
 * nor blank lines where a control line is expected.
 *
 * <p>A buffer given to the sink is either a view of the chunk being fed or a copy; it is valid only during the call.
 */
abstract class NdjsonFilter {

    /** What a control line turned out to be. */
    protected enum Kind {
        /**
         * No JSON token (empty, whitespace, comment): not an item, and not forwarded (Elasticsearch skips it), so that
         * a body whose items are all denied sends the upstream nothing at all.
         */
        BLANK(false, false),
        ALLOWED_ALONE(true, false),
        DENIED_ALONE(false, false),
        ALLOWED_WITH_PAYLOAD(true, true),
        DENIED_WITH_PAYLOAD(false, true);

        final boolean passed;
        final boolean payload;

        Kind(boolean passed, boolean payload) {
            this.passed = passed;
            this.payload = payload;
        }
    }

    private enum State { CONTROL, PAYLOAD_PASS, PAYLOAD_DROP }

    private final Consumer<ByteBuffer> sink;
    private final int maxControlLine;
    private final String notTerminated;
    private byte[] line = new byte[128];
    private int lineLength;
    private int lineNumber;
    private State state = State.CONTROL;
    /** Bytes seen since the last newline (the trailing-newline check and an empty payload at the end). */
    private long openLineBytes;
    private boolean ended;
    private boolean failed;
    private long receivedBytes;
    private long forwardedBytes;
    /** Set by {@link #replaceLine} during {@link #control}: the allowed control line to send instead of the one read. */
    private byte[] replacement;

    // the run of the current chunk still to be handed to the sink, so adjacent passed bytes go in one call
    private ByteBuffer chunk;
    private int runStart = -1;
    private int runEnd;

    /** @param notTerminated the reason of the 400 for a body whose last line has no newline */
    protected NdjsonFilter(Consumer<ByteBuffer> sink, int maxControlLine, String notTerminated) {
        if (maxControlLine < 1) {
            throw new IllegalArgumentException("maxControlLine must be positive");
        }
        this.sink = sink;
        this.maxControlLine = maxControlLine;
        this.notTerminated = notTerminated;
    }

    /** Decides one complete control line ({@code line[0..length)}, without its newline); numbered from 1. */
    protected abstract Kind control(byte[] line, int length, int lineNumber);

    /** From {@link #control}, for an allowed line: {@code line} (no newline) goes on in its place. */
    protected final void replaceLine(byte[] line) {
        replacement = line;
    }

    /** The item of the last control line had no payload line before the body ended: it is not an item. */
    protected abstract void dropLastItem(boolean itWasPassed);

    /** Feeds the next bytes, from the buffer's position to its limit; the buffer's position is not moved. */
    public final void feed(ByteBuffer in) {
        if (ended || failed) {
            throw new IllegalStateException(ended ? "the body has ended" : "the body was refused");
        }
        try {
            chunk = in;
            receivedBytes += in.remaining();
            int limit = in.limit();
            int i = in.position();
            while (i < limit) {
                int nl = indexOfNewline(in, i, limit);
                int end = nl < 0 ? limit : nl;
                openLineBytes += end - i;
                switch (state) {
                    case CONTROL -> {
                        int carried = lineLength;
                        append(in, i, end);
                        if (nl >= 0) {
                            lineNumber++;
                            Kind outcome = control(line, lineLength, lineNumber);
                            if (outcome.passed && replacement != null) {
                                byte[] out = Arrays.copyOf(replacement, replacement.length + 1);
                                out[replacement.length] = '\n';
                                replacement = null;
                                emitCopy(out, out.length);
                            } else if (outcome.passed) {
                                if (carried > 0) {
                                    emitCopy(line, carried);
                                }
                                emitRange(i, nl + 1);
                            }
                            replacement = null;
                            if (outcome.payload) {
                                state = outcome.passed ? State.PAYLOAD_PASS : State.PAYLOAD_DROP;
                            }
                            lineLength = 0;
                            if (line.length > 4096) {
                                line = new byte[128]; // one long line does not stay retained for the rest of the body
                            }
                        }
                    }
                    case PAYLOAD_PASS -> {
                        emitRange(i, nl < 0 ? limit : nl + 1);
                        if (nl >= 0) {
                            lineNumber++;
                            state = State.CONTROL;
                        }
                    }
                    case PAYLOAD_DROP -> {
                        if (nl >= 0) {
                            lineNumber++;
                            state = State.CONTROL;
                        }
                    }
                }
                if (nl >= 0) {
                    openLineBytes = 0;
                    i = nl + 1;
                } else {
                    i = limit;
                }
            }
            flush();
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            chunk = null;
            runStart = -1;
        }
    }

    public final void feed(byte[] bytes) {
        feed(ByteBuffer.wrap(bytes));
    }

    /** The body has ended; refuses one whose last line has no newline, as Elasticsearch does. */
    protected final void finish() {
        if (ended || failed) {
            throw new IllegalStateException(ended ? "the body has ended" : "the body was refused");
        }
        ended = true;
        if (openLineBytes > 0) {
            failed = true;
            throw EsErrors.illegalArgument(notTerminated);
        }
        if (state != State.CONTROL) {
            // Elasticsearch drops an action or header whose payload line never came; so does the upstream
            dropLastItem(state == State.PAYLOAD_PASS);
        }
    }

    /** Bytes fed so far. */
    public final long receivedBytes() {
        return receivedBytes;
    }

    /** Bytes this reader holds between calls: the buffer of the control line (the sink's buffers are not kept). */
    public final int retainedBytes() {
        return line.length;
    }

    /** Bytes handed to the sink so far. */
    public final long forwardedBytes() {
        return forwardedBytes;
    }

    private void append(ByteBuffer in, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        if (lineLength + n > maxControlLine) {
            throw EsErrors.illegalArgument(ServerEsMessages.lineTooLong(lineNumber + 1, maxControlLine));
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.min(maxControlLine, Math.max(line.length * 2, lineLength + n)));
        }
        in.get(from, line, lineLength, n);
        lineLength += n;
    }

    private static int indexOfNewline(ByteBuffer in, int from, int to) {
        if (in.hasArray()) {
            byte[] a = in.array();
            int off = in.arrayOffset();
            for (int i = from; i < to; i++) {
                if (a[off + i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
        for (int i = from; i < to; i++) {
            if (in.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void emitRange(int from, int to) {
        if (from == to) {
            return;
        }
        if (runStart >= 0 && runEnd == from) {
            runEnd = to;
            return;
        }
        flush();
        runStart = from;
        runEnd = to;
    }

    private void emitCopy(byte[] bytes, int length) {
        flush();
        forwardedBytes += length;
        sink.accept(ByteBuffer.wrap(Arrays.copyOf(bytes, length)));
    }

    private void flush() {
        if (runStart >= 0) {
            ByteBuffer view = chunk.duplicate();
            view.limit(runEnd).position(runStart);
            forwardedBytes += runEnd - runStart;
            runStart = -1;
            sink.accept(view.slice());
        }
    }

    /** Elasticsearch's name of a JSON token ({@code XContentParser.Token}). */
    static String tokenName(JsonToken t) {
        if (t == null) {
            return "null";
        }
        return switch (t) {
            case START_OBJECT -> "START_OBJECT";
            case END_OBJECT -> "END_OBJECT";
            case START_ARRAY -> "START_ARRAY";
            case END_ARRAY -> "END_ARRAY";
            case FIELD_NAME -> "FIELD_NAME";
            case VALUE_STRING -> "VALUE_STRING";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "VALUE_NUMBER";
            case VALUE_TRUE, VALUE_FALSE -> "VALUE_BOOLEAN";
            case VALUE_NULL -> "VALUE_NULL";
            case VALUE_EMBEDDED_OBJECT -> "VALUE_EMBEDDED_OBJECT";
            case NOT_AVAILABLE -> "NOT_AVAILABLE";
        };
    }

    /** A JSON syntax error in a control line, as Elasticsearch reports its parser's exceptions (400). */
    static EsException syntaxError(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : "[" + loc.getLineNr() + ":" + loc.getColumnNr() + "] ";
        String type = e instanceof JsonEOFException ? "x_content_e_o_f_exception" : EsErrors.X_CONTENT_PARSE;
        return new EsException(type, 400, where + e.getOriginalMessage());
    }
}
