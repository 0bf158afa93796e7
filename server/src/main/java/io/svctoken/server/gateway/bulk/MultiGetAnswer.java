package io.svctoken.server.gateway.bulk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code _mget} answer with the denied documents in it, as Elasticsearch writes a failed get in {@code docs}:
 * {@code {"_index":…,"_id":…,"error":{"root_cause":[…],"type":"security_exception","reason":…}}}, no status.
 */
public final class MultiGetAnswer {

    private MultiGetAnswer() {
    }

    /** Merges the upstream's 200 answer with the denials; with none, the upstream's bytes unchanged (the same array). */
    public static byte[] merge(byte[] upstream, Outcome outcome) {
        return AnswerMerger.whole(upstream, outcome, AnswerMerger::multiGet);
    }

    /** The whole answer when every document was denied (the upstream was not asked). */
    public static byte[] local(Outcome outcome) {
        if (!outcome.allDenied()) {
            throw new IllegalArgumentException("only a request whose documents were all denied is answered locally");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"docs\":[".getBytes(StandardCharsets.US_ASCII));
        Failures.writeAll(out, outcome, d -> Failures.withRootCause(d, d));
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
