package io.svctoken.server.gateway.bulk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code _msearch} answer with the denied searches in it, as Elasticsearch writes a failed search in
 * {@code responses}: {@code {"error":{"root_cause":[…],"type":"security_exception","reason":…},"status":403}}.
 */
public final class MultiSearchAnswer {

    private MultiSearchAnswer() {
    }

    /** Merges the upstream's 200 answer with the denials; with none, the upstream's bytes unchanged (the same array). */
    public static byte[] merge(byte[] upstream, Outcome outcome) {
        return AnswerMerger.whole(upstream, outcome, AnswerMerger::multiSearch);
    }

    /** The whole answer when every search was denied; {@code took} is the gateway's own time for the request. */
    public static byte[] local(Outcome outcome, long tookMillis) {
        if (!outcome.allDenied()) {
            throw new IllegalArgumentException("only a request whose searches were all denied is answered locally");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"took\":" + tookMillis + ",\"responses\":[").getBytes(StandardCharsets.US_ASCII));
        Failures.writeAll(out, outcome, d -> Failures.withRootCause(null, d));
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
