package io.svctoken.server.gateway.bulk;

import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a {@code gzip} or {@code deflate} request body as it streams in, so that the item readers see the
 * items. Output goes to the sink in pieces of at most {@link #PIECE} bytes, each valid only during the call; nothing
 * is held but the inflater's window and one piece. {@code gzip} may have several members (as {@code cat a.gz b.gz});
 * each member's CRC-32 and length are checked. {@code deflate} is the zlib format of RFC 9110, or raw deflate when the
 * first two bytes are not a zlib header (as browsers and Netty accept both).
 *
 * <p>A body that is not what its encoding says, or ends in the middle, is an {@link EsException} (400,
 * {@code parse_exception}) from {@link #feed} or {@link #end}.
 */
public final class BodyInflater {

    /** The most inflated bytes handed to the sink at once. */
    public static final int PIECE = 64 * 1024;
    /** A gzip header with an extra field, name or comment longer than this is refused (they are a few bytes). */
    private static final int MAX_GZIP_HEADER = 64 * 1024;

    private enum State { HEADER, DATA, TRAILER, DONE }

    private final String encoding;
    private final boolean gzip;
    private final Consumer<ByteBuffer> sink;
    private final byte[] out = new byte[PIECE];
    private final CRC32 crc = new CRC32();
    private Inflater inflater;
    private State state = State.HEADER;
    /** The first bytes of a gzip header or trailer, or of a deflate body, split across pieces. */
    private byte[] pending = new byte[0];
    private long memberBytes;
    private int members;

    /** @return an inflater for the {@code Content-Encoding}, or null when it names none this reads */
    public static BodyInflater of(String encoding, Consumer<ByteBuffer> sink) {
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "gzip", "x-gzip" -> new BodyInflater(e, true, sink);
            case "deflate" -> new BodyInflater(e, false, sink);
            default -> null;
        };
    }

    private BodyInflater(String encoding, boolean gzip, Consumer<ByteBuffer> sink) {
        this.encoding = encoding;
        this.gzip = gzip;
        this.sink = sink;
    }

    /** Inflates the next piece of the body. */
    public void feed(ByteBuffer in) {
        try {
            while (in.hasRemaining()) {
                switch (state) {
                    case HEADER -> {
                        byte[] head = take(in, gzip ? MAX_GZIP_HEADER + 1 : 2);
                        if (gzip ? !startGzipMember(head, in) : !startDeflate(head)) {
                            return;
                        }
                    }
                    case DATA -> inflate(in);
                    case TRAILER -> {
                        byte[] trailer = take(in, 8);
                        if (trailer.length < 8) {
                            pending = trailer;
                            return;
                        }
                        checkTrailer(trailer);
                    }
                    case DONE -> throw corrupt("data after the end of the deflate stream");
                }
            }
        } catch (DataFormatException e) {
            throw corrupt(e.getMessage());
        }
    }

    /** After the last piece: the body must have ended at the end of a stream (gzip: of a member). */
    public void end() {
        boolean complete = gzip ? state == State.HEADER && pending.length == 0 && members > 0 : state == State.DONE;
        if (!complete) {
            throw corrupt("the body ends in the middle of the stream");
        }
        release();
    }

    /** Frees the inflater's native memory (also done by {@link #end} and on a corrupt body). */
    public void release() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** {@code pending} followed by up to {@code max - pending.length} bytes of {@code in}; pending is then empty. */
    private byte[] take(ByteBuffer in, int max) {
        int n = Math.min(in.remaining(), Math.max(0, max - pending.length));
        byte[] joined = new byte[pending.length + n];
        System.arraycopy(pending, 0, joined, 0, pending.length);
        in.get(joined, pending.length, n);
        pending = new byte[0];
        return joined;
    }

    private void inflate(ByteBuffer in) throws DataFormatException {
        inflater.setInput(in);
        while (!inflater.finished()) {
            int n = inflater.inflate(out);
            if (n > 0) {
                emit(n);
            } else if (inflater.needsDictionary()) {
                throw corrupt("a preset dictionary is not supported");
            } else if (inflater.needsInput()) {
                break;
            }
        }
        if (inflater.finished()) {
            // the inflater may have been given bytes past the stream's end: they are the trailer or the next member
            in.position(in.limit() - inflater.getRemaining());
            state = gzip ? State.TRAILER : State.DONE;
        } else {
            in.position(in.limit());
        }
    }

    private void emit(int n) {
        if (gzip) {
            crc.update(out, 0, n);
            memberBytes += n;
        }
        sink.accept(ByteBuffer.wrap(out, 0, n));
    }

    /** deflate: zlib (RFC 1950) when the first two bytes are its header, else raw; the inflater is given both. */
    private boolean startDeflate(byte[] first) throws DataFormatException {
        if (first.length < 2) {
            pending = first;
            return false;
        }
        int cmf = first[0] & 0xff;
        int flg = first[1] & 0xff;
        boolean zlib = (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
        inflater = new Inflater(!zlib);
        state = State.DATA;
        inflate(ByteBuffer.wrap(first));
        return true;
    }

    /** gzip: a complete member header (RFC 1952) opens the member; the bytes taken past it go back to {@code in}. */
    private boolean startGzipMember(byte[] head, ByteBuffer in) {
        int length = gzipHeaderLength(head);
        if (length < 0) {
            if (head.length > MAX_GZIP_HEADER) {
                throw corrupt("the gzip header is too long");
            }
            pending = head;
            return false;
        }
        // the header was incomplete before this piece, so every byte taken past it came from this piece
        in.position(in.position() - (head.length - length));
        if (inflater == null) {
            inflater = new Inflater(true);
        } else {
            inflater.reset();
        }
        crc.reset();
        memberBytes = 0;
        state = State.DATA;
        return true;
    }

    /** The length of a complete gzip member header at the start of {@code b}, or -1 when it is not complete yet. */
    private int gzipHeaderLength(byte[] b) {
        if (b.length >= 1 && (b[0] & 0xff) != 0x1f || b.length >= 2 && (b[1] & 0xff) != 0x8b) {
            throw corrupt("not in gzip format");
        }
        if (b.length < 10) {
            return -1;
        }
        if (b[2] != 8) {
            throw corrupt("unsupported compression method");
        }
        int flags = b[3] & 0xff;
        int p = 10;
        if ((flags & 4) != 0) { // FEXTRA: a length, then that many bytes
            if (b.length < p + 2) {
                return -1;
            }
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & flag) != 0) {
                while (p < b.length && b[p] != 0) {
                    p++;
                }
                if (p >= b.length) {
                    return -1;
                }
                p++;
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            p += 2;
        }
        return p <= b.length ? p : -1;
    }

    private void checkTrailer(byte[] t) {
        if (le32(t, 0) != crc.getValue() || le32(t, 4) != (memberBytes & 0xffffffffL)) {
            throw corrupt("the gzip trailer does not match the data (CRC-32 or length)");
        }
        members++;
        state = State.HEADER;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private EsException corrupt(String why) {
        release();
        return new EsException(EsErrors.PARSE, 400, ServerEsMessages.bodyCannotBeDecoded(encoding, why));
    }
}
