package io.svctoken.server.settings;

import io.svctoken.core.secret.Secret;
import io.svctoken.server.ServerEsMessages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code svctoken.store.*} settings, checked together: which store the node uses
 * ({@code svctoken.store.type}: {@code sqlite}, the default, a file under {@code path.data}; or
 * {@code postgresql}) and how to reach PostgreSQL. PostgreSQL's settings without
 * {@code type: postgresql}, or {@code type: postgresql} without a URL, stop the start.
 *
 * <p>The password comes from {@code svctoken.store.postgresql.password}, or the first line of
 * {@code svctoken.store.postgresql.password_file} (read at start), or else the environment variable
 * {@value #PASSWORD_ENV}; it is held as a {@link Secret} and never shown.
 */
public final class StoreSettings {

    public static final String PREFIX = "svctoken.store.";
    public static final String PG_PREFIX = PREFIX + "postgresql.";
    /** The environment variable with the PostgreSQL password, when no setting gives one. */
    public static final String PASSWORD_ENV = "SVCTOKEN_STORE_POSTGRESQL_PASSWORD";

    private static final String PG_URL_PREFIX = "jdbc:postgresql:";
    /** A password parameter of a JDBC URL ({@code password=}, any case, after {@code ?} or {@code &}). */
    private static final Pattern URL_PASSWORD = Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);

    /** The stores. */
    public enum Type {
        SQLITE, POSTGRESQL;

        public String settingValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Setting<Type> TYPE = Setting.of(PREFIX + "type", StoreSettings::type, Type.SQLITE);
    public static final Setting<String> PG_URL = Setting.of(PG_PREFIX + "url", StoreSettings::url, null);
    public static final Setting<String> PG_USERNAME = Setting.of(PG_PREFIX + "username", Setting::parseNonBlank, null);
    public static final Setting<Secret> PG_PASSWORD = Setting.secure(PG_PREFIX + "password", (k, v) -> {
        if (v.isEmpty()) {
            throw new SettingsException("setting [" + k + "] must not be empty");
        }
        return Secret.of(v);
    });
    public static final Setting<Path> PG_PASSWORD_FILE = Setting.of(PG_PREFIX + "password_file",
            (k, v) -> Setting.parsePath(k, Setting.parseNonBlank(k, v).trim()), null);
    public static final Setting<Integer> PG_POOL_MAX_SIZE = Setting.intIn(PG_PREFIX + "pool.max_size", 10, 1, 1000);
    public static final Setting<Duration> PG_CONNECT_TIMEOUT = Setting.of(PG_PREFIX + "connect_timeout", (k, v) -> {
        Duration d = TimeValues.parse(k, v);
        if (d.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, k) + ": must be at least "
                    + MIN_CONNECT_TIMEOUT.toMillis() + "ms");
        }
        return d;
    }, Duration.ofSeconds(10));

    /** The {@code svctoken.store.*} namespace, checked after the realms. */
    static final SettingsRegistry.Group<StoreSettings> GROUP = new SettingsRegistry.Group<>("store", PREFIX,
            List.of(TYPE, PG_URL, PG_USERNAME, PG_PASSWORD, PG_PASSWORD_FILE, PG_POOL_MAX_SIZE, PG_CONNECT_TIMEOUT),
            c -> of(c.configDir(), c.own()));

    private final Type type;
    private final Optional<Postgresql> postgresql;

    private StoreSettings(Type type, Optional<Postgresql> postgresql) {
        this.type = type;
        this.postgresql = postgresql;
    }

    /** Checks the parsed {@code svctoken.store.*} settings together. */
    static StoreSettings of(Path configDir, SettingValues values) {
        Type type = values.get(TYPE);
        if (type != Type.POSTGRESQL) {
            for (Setting<?> s : values.given()) {
                if (s.key().startsWith(PG_PREFIX)) {
                    throw new SettingsException("[" + s + "] is set, but [" + TYPE + "] is [" + type.settingValue() + "]: set [" + TYPE
                            + "] to [" + Type.POSTGRESQL.settingValue() + "], or remove the " + PG_PREFIX + "* settings");
                }
            }
            return new StoreSettings(type, Optional.empty());
        }
        if (!values.isSet(PG_URL)) {
            throw new SettingsException("[" + TYPE + "] is [" + type.settingValue() + "], but [" + PG_URL + "] is not set");
        }
        if (values.isSet(PG_PASSWORD) && values.isSet(PG_PASSWORD_FILE)) {
            throw new SettingsException("[" + PG_PASSWORD + "] and [" + PG_PASSWORD_FILE + "] cannot both be set");
        }
        Path file = values.get(PG_PASSWORD_FILE);
        return new StoreSettings(type, Optional.of(new Postgresql(values.get(PG_URL), Optional.ofNullable(values.get(PG_USERNAME)),
                Optional.ofNullable(values.get(PG_PASSWORD)),
                Optional.ofNullable(file == null ? null : file.isAbsolute() ? file : configDir.resolve(file).normalize()),
                values.get(PG_POOL_MAX_SIZE), values.get(PG_CONNECT_TIMEOUT))));
    }

    /** {@code svctoken.store.type}. */
    public Type type() {
        return type;
    }

    /** Present when the type is {@code postgresql}. */
    public Optional<Postgresql> postgresql() {
        return postgresql;
    }

    @Override
    public String toString() {
        return "StoreSettings[" + type.settingValue() + postgresql.map(p -> ", " + p).orElse("") + "]";
    }

    /** How to reach PostgreSQL; {@code passwordFile} is resolved against the config directory. */
    public static final class Postgresql {

        private final String url;
        private final Optional<String> username;
        private final Optional<Secret> passwordSetting;
        private final Optional<Path> passwordFile;
        private final int poolMaxSize;
        private final Duration connectTimeout;

        Postgresql(String url, Optional<String> username, Optional<Secret> passwordSetting, Optional<Path> passwordFile, int poolMaxSize,
                   Duration connectTimeout) {
            this.url = url;
            this.username = username;
            this.passwordSetting = passwordSetting;
            this.passwordFile = passwordFile;
            this.poolMaxSize = poolMaxSize;
            this.connectTimeout = connectTimeout;
        }

        /** {@code svctoken.store.postgresql.url}, a {@code jdbc:postgresql:} URL without a password. */
        public String url() {
            return url;
        }

        /** {@code svctoken.store.postgresql.username}; empty: the driver's default. */
        public Optional<String> username() {
            return username;
        }

        /** {@code svctoken.store.postgresql.pool.max_size} (default 10): this node's connections at most. */
        public int poolMaxSize() {
            return poolMaxSize;
        }

        /** {@code svctoken.store.postgresql.connect_timeout} (default 10s). */
        public Duration connectTimeout() {
            return connectTimeout;
        }

        /**
         * The password: {@code svctoken.store.postgresql.password}, else the first line of
         * {@code svctoken.store.postgresql.password_file} (read now), else {@value #PASSWORD_ENV} from
         * {@code env}; empty when none gives one.
         *
         * @throws SettingsException when the file cannot be read or is empty
         */
        public Optional<Secret> password(Map<String, String> env) {
            if (passwordSetting.isPresent()) {
                return passwordSetting;
            }
            if (passwordFile.isPresent()) {
                return Optional.of(readPasswordFile(passwordFile.get()));
            }
            String fromEnv = env.get(PASSWORD_ENV);
            return fromEnv == null || fromEnv.isEmpty() ? Optional.empty() : Optional.of(Secret.of(fromEnv));
        }

        private static Secret readPasswordFile(Path file) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException | SecurityException e) {
                throw new SettingsException("cannot read [" + PG_PASSWORD_FILE + "] " + file + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : " (" + e.getMessage() + ")"), e);
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            Arrays.fill(bytes, (byte) 0);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new SettingsException("[" + PG_PASSWORD_FILE + "] " + file + " is empty");
            }
            return Secret.of(line);
        }

        /** Never the password. */
        @Override
        public String toString() {
            return "postgresql[" + url + ", username=" + username.orElse("(driver default)") + ", pool.max_size=" + poolMaxSize
                    + ", connect_timeout=" + connectTimeout.toMillis() + "ms]";
        }
    }

    // --- parsers

    private static Type type(String key, String v) {
        for (Type t : Type.values()) {
            if (t.settingValue().equals(v.trim())) {
                return t;
            }
        }
        throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": must be one of [sqlite, postgresql]");
    }

    private static String url(String key, String v) {
        String url = Setting.parseNonBlank(key, v).trim();
        if (URL_PASSWORD.matcher(url).find()) {
            // not repeated in the message: it holds the password
            throw new SettingsException("setting [" + key + "] must not hold a password: set [" + PG_PASSWORD + "] or [" + PG_PASSWORD_FILE
                    + "], or the environment variable " + PASSWORD_ENV);
        }
        if (!url.startsWith(PG_URL_PREFIX)) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": a PostgreSQL JDBC URL starts with ["
                    + PG_URL_PREFIX + "]");
        }
        return url;
    }
}
