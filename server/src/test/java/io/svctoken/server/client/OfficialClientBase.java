package io.svctoken.server.client;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.svctoken.server.TestNode;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** One node per test class and the official Java client calling it as {@code elastic}, its answers decoded strictly. */
abstract class OfficialClientBase {

    @TempDir
    static Path home;
    static TestNode node;
    static ElasticsearchClient elastic;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
        var builder = Rest5Client.builder(URI.create(node.baseUrl()));
        builder.setDefaultHeaders(new Header[]{new BasicHeader("Authorization", TestNode.ELASTIC_BASIC)});
        elastic = new ElasticsearchClient(new Rest5ClientTransport(builder.build(), new OfficialJavaClientTest.StrictMapper()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (elastic != null) {
            elastic._transport().close();
        }
        if (node != null) {
            node.close();
        }
    }
}
