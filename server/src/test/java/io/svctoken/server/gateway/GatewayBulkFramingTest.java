package io.svctoken.server.gateway;

import io.svctoken.server.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a {@code _bulk} body read item by item is framed toward the upstream: in large chunks, not one per piece the
 * client's connection gave (an upstream pays per chunk: OpenSearch spent 1.8× the CPU per MB on a body in 8 KB chunks),
 * and a small body in one chunk sent when it ends.
 */
class GatewayBulkFramingTest {

    @TempDir
    static Path home;
    static ChunkRecordingUpstream upstream;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        upstream = new ChunkRecordingUpstream();
        node = TestNode.start(home, Map.of("svctoken.gateway.upstream", upstream.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        upstream.close();
    }

    private static String body(int bytes) {
        StringBuilder b = new StringBuilder();
        for (int n = 0; b.length() < bytes; n++) {
            b.append("{\"index\":{\"_index\":\"logs\",\"_id\":\"").append(n).append("\"}}\n")
                    .append("{\"msg\":\"lorem ipsum dolor sit amet consectetur adipiscing elit\",\"n\":").append(n).append("}\n");
        }
        return b.toString();
    }

    private static ChunkRecordingUpstream.Framing bulk(String body) throws Exception {
        int before = upstream.requests.size();
        TestNode.Response r = node.request("POST", "/_bulk", TestNode.ELASTIC_BASIC, body, Map.of("Content-Type", "application/x-ndjson"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(upstream.requests).hasSize(before + 1);
        ChunkRecordingUpstream.Framing f = upstream.requests.get(before);
        assertThat(f.path()).isEqualTo("/_bulk");
        assertThat(f.bodyBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        return f;
    }

    @Test
    void aLargeBulkReachesTheUpstreamInChunksOfAtLeast64Kilobytes() throws Exception {
        ChunkRecordingUpstream.Framing f = bulk(body(3 * 1024 * 1024));

        List<Integer> chunks = f.chunks();
        assertThat(chunks).as("chunk sizes").isNotEmpty();
        assertThat(chunks.subList(0, chunks.size() - 1)).as("every chunk but the last").allMatch(n -> n >= 64 * 1024);
    }

    @Test
    void aSmallBulkIsOneChunk() throws Exception {
        ChunkRecordingUpstream.Framing f = bulk(body(2000));

        assertThat(f.chunks()).hasSize(1);
    }
}
