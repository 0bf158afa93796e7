package io.svctoken.server.settings;

import io.svctoken.server.ServerEsMessages;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Log levels as Elasticsearch's settings set them: {@code logger.level} for the root logger and {@code logger.<name>} for a
 * logger and those below it ({@code logger.io.svctoken.server: debug}). The levels are Log4j's names, in any case; Logback
 * has no FATAL, so it is ERROR there.
 */
public final class LoggingSettings {

    static final String PREFIX = "logger.";
    /** The key of the root logger in {@link NodeSettings#loggerLevels()}. */
    public static final String ROOT = "ROOT";

    public static final Setting<String> LEVEL = Setting.of("logger.level", LoggingSettings::parseLevel, null);
    /** One logger; its name may hold dots (a package), so the group reads these keys itself. */
    public static final Setting<String> LOGGER = Setting.of("logger.<name>", LoggingSettings::parseLevel, null);

    static final SettingsRegistry.Group<Map<String, String>> GROUP = new SettingsRegistry.Group<>("logging", PREFIX, List.of(LEVEL, LOGGER),
            c -> levels(c.raw()));

    private LoggingSettings() {
    }

    private static Map<String, String> levels(Map<String, String> raw) {
        Map<String, String> levels = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            String name = key.substring(PREFIX.length());
            if (name.isEmpty()) {
                throw new SettingsException(ServerEsMessages.unknownSetting(key));
            }
            levels.put(key.equals(LEVEL.key()) ? ROOT : name, parseLevel(key, value));
        });
        return Collections.unmodifiableMap(levels);
    }

    /** Log4j's level names (Elasticsearch's {@code Level.valueOf}) as Logback's. */
    static String parseLevel(String key, String value) {
        String name = value.trim().toUpperCase(Locale.ENGLISH);
        return switch (name) {
            case "OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL" -> name;
            case "FATAL" -> "ERROR";
            default -> throw new SettingsException(ServerEsMessages.unknownLevelConstant(name));
        };
    }
}
