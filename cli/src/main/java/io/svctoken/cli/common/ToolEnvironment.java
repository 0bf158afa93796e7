package io.svctoken.cli.common;

import io.svctoken.cli.CliEsMessages;
import io.svctoken.cli.files.PermissionHints;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.user.ReservedUsers;
import io.svctoken.server.file.AccessFix;
import io.svctoken.server.file.DefaultConfigFiles;
import io.svctoken.server.settings.HttpSslSettings;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.RealmSettings;
import io.svctoken.server.settings.Setting;
import io.svctoken.server.settings.SettingValues;
import io.svctoken.server.settings.SettingsException;
import io.svctoken.server.settings.SettingsLoader;
import io.svctoken.server.tls.HttpTls;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an environment-aware Elasticsearch tool sees: the config directory
 * ({@code ES_PATH_CONF}, else the {@code es.path.conf} system property, else {@code <SVCTOKEN_HOME>/config})
 * and the settings of {@code svctoken.yml}/{@code elasticsearch.yml} there with the {@code -E} values on top.
 *
 * <p>Only the settings a tool uses are validated ({@code svctoken.compatibility.version} when
 * loading, a hashing algorithm only when something is hashed, as in Elasticsearch), so an {@code elasticsearch.yml} full of other
 * Elasticsearch settings does not stop it, as it does not stop Elasticsearch's tool. The node's settings are read through the
 * node's own declarations; the three below are the tools' only (the node does not know them).
 */
public final class ToolEnvironment {

    public static final String ES_PATH_CONF_PROPERTY = "es.path.conf";
    public static final Setting<Boolean> FIPS_MODE = Setting.bool("xpack.security.fips_mode.enabled", false);
    public static final Setting<Boolean> RESERVED_REALM_ENABLED = Setting.bool("xpack.security.authc.reserved_realm.enabled", true);
    /** Kept as given (no default here: {@link ReservedUsers} has it). */
    public static final Setting<String> ANONYMOUS_USERNAME = Setting.of("xpack.security.authc.anonymous.username", (k, v) -> v, null);

    private final Path home;
    private final Path configDir;
    private final Map<String, String> settings;
    private final CompatibilityVersion compatibility;
    private final BuiltinServiceAccounts accounts;

    private ToolEnvironment(Path home, Path configDir, Map<String, String> settings) throws CliException {
        this.home = home;
        this.configDir = configDir;
        this.settings = settings;
        this.compatibility = nodeSetting(NodeSettings.COMPATIBILITY_SETTING);
        this.accounts = BuiltinServiceAccounts.forVersion(compatibility);
    }

    /**
     * @param commandLineSettings the {@code -E} values, the command's own first, then those given before the sub-command
     * @throws CliException 64 for an empty or repeated {@code -E} key, 78 without a config directory or for unreadable settings
     */
    public static ToolEnvironment load(List<String> commandLineSettings, Map<String, String> env) throws CliException {
        Map<String, String> seen = new LinkedHashMap<>();
        for (String kv : commandLineSettings) {
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            String value = eq < 0 ? "" : kv.substring(eq + 1);
            if (value.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, CliEsMessages.settingMustNotBeEmpty(key));
            }
            if (seen.put(key, value) != null) {
                throw new CliException(ExitCodes.USAGE, CliEsMessages.settingSetTwice(key));
            }
        }
        String homeVar = env.get("SVCTOKEN_HOME");
        Path home = Path.of(homeVar != null && !homeVar.isBlank() ? homeVar : ".").toAbsolutePath().normalize();
        Path configDir;
        String esPathConf = env.get("ES_PATH_CONF");
        String property = System.getProperty(ES_PATH_CONF_PROPERTY);
        if (esPathConf != null && !esPathConf.isBlank()) {
            configDir = SettingsLoader.configDir(home, env);
        } else if (property != null && !property.isBlank()) {
            configDir = Path.of(property).toAbsolutePath();
        } else if (homeVar != null && !homeVar.isBlank()) {
            configDir = SettingsLoader.configDir(home, env);
            createInstallConfigDir(configDir);
        } else {
            throw new CliException(ExitCodes.CONFIG, CliEsMessages.ES_PATH_CONF_NOT_SET);
        }
        requireConfigDir(configDir);
        try {
            List<String> pairs = seen.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            return new ToolEnvironment(home, configDir, SettingsLoader.load(configDir, pairs, env));
        } catch (SettingsException e) {
            throw new CliException(ExitCodes.CONFIG, e.getMessage());
        }
    }

    /**
     * The install's own config directory ({@code <SVCTOKEN_HOME>/config}) is created on first use with the files
     * Elasticsearch's distribution ships, so the tools work in a fresh install before the server's first start.
     */
    private static void createInstallConfigDir(Path configDir) throws CliException {
        if (Files.exists(configDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            DefaultConfigFiles.createDirectory(configDir);
            DefaultConfigFiles.createMissingFiles(configDir);
        } catch (IOException e) {
            throw CliException.withHints(ExitCodes.CANT_CREATE, "could not create the configuration directory [" + configDir + "]: " + e,
                    PermissionHints.forWrite(configDir, e), e);
        }
    }

    /** A config directory named by {@code ES_PATH_CONF} must exist: the tools do not guess where the server's is. */
    private static void requireConfigDir(Path configDir) throws CliException {
        try {
            if (!Files.readAttributes(configDir, BasicFileAttributes.class).isDirectory()) {
                throw new CliException(ExitCodes.CONFIG, "Configuration directory [" + configDir + "] is not a directory");
            }
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.CONFIG, "Configuration directory [" + configDir + "] is missing: set ES_PATH_CONF to the"
                    + " server's configuration directory");
        } catch (IOException e) {
            throw CliException.withHints(ExitCodes.CONFIG, "cannot access the configuration directory [" + configDir + "]: " + e,
                    List.of("Hint: " + AccessFix.describe(configDir,
                            AccessFix.Need.LIST_DIRECTORY, "this tool")), e);
        }
    }

    /** Whether any {@code xpack.security.http.ssl.*} setting is present (the node then serves the operator's TLS, or none). */
    public boolean httpSslConfigured() {
        return settings.keySet().stream().anyMatch(k -> k.startsWith(HttpSslSettings.PREFIX));
    }

    public Path configDir() {
        return configDir;
    }

    /** {@code svctoken.compatibility.version} (default 8.19). */
    public CompatibilityVersion compatibility() {
        return compatibility;
    }

    /** The built-in accounts of the configured {@code svctoken.compatibility.version} (default 8.19). */
    public BuiltinServiceAccounts accounts() {
        return accounts;
    }

    /**
     * The hasher of {@code xpack.security.authc.service_token_hashing.algorithm} (default {@code pbkdf2_stretch}).
     * An unknown value fails with Elasticsearch's validator message, exit 70 (an uncaught exception there).
     */
    public Hasher tokenHasher() throws CliException {
        String value = settings.get(NodeSettings.TOKEN_HASHING_SETTING.key());
        if (value != null && !Hasher.passwordHashingNames().contains(value.toLowerCase(Locale.ROOT))) {
            throw new CliException(ExitCodes.CODE_ERROR, CliEsMessages.invalidHashingAlgorithm(value, Hasher.passwordHashingNames()));
        }
        return Hasher.resolve(nodeSetting(NodeSettings.TOKEN_HASHING_SETTING));
    }

    /**
     * The hasher of {@code xpack.security.authc.password_hashing.algorithm} (default {@code bcrypt}; in
     * FIPS mode {@code pbkdf2_stretch}, as Elasticsearch's default). An unknown value fails with
     * Elasticsearch's validator message, exit 70 (an uncaught exception there).
     */
    public Hasher passwordHasher() throws CliException {
        String value = settings.get(NodeSettings.PASSWORD_HASHING_SETTING.key());
        if (value == null) {
            return fipsMode() ? Hasher.PBKDF2_STRETCH : Hasher.BCRYPT;
        }
        if (!Hasher.passwordHashingNames().contains(value.toLowerCase(Locale.ROOT))) {
            throw new CliException(ExitCodes.CODE_ERROR, CliEsMessages.invalidHashingAlgorithm(value, Hasher.passwordHashingNames()));
        }
        return Hasher.resolve(value);
    }

    /** {@code xpack.security.enrollment.enabled} (default true, as the node's). */
    public boolean enrollmentEnabled() throws CliException {
        return nodeSetting(NodeSettings.ENROLLMENT_ENABLED_SETTING);
    }

    /** False when a file realm is configured with {@code xpack.security.authc.realms.file.<name>.enabled: false}. */
    public boolean fileRealmEnabled() throws CliException {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (e.getKey().startsWith(RealmSettings.PREFIX + RealmSettings.FILE + ".") && RealmSettings.ENABLED.matches(e.getKey())
                    && !toolSetting(RealmSettings.ENABLED, e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** {@code xpack.security.fips_mode.enabled} (default false). */
    public boolean fipsMode() throws CliException {
        return toolSetting(FIPS_MODE, FIPS_MODE.key());
    }

    /**
     * The reserved names of {@code xpack.security.authc.reserved_realm.enabled} (default true) and
     * {@code xpack.security.authc.anonymous.username} (default {@code _anonymous}).
     */
    public ReservedUsers reservedUsers() throws CliException {
        return new ReservedUsers(toolSetting(RESERVED_REALM_ENABLED, RESERVED_REALM_ENABLED.key()),
                toolSetting(ANONYMOUS_USERNAME, ANONYMOUS_USERNAME.key()));
    }

    /**
     * Where the node listens, from {@code http.host}/{@code network.host} and {@code http.port}
     * ({@code http://127.0.0.1:9200} by default). svctoken serves plain HTTP for now; an address that
     * listens on every interface is reached through the loopback address.
     */
    public URI defaultUrl() throws CliException {
        Map<String, String> subset = new HashMap<>();
        for (Setting<?> s : List.of(NodeSettings.HTTP_HOST_SETTING, NodeSettings.NETWORK_HOST_SETTING, NodeSettings.HTTP_PORT_SETTING)) {
            String key = s.key();
            if (settings.containsKey(key)) {
                subset.put(key, settings.get(key));
            }
        }
        // TLS decides the scheme: https when the node serves its own or auto-configured certificates.
        settings.forEach((k, v) -> {
            if (k.startsWith(HttpSslSettings.PREFIX) || k.equals(NodeSettings.AUTOCONFIGURATION_ENABLED_SETTING.key())) {
                subset.put(k, v);
            }
        });
        NodeSettings node;
        try {
            node = new NodeSettings(home, configDir, subset);
        } catch (SettingsException e) {
            throw new CliException(ExitCodes.CONFIG, e.getMessage());
        }
        if (node.httpPort() <= 0) {
            throw new IllegalStateException(CliEsMessages.NO_DEFAULT_URL);
        }
        String host = node.httpHost();
        if ("0.0.0.0".equals(host)) {
            host = "127.0.0.1";
        } else if ("::".equals(host) || "0:0:0:0:0:0:0:0".equals(host)) {
            host = "::1";
        }
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create(HttpTls.expectedScheme(node) + "://" + host + ":" + node.httpPort());
    }

    /**
     * A setting only the tools read (or a realm's {@code enabled}, read before the node would check it): a bad value fails
     * with the parser's message, exit 70 (an uncaught exception in Elasticsearch's tool).
     */
    private <T> T toolSetting(Setting<T> setting, String key) throws CliException {
        String value = settings.get(key);
        if (value == null) {
            return setting.get(SettingValues.empty());
        }
        try {
            return setting.parse(key, value);
        } catch (SettingsException e) {
            throw new CliException(ExitCodes.CODE_ERROR, e.getMessage());
        }
    }

    /** One of the node's settings, checked with the node's rules: a bad value fails with the node's message, exit 78. */
    private <T> T nodeSetting(Setting<T> setting) throws CliException {
        String value = settings.get(setting.key());
        if (value == null) {
            return setting.get(SettingValues.empty());
        }
        try {
            return setting.parse(value);
        } catch (SettingsException e) {
            throw new CliException(ExitCodes.CONFIG, e.getMessage());
        }
    }
}
