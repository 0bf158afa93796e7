package io.svctoken.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The built-in logging configuration, set up in code when Logback starts (found as a service): what an XML file would
 * say (console, {@link #PATTERN}, Flyway and Netty at WARN, the root at INFO or {@code -Dsvctoken.log.level}), without
 * Logback's XML machinery (Joran), which took a start ~120 ms and 520 classes. Logback configures itself from a file
 * as before when one is named ({@code -Dlogback.configurationFile}) or on the class path ({@code logback-test.xml},
 * {@code logback.xml}: tests and benchmarks); {@code <config>/logback.xml} replaces this later ({@link Logging#configure}).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class BuiltInLogging extends ContextAwareBase implements Configurator {

    /** The line layout of the console and of the file log, as Elasticsearch's: {@code [time][LEVEL][logger] [thread] message}. */
    public static final String PATTERN = "[%d{yyyy-MM-dd'T'HH:mm:ss.SSS}][%-5level][%logger{36}] [%thread] %msg%n";
    /** The root level when no setting says otherwise. */
    static final String LEVEL_PROPERTY = "svctoken.log.level";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (fileNamed(getClass().getClassLoader())) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(ctx);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether Logback has a configuration file to read: named by its system property, or on the class path. */
    static boolean fileNamed(ClassLoader loader) {
        return System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
    }

    static void apply(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        ctx.getLogger("org.flywaydb").setLevel(Level.WARN);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        String level = System.getProperty(LEVEL_PROPERTY, System.getenv(LEVEL_PROPERTY));
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
    }
}
