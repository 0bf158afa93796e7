package io.svctoken.server.settings;

import io.svctoken.core.secret.Secret;
import io.svctoken.server.ServerEsMessages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The operator's {@code xpack.security.http.ssl.*} settings, checked together as Elasticsearch's
 * {@code SSLService} does at start: any such setting requires {@code enabled}; {@code enabled: true}
 * requires either a keystore or a PEM key and certificate. Whether the files can be read (and the
 * passwords are right) is checked when the node starts ({@code io.svctoken.server.tls.HttpTls}).
 *
 * <p>Elasticsearch keeps the passwords as <em>secure settings</em> in its keystore
 * ({@code keystore.secure_password}, {@code secure_key_passphrase}, ...). svctoken has no keystore: it reads
 * the (legacy Elasticsearch) plain names {@code keystore.password}, {@code keystore.key_password} and
 * {@code key_passphrase} from {@code svctoken.yml} or {@code -E}, and names the secure ones in a clear error.
 *
 * @param configured whether any {@code xpack.security.http.ssl.*} setting is present (this turns the
 *                   first-start auto-configuration off, as in Elasticsearch)
 * @param enabled    {@code xpack.security.http.ssl.enabled} (false when not set)
 */
public record HttpSslSettings(boolean configured, boolean enabled, Optional<Path> keystorePath, Optional<String> keystoreType,
                              Optional<Secret> keystorePassword, Optional<Secret> keystoreKeyPassword, Optional<Path> certificate,
                              Optional<Path> key, Optional<Secret> keyPassphrase, List<Path> certificateAuthorities) {

    public static final String PREFIX = "xpack.security.http.ssl.";
    public static final Setting<Boolean> ENABLED = Setting.bool(PREFIX + "enabled", false);
    public static final Setting<String> KEYSTORE_PATH = Setting.of(PREFIX + "keystore.path", Setting::parsePathText, null);
    public static final Setting<Secret> KEYSTORE_PASSWORD = Setting.secure(PREFIX + "keystore.password", (k, v) -> Secret.of(v));
    public static final Setting<Secret> KEYSTORE_KEY_PASSWORD = Setting.secure(PREFIX + "keystore.key_password", (k, v) -> Secret.of(v));
    public static final Setting<String> KEYSTORE_TYPE = Setting.of(PREFIX + "keystore.type", HttpSslSettings::parseKeystoreType, null);
    public static final Setting<String> CERTIFICATE = Setting.of(PREFIX + "certificate", Setting::parsePathText, null);
    public static final Setting<String> KEY = Setting.of(PREFIX + "key", Setting::parsePathText, null);
    public static final Setting<Secret> KEY_PASSPHRASE = Setting.secure(PREFIX + "key_passphrase", (k, v) -> Secret.of(v));
    public static final Setting<String> CERTIFICATE_AUTHORITIES = Setting.of(PREFIX + "certificate_authorities", (k, v) -> {
        for (String p : Setting.parseNonBlank(k, v).split(",")) {
            Setting.parsePath(k, p.trim());
        }
        return v;
    }, null);

    /** Checked together after every setting is parsed, before the realms. */
    static final SettingsRegistry.Group<HttpSslSettings> GROUP = new SettingsRegistry.Group<>("http.ssl", null,
            List.of(ENABLED, KEYSTORE_PATH, KEYSTORE_PASSWORD, KEYSTORE_KEY_PASSWORD, KEYSTORE_TYPE, CERTIFICATE, KEY, KEY_PASSPHRASE,
                    CERTIFICATE_AUTHORITIES),
            c -> of(c.configDir(), c.values()));

    /** Elasticsearch's secure (keystore-only) names under {@code xpack.security.http.ssl.}, and our plain equivalents. */
    private static final Map<String, String> SECURE = Map.of(
            "keystore.secure_password", "keystore.password",
            "keystore.secure_key_password", "keystore.key_password",
            "secure_key_passphrase", "key_passphrase",
            "truststore.secure_password", "truststore.password");

    public HttpSslSettings {
        certificateAuthorities = List.copyOf(certificateAuthorities);
    }

    static boolean isSecureSetting(String key) {
        return key.startsWith(PREFIX) && SECURE.containsKey(key.substring(PREFIX.length()));
    }

    static String secureSettingMessage(String key) {
        String plain = SECURE.get(key.substring(PREFIX.length()));
        String hint = plain.startsWith("truststore") ? "svctoken does not use a truststore for its HTTP server"
                : "set [" + PREFIX + plain + "] in svctoken.yml (readable only by the server's user) or with -E instead";
        return "setting [" + key + "] is a secure setting that Elasticsearch keeps in its keystore; svctoken has no keystore: " + hint;
    }

    static String parseKeystoreType(String key, String value) {
        String t = value.trim().toUpperCase(Locale.ROOT);
        return switch (t) {
            case "PKCS12", "P12", "PFX" -> "PKCS12";
            case "JKS" -> "JKS";
            default -> throw new SettingsException(ServerEsMessages.failedToParseSetting(value, key)
                    + ": the keystore type must be one of [PKCS12, jks]");
        };
    }

    static HttpSslSettings of(Path configDir, SettingValues values) {
        List<String> present = new ArrayList<>();
        for (Setting<?> s : values.given()) {
            if (s.key().startsWith(PREFIX)) {
                present.add(s.key());
            }
        }
        if (present.isEmpty()) {
            return new HttpSslSettings(false, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), List.of());
        }
        String prefix = PREFIX.substring(0, PREFIX.length() - 1);
        if (!values.isSet(ENABLED)) {
            throw new SettingsException("invalid configuration for " + prefix + " - [" + ENABLED + "] is not set,"
                    + " but the following settings have been configured in svctoken.yml or with -E : ["
                    + String.join(",", new TreeSet<>(present)) + "]");
        }
        boolean enabled = values.get(ENABLED);
        Optional<Path> keystore = path(configDir, values.get(KEYSTORE_PATH));
        Optional<Path> certificate = path(configDir, values.get(CERTIFICATE));
        Optional<Path> key = path(configDir, values.get(KEY));
        List<Path> authorities = new ArrayList<>();
        String cas = values.get(CERTIFICATE_AUTHORITIES);
        if (cas != null) {
            for (String p : cas.split(",")) {
                if (!p.isBlank()) {
                    authorities.add(resolve(configDir, p.trim()));
                }
            }
        }
        if (enabled) {
            if (keystore.isPresent() && (certificate.isPresent() || key.isPresent())) {
                throw new SettingsException("invalid SSL configuration for " + prefix + " - cannot specify both [" + KEYSTORE_PATH
                        + "] and [" + (key.isPresent() ? KEY : CERTIFICATE) + "]");
            }
            if (keystore.isEmpty() && (certificate.isEmpty() || key.isEmpty())) {
                throw new SettingsException("invalid SSL configuration for " + prefix + " - server ssl configuration requires a key and"
                        + " certificate, but these have not been configured; you must set either [" + KEYSTORE_PATH
                        + "], or both [" + KEY + "] and [" + CERTIFICATE + "]");
            }
        }
        return new HttpSslSettings(true, enabled, keystore, Optional.ofNullable(values.get(KEYSTORE_TYPE)),
                plain(values.get(KEYSTORE_PASSWORD)), plain(values.get(KEYSTORE_KEY_PASSWORD)), certificate, key,
                plain(values.get(KEY_PASSPHRASE)), authorities);
    }

    private static Optional<Secret> plain(Secret s) {
        return Optional.ofNullable(s);
    }

    /** Never the passwords. */
    @Override
    public String toString() {
        return "HttpSslSettings[configured=" + configured + ", enabled=" + enabled + ", keystorePath=" + keystorePath + ", keystoreType="
                + keystoreType + ", certificate=" + certificate + ", key=" + key + ", certificateAuthorities=" + certificateAuthorities + "]";
    }

    private static Optional<Path> path(Path configDir, String value) {
        return value == null ? Optional.empty() : Optional.of(resolve(configDir, value.trim()));
    }

    /** As Elasticsearch: relative SSL paths are resolved against the config directory. */
    private static Path resolve(Path configDir, String value) {
        Path p = Path.of(value);
        return (p.isAbsolute() ? p : configDir.resolve(p)).toAbsolutePath().normalize();
    }
}
