package io.svctoken.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping a node while hashing work is queued behind its HTTP server. */
class NodeStopTest {

    private static final String TOKENS = "/_security/service/elastic/fleet-server/credential";

    @TempDir
    Path home;

    @Test
    void aStopWithTokenCreationsInFlightLogsNoErrorAndKeepsEveryAcknowledgedToken() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = LogLines.capture(root);
        List<String> acknowledged = new ArrayList<>();
        int unanswered = 0;
        try {
            // the default token hashing (PBKDF2 with 10 000 rounds): each creation keeps a worker busy for a while
            TestNode node = TestNode.start(home, Map.of("xpack.security.authc.service_token_hashing.algorithm", "pbkdf2_stretch"));
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200); // elastic's password cached: only creations queue
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(node.baseUrl() + TOKENS + "/token/stop-" + i))
                        .header("Authorization", TestNode.ELASTIC_BASIC).POST(HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // the first answer is out: the others are being hashed or wait in the worker pool's queue
            CompletableFuture.anyOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            node.close();
            for (int i = 0; i < answers.size(); i++) {
                try {
                    HttpResponse<String> r = answers.get(i).get(30, TimeUnit.SECONDS);
                    if (r.statusCode() == 200) {
                        acknowledged.add("stop-" + i);
                    } else {
                        assertThat(r.statusCode()).as(r.body()).isIn(429, 503);
                    }
                } catch (ExecutionException e) {
                    unanswered++; // the connection closed without an answer: the client knows it was not done
                }
            }
        } finally {
            root.detachAppender(logs);
        }
        assertThat(acknowledged).as("%d unanswered", unanswered).isNotEmpty();
        // before the event loops outlived the worker pool, each answer finished after the stop was an error line
        // ("Failed to submit a listener notification task. Event loop shut down?") and never reached its client
        assertThat(LogLines.copyOf(logs)).as("nothing is logged as an error by a stop")
                .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).extracting(ILoggingEvent::getFormattedMessage).isEmpty();

        // every token whose creation was acknowledged is there after a restart
        try (TestNode again = TestNode.start(home, Map.of())) {
            JsonNode tokens = again.asElastic("GET", TOKENS).json().at("/tokens");
            for (String name : acknowledged) {
                assertThat(tokens.has(name)).as(name).isTrue();
            }
        }
    }
}
