package io.svctoken.server.settings;

import io.svctoken.core.secret.Secret;
import io.svctoken.server.ServerEsMessages;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting, declared once next to the code that reads it: its key (or, for an affix setting, a key
 * pattern such as {@code xpack.security.authc.realms.<type>.<name>.order}), the parser that turns the
 * text into a {@code T} or throws a {@link SettingsException} with Elasticsearch's message, the default
 * (which may depend on other settings), and its {@link Property properties}. The node's settings are
 * known to {@link SettingsRegistry}; {@link #toString()} is the key and never a value.
 */
public final class Setting<T> {

    /** Properties of a setting, as Elasticsearch's {@code Setting.Property}. */
    public enum Property {
        /** The value is a password: held as a {@link Secret}, never logged, never in a message. */
        SECURE,
        /** Could change while the node runs (svctoken has no settings API: none is, yet). */
        DYNAMIC,
        /** Still accepted, to be removed. */
        DEPRECATED,
        /** Never shown back (in a settings listing or a log line). */
        FILTERED
    }

    /** Text to value; throws {@link SettingsException} naming {@code key}, which is the concrete key. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String key, String value);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z]+>");

    private final String key;
    private final Parser<T> parser;
    private final Function<SettingValues, T> defaultValue;
    private final Set<Property> properties;
    private final Pattern affix;

    private Setting(String key, Parser<T> parser, Function<SettingValues, T> defaultValue, Property... properties) {
        this.key = key;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.properties = properties.length == 0 ? Set.of() : Set.copyOf(EnumSet.of(properties[0], properties));
        this.affix = PLACEHOLDER.matcher(key).find()
                ? Pattern.compile(Pattern.quote(key).replaceAll("<[a-z]+>", "\\\\E[^.]+\\\\Q")) : null;
    }

    /** A setting whose default does not depend on other settings ({@code null}: none, not set means absent). */
    public static <T> Setting<T> of(String key, Parser<T> parser, T defaultValue, Property... properties) {
        return new Setting<>(key, parser, v -> defaultValue, properties);
    }

    /** A setting whose default is computed from the other settings (or the machine) when it is not set. */
    public static <T> Setting<T> computed(String key, Parser<T> parser, Function<SettingValues, T> defaultValue, Property... properties) {
        return new Setting<>(key, parser, defaultValue, properties);
    }

    public static Setting<Boolean> bool(String key, Boolean defaultValue, Property... properties) {
        return of(key, Setting::parseBoolean, defaultValue, properties);
    }

    public static Setting<Integer> intIn(String key, Integer defaultValue, int min, int max, Property... properties) {
        return of(key, (k, v) -> parseInt(k, v, min, max), defaultValue, properties);
    }

    public static Setting<Duration> time(String key, Duration defaultValue, Property... properties) {
        return of(key, TimeValues::parse, defaultValue, properties);
    }

    /** A time value longer than zero ({@code 0} and {@code -1}, which mean "off" elsewhere, make no sense here). */
    public static Setting<Duration> positiveTime(String key, Duration defaultValue, Property... properties) {
        return of(key, Setting::parsePositiveTime, defaultValue, properties);
    }

    /** A size in bytes between {@code min} and {@code max}, as an int (Netty's limits are ints). */
    public static Setting<Integer> byteSize(String key, Integer defaultValue, int min, int max, Property... properties) {
        return of(key, (k, v) -> ByteSizes.parseInt(k, v, min, max), defaultValue, properties);
    }

    /** A password: its value is a {@link Secret} and the parser never puts the text in a message. */
    public static Setting<Secret> secure(String key, Parser<Secret> parser) {
        return of(key, parser, null, Property.SECURE, Property.FILTERED);
    }

    /** The key, or for an affix setting the pattern with {@code <type>}-style placeholders. */
    public String key() {
        return key;
    }

    public boolean isAffix() {
        return affix != null;
    }

    /** Whether {@code concreteKey} is this setting: the key itself, or one that fills the affix pattern's placeholders. */
    public boolean matches(String concreteKey) {
        return affix == null ? key.equals(concreteKey) : affix.matcher(concreteKey).matches();
    }

    /** An affix setting's key with its placeholders filled in order ({@code concrete("file", "file1")}). */
    public String concrete(String... parts) {
        String k = key;
        for (String p : parts) {
            k = PLACEHOLDER.matcher(k).replaceFirst(Matcher.quoteReplacement(p));
        }
        return k;
    }

    public boolean has(Property p) {
        return properties.contains(p);
    }

    public Set<Property> properties() {
        return properties;
    }

    /** Parses {@code value} given for {@code concreteKey} (this key, or a filled-in affix pattern). */
    public T parse(String concreteKey, String value) {
        return parser.parse(concreteKey, value);
    }

    /** Parses this (non-affix) setting's value. */
    public T parse(String value) {
        return parser.parse(key, value);
    }

    T defaultValue(SettingValues values) {
        return defaultValue.apply(values);
    }

    /** The value given in {@code values}, else the default. */
    public T get(SettingValues values) {
        return values.get(this);
    }

    /** The key only: a setting's value is never part of its description. */
    @Override
    public String toString() {
        return key;
    }

    // --- parsers shared by the declarations

    /** A file system path; one the platform cannot represent (a NUL character, …) names the setting. */
    public static Path parsePath(String key, String v) {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": " + e.getReason(), e);
        }
    }

    public static int parseInt(String key, String v, int min, int max) {
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + " must be between " + min + " and " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key), e);
        }
    }

    /** Elasticsearch's strict booleans: exactly {@code true} or {@code false}. */
    public static Boolean parseBoolean(String key, String v) {
        if ("true".equals(v) || "false".equals(v)) {
            return Boolean.valueOf(v);
        }
        throw new SettingsException(ServerEsMessages.notABooleanSetting(v, key));
    }

    public static Duration parsePositiveTime(String key, String v) {
        Duration d = TimeValues.parse(key, v);
        if (d.isZero() || d.isNegative()) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + " must be longer than 0");
        }
        return d;
    }

    public static String parseNonBlank(String key, String v) {
        if (v.isBlank()) {
            throw new SettingsException("setting [" + key + "] must not be empty");
        }
        return v;
    }

    /** A non-blank path kept as text (resolved later against the config directory), checked to be a path. */
    public static String parsePathText(String key, String v) {
        parsePath(key, parseNonBlank(key, v).trim());
        return v;
    }

    /** One of {@code allowed} hashing algorithm names, lower-cased. */
    public static String parseAlgorithm(String key, String v, Set<String> allowed) {
        String name = v.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(name)) {
            throw new SettingsException("Invalid algorithm: " + v + ". Valid values for password hashing are " + new TreeSet<>(allowed)
                    + " (setting [" + key + "])");
        }
        return name;
    }
}
