package io.svctoken.server.gateway.bulk;

import io.svctoken.server.http.EsException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Puts the denied items back into the upstream's answer as it streams through, chunk by chunk, with constant memory:
 * the answer's bytes pass unchanged except that the top-level array ({@code items}, {@code responses} or
 * {@code docs}) gets the denied entries at their positions, and for {@code _bulk} the top-level {@code "errors":false}
 * becomes {@code true}. The JSON is followed with a small scanner (depth, strings, top-level keys), not parsed; the
 * upstream's entries are never re-serialised.
 *
 * <p>Use it only for a 200 answer to a request with denials (an answer without denials passes unchanged; another
 * status is the upstream's own answer). The answer's length changes: the caller drops the upstream's
 * {@code Content-Length} and sends chunked, and asks the upstream for an uncompressed answer (or inflates it first).
 * A buffer given to the sink is a view of the chunk being fed or a fresh array, valid only during the call.
 */
public final class AnswerMerger {

    private static final int MAX_KEY = 64;

    private final String arrayField;
    private final String flagField;
    private final Function<Denial, byte[]> render;
    private final Consumer<ByteBuffer> sink;
    private final Iterator<Denial> denials;
    private final int forwarded;
    private Denial pending;

    // the scanner
    private int depth;
    private boolean inString;
    private boolean escape;
    private boolean keyExpected;
    private boolean capturingKey;
    private final byte[] key = new byte[MAX_KEY];
    private int keyLength;
    private boolean keyUnusable;
    private String lastKey;
    private String valueOf;
    private int skip;
    private boolean inArray;
    private boolean arraySeen;
    private boolean elementExpected;
    private int merged;
    private int fromUpstream;

    // the run of the current chunk still to be handed to the sink
    private ByteBuffer chunk;
    private int runStart = -1;
    private int runEnd;

    AnswerMerger(String arrayField, String flagField, Outcome outcome, Function<Denial, byte[]> render, Consumer<ByteBuffer> sink) {
        this.arrayField = arrayField;
        this.flagField = outcome.denied().isEmpty() ? null : flagField;
        this.render = render;
        this.sink = sink;
        this.denials = outcome.denied().iterator();
        this.pending = denials.hasNext() ? denials.next() : null;
        this.forwarded = outcome.forwarded();
    }

    /** For a {@code _bulk} answer: {@code items}, and {@code errors} made true. */
    public static AnswerMerger bulk(Outcome outcome, Consumer<ByteBuffer> sink) {
        return new AnswerMerger("items", "errors", outcome, BulkAnswer::deniedItem, sink);
    }

    /** For a {@code _msearch} answer: {@code responses}. */
    public static AnswerMerger multiSearch(Outcome outcome, Consumer<ByteBuffer> sink) {
        return new AnswerMerger("responses", null, outcome, d -> Failures.withRootCause(null, d), sink);
    }

    /** For an {@code _mget} answer: {@code docs}. */
    public static AnswerMerger multiGet(Outcome outcome, Consumer<ByteBuffer> sink) {
        return new AnswerMerger("docs", null, outcome, d -> Failures.withRootCause(d, d), sink);
    }

    /** A whole answer merged at once; with no denial, the upstream's bytes unchanged (the same array). */
    static byte[] whole(byte[] upstream, Outcome outcome, BiFunction<Outcome, Consumer<ByteBuffer>, AnswerMerger> kind) {
        if (outcome.denied().isEmpty()) {
            return upstream;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(upstream.length + 256 * outcome.denied().size());
        AnswerMerger merger = kind.apply(outcome, b -> {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            out.writeBytes(copy);
        });
        try {
            merger.feed(ByteBuffer.wrap(upstream));
            merger.end();
        } catch (IllegalStateException e) {
            throw new EsException("exception", 502, e.getMessage());
        }
        return out.toByteArray();
    }

    /** Feeds the next bytes of the answer, from the buffer's position to its limit; the position is not moved. */
    public void feed(ByteBuffer in) {
        chunk = in;
        try {
            int limit = in.limit();
            for (int i = in.position(); i < limit; i++) {
                scan(in.get(i), i);
            }
            flush();
        } finally {
            chunk = null;
            runStart = -1;
        }
    }

    /**
     * The answer has ended. Throws {@link IllegalStateException} when it was not the answer its API defines (no
     * such array, or not one entry per forwarded item): the denied entries could not all be placed.
     */
    public void end() {
        if (depth != 0 || inString || !arraySeen || inArray) {
            throw new IllegalStateException("the upstream's answer has no complete top-level [" + arrayField + "] array");
        }
        if (fromUpstream != forwarded) {
            throw new IllegalStateException("the upstream's answer has " + fromUpstream + " [" + arrayField + "] entries for "
                    + forwarded + " forwarded items");
        }
    }

    private void scan(byte b, int i) {
        if (skip > 0) {
            skip--;
            return;
        }
        if (inString) {
            if (escape) {
                escape = false;
                keyUnusable = true;
            } else if (b == '\\') {
                escape = true;
            } else if (b == '"') {
                inString = false;
                if (capturingKey) {
                    capturingKey = false;
                    lastKey = keyUnusable ? null : new String(key, 0, keyLength, StandardCharsets.UTF_8);
                }
            } else if (capturingKey) {
                if (keyLength == MAX_KEY) {
                    keyUnusable = true;
                } else {
                    key[keyLength++] = b;
                }
            }
            pass(i);
            return;
        }
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
            pass(i);
            return;
        }
        if (depth == 1 && valueOf != null) {
            String k = valueOf;
            valueOf = null;
            if (k.equals(flagField) && b == 'f') {
                insert("true".getBytes(StandardCharsets.US_ASCII));
                skip = "alse".length();
                return;
            }
            if (k.equals(arrayField) && b == '[' && !arraySeen) {
                arraySeen = true;
                inArray = true;
                elementExpected = true;
                depth++;
                pass(i);
                return;
            }
        }
        if (inArray && depth == 2) {
            if (b == ']') {
                while (pending != null) {
                    if (merged > 0) {
                        insert(new byte[] {','});
                    }
                    insertPending();
                }
                inArray = false;
                depth--;
                pass(i);
                return;
            }
            if (b == ',') {
                elementExpected = true;
                pass(i);
                return;
            }
            if (elementExpected) {
                elementExpected = false;
                while (pending != null && pending.position() == merged) {
                    insertPending();
                    insert(new byte[] {','});
                }
                fromUpstream++;
                merged++;
            }
        }
        switch (b) {
            case '"' -> {
                inString = true;
                if (depth == 1 && keyExpected) {
                    keyExpected = false;
                    capturingKey = true;
                    keyLength = 0;
                    keyUnusable = false;
                }
            }
            case '{', '[' -> {
                depth++;
                if (depth == 1) {
                    keyExpected = true;
                }
            }
            case '}', ']' -> depth--;
            case ':' -> {
                if (depth == 1) {
                    valueOf = lastKey;
                }
            }
            case ',' -> {
                if (depth == 1) {
                    keyExpected = true;
                }
            }
            default -> {
                // a literal or number: passed as it is
            }
        }
        pass(i);
    }

    private void insertPending() {
        insert(render.apply(pending));
        merged++;
        pending = denials.hasNext() ? denials.next() : null;
    }

    private void pass(int i) {
        if (runStart >= 0 && runEnd == i) {
            runEnd = i + 1;
            return;
        }
        flush();
        runStart = i;
        runEnd = i + 1;
    }

    private void insert(byte[] bytes) {
        flush();
        sink.accept(ByteBuffer.wrap(bytes));
    }

    private void flush() {
        if (runStart >= 0) {
            ByteBuffer view = chunk.duplicate();
            view.limit(runEnd).position(runStart);
            runStart = -1;
            sink.accept(view.slice());
        }
    }
}
