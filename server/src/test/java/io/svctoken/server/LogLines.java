package io.svctoken.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import java.util.ArrayList;
import java.util.List;

/** What a test's {@link ListAppender} captured, copied under its lock: the node's threads append while the test reads. */
public final class LogLines {

    private LogLines() {
    }

    public static List<ILoggingEvent> copyOf(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }
}
