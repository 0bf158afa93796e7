package io.svctoken.server.settings;

import io.svctoken.core.secret.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
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
    public static final String TYPE = PREFIX + "type";
    public static final String PG_PREFIX = PREFIX + "postgresql.";
    public static final String PG_URL = PG_PREFIX + "url";
    public static final String PG_USERNAME = PG_PREFIX + "username";
    public static final String PG_PASSWORD = PG_PREFIX + "password";
    public static final String PG_PASSWORD_FILE = PG_PREFIX + "password_file";
    public static final String PG_POOL_MAX_SIZE = PG_PREFIX + "pool.max_size";
    public static final String PG_CONNECT_TIMEOUT = PG_PREFIX + "connect_timeout";
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

    private static final Map<String, BiFunction<String, String, Object>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(TYPE, StoreSettings::type);
        KNOWN.put(PG_URL, StoreSettings::url);
        KNOWN.put(PG_USERNAME, StoreSettings::nonBlank);
        KNOWN.put(PG_PASSWORD, (k, v) -> {
            if (v.isEmpty()) {
                throw new SettingsException("setting [" + k + "] must not be empty");
            }
            return Secret.of(v);
        });
        KNOWN.put(PG_PASSWORD_FILE, (k, v) -> NodeSettings.path(k, ((String) nonBlank(k, v)).trim()));
        KNOWN.put(PG_POOL_MAX_SIZE, (k, v) -> NodeSettings.intIn(k, v, 1, 1000));
        KNOWN.put(PG_CONNECT_TIMEOUT, (k, v) -> {
            Duration d = TimeValues.parse(k, v);
            if (d.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
                throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(v, k) + ": must be at least "
                        + MIN_CONNECT_TIMEOUT.toMillis() + "ms");
            }
            return d;
        });
    }

    private final Type type;
    private final Optional<Postgresql> postgresql;

    private StoreSettings(Type type, Optional<Postgresql> postgresql) {
        this.type = type;
        this.postgresql = postgresql;
    }

    static boolean isStoreSetting(String key) {
        return key.startsWith(PREFIX);
    }

    /** Parses and checks the {@code svctoken.store.*} entries of the raw settings. */
    static StoreSettings of(Path configDir, Map<String, String> raw) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            BiFunction<String, String, Object> parser = KNOWN.get(e.getKey());
            if (parser == null) {
                throw new SettingsException(io.svctoken.core.EsMessages.unknownSetting(e.getKey()));
            }
            values.put(e.getKey(), parser.apply(e.getKey(), e.getValue()));
        }
        Type type = (Type) values.getOrDefault(TYPE, Type.SQLITE);
        if (type != Type.POSTGRESQL) {
            for (String k : values.keySet()) {
                if (k.startsWith(PG_PREFIX)) {
                    throw new SettingsException("[" + k + "] is set, but [" + TYPE + "] is [" + type.settingValue() + "]: set [" + TYPE
                            + "] to [" + Type.POSTGRESQL.settingValue() + "], or remove the " + PG_PREFIX + "* settings");
                }
            }
            return new StoreSettings(type, Optional.empty());
        }
        if (!values.containsKey(PG_URL)) {
            throw new SettingsException("[" + TYPE + "] is [" + type.settingValue() + "], but [" + PG_URL + "] is not set");
        }
        if (values.containsKey(PG_PASSWORD) && values.containsKey(PG_PASSWORD_FILE)) {
            throw new SettingsException("[" + PG_PASSWORD + "] and [" + PG_PASSWORD_FILE + "] cannot both be set");
        }
        Path file = (Path) values.get(PG_PASSWORD_FILE);
        return new StoreSettings(type, Optional.of(new Postgresql((String) values.get(PG_URL),
                Optional.ofNullable((String) values.get(PG_USERNAME)), Optional.ofNullable((Secret) values.get(PG_PASSWORD)),
                Optional.ofNullable(file == null ? null : file.isAbsolute() ? file : configDir.resolve(file).normalize()),
                (Integer) values.getOrDefault(PG_POOL_MAX_SIZE, 10),
                (Duration) values.getOrDefault(PG_CONNECT_TIMEOUT, Duration.ofSeconds(10)))));
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
            java.util.Arrays.fill(bytes, (byte) 0);
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

    private static Object type(String key, String v) {
        for (Type t : Type.values()) {
            if (t.settingValue().equals(v.trim())) {
                return t;
            }
        }
        throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(v, key) + ": must be one of [sqlite, postgresql]");
    }

    private static Object url(String key, String v) {
        String url = ((String) nonBlank(key, v)).trim();
        if (URL_PASSWORD.matcher(url).find()) {
            // not repeated in the message: it holds the password
            throw new SettingsException("setting [" + key + "] must not hold a password: set [" + PG_PASSWORD + "] or [" + PG_PASSWORD_FILE
                    + "], or the environment variable " + PASSWORD_ENV);
        }
        if (!url.startsWith(PG_URL_PREFIX)) {
            throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(v, key) + ": a PostgreSQL JDBC URL starts with ["
                    + PG_URL_PREFIX + "]");
        }
        return url;
    }

    private static Object nonBlank(String key, String v) {
        if (v.isBlank()) {
            throw new SettingsException("setting [" + key + "] must not be empty");
        }
        return v;
    }
}
