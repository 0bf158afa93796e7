package io.svctoken.server.http;

import io.svctoken.server.LogLines;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The listening channel's limit, with a clock the test moves: who gets in, and how refusals are logged. */
class ConnectionLimitTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionLimit.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void capture() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logs);
    }

    private List<String> lines() {
        return LogLines.copyOf(logs).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void overTheLimitIsClosedAndLoggedOncePerIntervalWithTheCount() {
        EmbeddedChannel server = new EmbeddedChannel(new ConnectionLimit(1));
        EmbeddedChannel first = new EmbeddedChannel();
        server.writeInbound(first);
        assertThat((Object) server.readInbound()).as("passed on to be served").isSameAs(first);

        for (int i = 0; i < 5; i++) {
            EmbeddedChannel extra = new EmbeddedChannel();
            server.writeInbound(extra);
            assertThat(extra.isOpen()).isFalse();
            assertThat((Object) server.readInbound()).isNull();
        }
        assertThat(lines()).hasSize(1);
        assertThat(lines().get(0)).contains("[1] connections are open", "[svctoken.http.max_open_connections]");

        server.advanceTimeBy(ConnectionLimit.LOG_INTERVAL_SECONDS, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertThat(lines()).hasSize(2);
        assertThat(lines().get(1)).startsWith("refused [4] more HTTP connections in the last [10s]");

        server.advanceTimeBy(ConnectionLimit.LOG_INTERVAL_SECONDS, TimeUnit.SECONDS);
        server.runScheduledPendingTasks();
        assertThat(lines()).as("a quiet interval logs nothing").hasSize(2);

        first.close();
        EmbeddedChannel next = new EmbeddedChannel();
        server.writeInbound(next);
        assertThat((Object) server.readInbound()).as("the freed place").isSameAs(next);

        server.writeInbound(new EmbeddedChannel());
        assertThat(lines()).as("after a quiet interval the next refusal is logged at once").hasSize(3);
        assertThat(lines().get(2)).startsWith("refused an HTTP connection from");
    }
}
