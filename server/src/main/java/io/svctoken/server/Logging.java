package io.svctoken.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Adds a file log under {@code path.logs} ({@code <cluster.name>.log}, as Elasticsearch names it) when configured. */
public final class Logging {

    private Logging() {
    }

    public static void addFileLog(Path logsDir, String clusterName) throws IOException {
        Files.createDirectories(logsDir);
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("[%d{yyyy-MM-dd'T'HH:mm:ss.SSS}][%-5level][%logger{36}] [%thread] %msg%n");
        enc.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(ctx);
        file.setName("FILE");
        file.setFile(logsDir.resolve(clusterName + ".log").toString());
        file.setEncoder(enc);
        file.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(file);
    }

    /** A background node ({@code -d}) logs to its file only: its stdout is a pipe to the launcher until it started. */
    public static void detachConsole() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (Logger logger : ctx.getLoggerList()) {
            for (var it = logger.iteratorForAppenders(); it.hasNext(); ) {
                var appender = it.next();
                if (appender instanceof ch.qos.logback.core.ConsoleAppender) {
                    logger.detachAppender(appender);
                }
            }
        }
    }
}
