package io.svctoken.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import java.util.ArrayList;
import java.util.List;

/** What a test's {@link ListAppender} captured, copied under its lock: the node's threads append while the test reads. */
public final class LogLines {

    private LogLines() {
    }

    /** A started appender attached to {@code logger} (detach it when done). */
    public static ListAppender<ILoggingEvent> capture(Logger logger) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    public static List<ILoggingEvent> copyOf(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }
}
