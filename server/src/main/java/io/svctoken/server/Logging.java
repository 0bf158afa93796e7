package io.svctoken.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.svctoken.server.settings.LoggingSettings;
import io.svctoken.server.settings.SettingsException;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The node's logging: {@code <config>/logback.xml} when there is one (else the built-in configuration), the file log under
 * {@code path.logs} ({@code <cluster.name>.log}, as Elasticsearch names it) when configured, and the {@code logger.*} levels.
 */
public final class Logging {

    /** The logging configuration file in the config directory: Logback's own format, since Logback runs underneath. */
    public static final String CONFIG_FILE = "logback.xml";

    private Logging() {
    }

    /**
     * Reads {@code <configDir>/logback.xml} in place of the built-in configuration when it exists, then sets the levels
     * of the {@code logger.*} settings (they win over the file, as Elasticsearch's settings over its log4j2.properties).
     *
     * @throws SettingsException when the file cannot be read or Logback reports an error in it
     */
    public static void configure(Path configDir, Map<String, String> levels) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Path file = configDir.resolve(CONFIG_FILE);
        if (Files.isRegularFile(file)) {
            long since = System.currentTimeMillis();
            ctx.reset();
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(ctx);
            String problem = null;
            try {
                joran.doConfigure(file.toFile());
            } catch (JoranException e) {
                problem = e.getMessage();
            }
            for (Status st : ctx.getStatusManager().getCopyOfStatusList()) {
                if (problem == null && st.getLevel() == Status.ERROR && st.getTimestamp() >= since) {
                    problem = st.getMessage() + (st.getThrowable() != null ? ": " + st.getThrowable().getMessage() : "");
                }
            }
            if (problem != null) {
                throw new SettingsException("cannot configure logging from [" + file + "]: " + problem);
            }
        }
        if (!Files.isRegularFile(file) && Files.isRegularFile(configDir.resolve("log4j2.properties"))) {
            // an Elasticsearch config directory: say once that its logging file is not the one read here
            LoggerFactory.getLogger(Logging.class).info("not reading [{}]: svctoken's logging configuration file is [{}] (Logback's format)",
                    configDir.resolve("log4j2.properties"), file);
        }
        levels.forEach((name, level) -> ctx.getLogger(LoggingSettings.ROOT.equals(name) ? Logger.ROOT_LOGGER_NAME : name)
                .setLevel(Level.toLevel(level)));
    }

    public static void addFileLog(Path logsDir, String clusterName) throws IOException {
        Files.createDirectories(logsDir);
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(BuiltInLogging.PATTERN);
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
