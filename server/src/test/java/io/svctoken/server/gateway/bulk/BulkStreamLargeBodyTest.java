package io.svctoken.server.gateway.bulk;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100 MB body fed in 64 KB chunks, as a proxy receives it: the reader holds at most its action-line buffer, which
 * is never more than twice the longest action line (128 bytes at least), whatever the size of the body or of a
 * source line (some here are 5 MB).
 */
class BulkStreamLargeBodyTest {

    private static final long BODY = 100L * 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    @Test
    void aHundredMegabyteBodyIsReadWithBoundedMemory() {
        long[] sunk = new long[1];
        BulkStream stream = new BulkStream("logs", (op, index) -> index.endsWith("7") ? "denied" : null,
                b -> sunk[0] += b.remaining());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        String source1k = "{\"msg\":\"" + "m".repeat(1000) + "\"}\n";
        String source5m = "{\"blob\":\"" + "b".repeat(5 * 1024 * 1024) + "\"}\n";
        long total = 0;
        long expectedForwarded = 0;
        int items = 0;
        int denied = 0;
        int longestAction = 0;
        int maxRetained = 0;
        for (int n = 0; total < BODY; n++) {
            String index = "index-" + (n % 10);
            String action = switch (n % 3) {
                case 0 -> "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + n + "\"}}\n";
                case 1 -> "{\"create\":{\"_index\":\"" + index + "\"}}\n";
                default -> "{\"delete\":{\"_index\":\"" + index + "\",\"_id\":\"" + n + "\"}}\n";
            };
            String source = n % 3 == 2 ? "" : n % 5000 == 1 ? source5m : source1k;
            byte[] item = (action + source).getBytes(StandardCharsets.UTF_8);
            longestAction = Math.max(longestAction, action.length() - 1);
            items++;
            if (index.endsWith("7")) {
                denied++;
            } else {
                expectedForwarded += item.length;
            }
            total += item.length;
            int off = 0;
            while (off < item.length) {
                int n2 = Math.min(chunk.remaining(), item.length - off);
                chunk.put(item, off, n2);
                off += n2;
                if (!chunk.hasRemaining()) {
                    chunk.flip();
                    stream.feed(chunk);
                    chunk.clear();
                    maxRetained = Math.max(maxRetained, stream.retainedBytes());
                }
            }
        }
        chunk.flip();
        stream.feed(chunk);
        Outcome outcome = stream.end();

        assertThat(total).isGreaterThanOrEqualTo(BODY);
        assertThat(outcome.items()).isEqualTo(items);
        assertThat(outcome.denied()).hasSize(denied);
        assertThat(sunk[0]).isEqualTo(expectedForwarded).isEqualTo(stream.forwardedBytes());
        assertThat(maxRetained).isLessThanOrEqualTo(Math.max(128, 2 * longestAction));
    }
}
