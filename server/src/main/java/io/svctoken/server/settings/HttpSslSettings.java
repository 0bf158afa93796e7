package io.svctoken.server.settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_CERTIFICATE;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_CERTIFICATE_AUTHORITIES;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_ENABLED;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_KEY;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_KEYSTORE_KEY_PASSWORD;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_KEYSTORE_PASSWORD;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_KEYSTORE_PATH;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_KEYSTORE_TYPE;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_KEY_PASSPHRASE;
import static io.svctoken.server.settings.NodeSettings.HTTP_SSL_PREFIX;

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
                              Optional<String> keystorePassword, Optional<String> keystoreKeyPassword, Optional<Path> certificate,
                              Optional<Path> key, Optional<String> keyPassphrase, List<Path> certificateAuthorities) {

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
        return key.startsWith(HTTP_SSL_PREFIX) && SECURE.containsKey(key.substring(HTTP_SSL_PREFIX.length()));
    }

    static String secureSettingMessage(String key) {
        String plain = SECURE.get(key.substring(HTTP_SSL_PREFIX.length()));
        String hint = plain.startsWith("truststore") ? "svctoken does not use a truststore for its HTTP server"
                : "set [" + HTTP_SSL_PREFIX + plain + "] in svctoken.yml (readable only by the server's user) or with -E instead";
        return "setting [" + key + "] is a secure setting that Elasticsearch keeps in its keystore; svctoken has no keystore: " + hint;
    }

    static Object parseKeystoreType(String key, String value) {
        String t = value.trim().toUpperCase(Locale.ROOT);
        return switch (t) {
            case "PKCS12", "P12", "PFX" -> "PKCS12";
            case "JKS" -> "JKS";
            default -> throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(value, key)
                    + ": the keystore type must be one of [PKCS12, jks]");
        };
    }

    static HttpSslSettings of(Path configDir, Map<String, Object> values) {
        List<String> present = new ArrayList<>();
        for (String k : values.keySet()) {
            if (k.startsWith(HTTP_SSL_PREFIX)) {
                present.add(k);
            }
        }
        if (present.isEmpty()) {
            return new HttpSslSettings(false, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), List.of());
        }
        String prefix = HTTP_SSL_PREFIX.substring(0, HTTP_SSL_PREFIX.length() - 1);
        if (!values.containsKey(HTTP_SSL_ENABLED)) {
            throw new SettingsException("invalid configuration for " + prefix + " - [" + HTTP_SSL_ENABLED + "] is not set,"
                    + " but the following settings have been configured in svctoken.yml or with -E : ["
                    + String.join(",", new TreeSet<>(present)) + "]");
        }
        boolean enabled = (Boolean) values.get(HTTP_SSL_ENABLED);
        Optional<Path> keystore = path(configDir, values.get(HTTP_SSL_KEYSTORE_PATH));
        Optional<Path> certificate = path(configDir, values.get(HTTP_SSL_CERTIFICATE));
        Optional<Path> key = path(configDir, values.get(HTTP_SSL_KEY));
        List<Path> authorities = new ArrayList<>();
        Object cas = values.get(HTTP_SSL_CERTIFICATE_AUTHORITIES);
        if (cas != null) {
            for (String p : ((String) cas).split(",")) {
                if (!p.isBlank()) {
                    authorities.add(resolve(configDir, p.trim()));
                }
            }
        }
        if (enabled) {
            if (keystore.isPresent() && (certificate.isPresent() || key.isPresent())) {
                throw new SettingsException("invalid SSL configuration for " + prefix + " - cannot specify both [" + HTTP_SSL_KEYSTORE_PATH
                        + "] and [" + (key.isPresent() ? HTTP_SSL_KEY : HTTP_SSL_CERTIFICATE) + "]");
            }
            if (keystore.isEmpty() && (certificate.isEmpty() || key.isEmpty())) {
                throw new SettingsException("invalid SSL configuration for " + prefix + " - server ssl configuration requires a key and"
                        + " certificate, but these have not been configured; you must set either [" + HTTP_SSL_KEYSTORE_PATH
                        + "], or both [" + HTTP_SSL_KEY + "] and [" + HTTP_SSL_CERTIFICATE + "]");
            }
        }
        return new HttpSslSettings(true, enabled, keystore, Optional.ofNullable((String) values.get(HTTP_SSL_KEYSTORE_TYPE)),
                Optional.ofNullable((String) values.get(HTTP_SSL_KEYSTORE_PASSWORD)),
                Optional.ofNullable((String) values.get(HTTP_SSL_KEYSTORE_KEY_PASSWORD)), certificate, key,
                Optional.ofNullable((String) values.get(HTTP_SSL_KEY_PASSPHRASE)), authorities);
    }

    private static Optional<Path> path(Path configDir, Object value) {
        return value == null ? Optional.empty() : Optional.of(resolve(configDir, ((String) value).trim()));
    }

    /** As Elasticsearch: relative SSL paths are resolved against the config directory. */
    private static Path resolve(Path configDir, String value) {
        Path p = Path.of(value);
        return (p.isAbsolute() ? p : configDir.resolve(p)).toAbsolutePath().normalize();
    }
}
