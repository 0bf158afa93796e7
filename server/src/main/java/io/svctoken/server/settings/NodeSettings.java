package io.svctoken.server.settings;

import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.hash.Hasher;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The node's settings, validated. Names are Elasticsearch's where one exists; svctoken's own start
 * with {@code svctoken.}. An unknown key or a bad value is a {@link SettingsException} naming it.
 */
public final class NodeSettings {

    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_HOST = "http.host";
    public static final String NETWORK_HOST = "network.host";
    public static final String PATH_DATA = "path.data";
    public static final String PATH_LOGS = "path.logs";
    public static final String NODE_NAME = "node.name";
    public static final String CLUSTER_NAME = "cluster.name";
    public static final String TOKEN_HASHING = "xpack.security.authc.service_token_hashing.algorithm";
    public static final String PASSWORD_HASHING = "xpack.security.authc.password_hashing.algorithm";
    public static final String API_KEY_HASHING = "xpack.security.authc.api_key.hashing.algorithm";
    public static final String CACHE_TTL = "xpack.security.authc.service_token.cache.ttl";
    public static final String CACHE_MAX = "xpack.security.authc.service_token.cache.max_tokens";
    public static final String CACHE_HASH = "xpack.security.authc.service_token.cache.hash_algo";
    public static final String API_KEY_CACHE_TTL = "xpack.security.authc.api_key.cache.ttl";
    public static final String API_KEY_CACHE_MAX = "xpack.security.authc.api_key.cache.max_keys";
    public static final String API_KEY_CACHE_HASH = "xpack.security.authc.api_key.cache.hash_algo";
    public static final String SECURITY_ENABLED = "xpack.security.enabled";
    public static final String ENROLLMENT_ENABLED = "xpack.security.enrollment.enabled";
    public static final String HTTP_COMPRESSION = "http.compression";
    public static final String HTTP_MAX_CONTENT_LENGTH = "http.max_content_length";
    public static final String HTTP_MAX_HEADER_SIZE = "http.max_header_size";
    public static final String HTTP_MAX_INITIAL_LINE_LENGTH = "http.max_initial_line_length";
    public static final String HTTP_READ_TIMEOUT = "http.read_timeout";
    public static final String HTTP_MAX_OPEN_CONNECTIONS = "svctoken.http.max_open_connections";
    public static final String HTTP_REQUEST_HEAD_TIMEOUT = "svctoken.http.request_head_timeout";
    public static final String API_KEY_ENABLED = "xpack.security.authc.api_key.enabled";
    public static final String COMPATIBILITY = "svctoken.compatibility.version";
    public static final String WORKER_THREADS = "svctoken.worker.threads";
    public static final String WORKER_QUEUE = "svctoken.worker.queue_size";
    public static final String WORKER_NICE = "svctoken.worker.nice";
    // Failed-authentication budget per credential name and client address (see failureThrottle())
    public static final String FAILURE_THROTTLE_PREFIX = "svctoken.authc.failure_throttle.";
    public static final String FAILURE_THROTTLE_ENABLED = FAILURE_THROTTLE_PREFIX + "enabled";
    public static final String FAILURE_THROTTLE_MAX_FAILURES = FAILURE_THROTTLE_PREFIX + "max_failures";
    public static final String FAILURE_THROTTLE_WINDOW = FAILURE_THROTTLE_PREFIX + "window";
    public static final String FAILURE_THROTTLE_LOCKOUT = FAILURE_THROTTLE_PREFIX + "lockout";
    public static final String FAILURE_THROTTLE_MAX_ENTRIES = FAILURE_THROTTLE_PREFIX + "max_entries";
    // HTTPS (Elasticsearch's names; see HttpSslSettings and README "HTTPS")
    // Nodes sharing one store (see cluster())
    public static final String CLUSTER_HEARTBEAT_INTERVAL = "svctoken.cluster.heartbeat_interval";
    public static final String CLUSTER_NODE_TIMEOUT = "svctoken.cluster.node_timeout";
    public static final String CLUSTER_DEPARTED_AFTER = "svctoken.cluster.departed_after";
    public static final String CLUSTER_ACK_TIMEOUT = "svctoken.cluster.ack_timeout";
    public static final String CLUSTER_POLL_INTERVAL = "svctoken.cluster.poll_interval";
    public static final String CLUSTER_MAX_STALENESS = "svctoken.cluster.max_staleness";
    public static final String AUTOCONFIGURATION_ENABLED = "xpack.security.autoconfiguration.enabled";
    public static final String HTTP_SSL_PREFIX = "xpack.security.http.ssl.";
    public static final String HTTP_SSL_ENABLED = HTTP_SSL_PREFIX + "enabled";
    public static final String HTTP_SSL_KEYSTORE_PATH = HTTP_SSL_PREFIX + "keystore.path";
    public static final String HTTP_SSL_KEYSTORE_PASSWORD = HTTP_SSL_PREFIX + "keystore.password";
    public static final String HTTP_SSL_KEYSTORE_KEY_PASSWORD = HTTP_SSL_PREFIX + "keystore.key_password";
    public static final String HTTP_SSL_KEYSTORE_TYPE = HTTP_SSL_PREFIX + "keystore.type";
    public static final String HTTP_SSL_CERTIFICATE = HTTP_SSL_PREFIX + "certificate";
    public static final String HTTP_SSL_KEY = HTTP_SSL_PREFIX + "key";
    public static final String HTTP_SSL_KEY_PASSPHRASE = HTTP_SSL_PREFIX + "key_passphrase";
    public static final String HTTP_SSL_CERTIFICATE_AUTHORITIES = HTTP_SSL_PREFIX + "certificate_authorities";

    private static final Map<String, BiFunction<String, String, Object>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(HTTP_PORT, (k, v) -> intIn(k, v, 0, 65535));
        KNOWN.put(HTTP_HOST, NodeSettings::host);
        KNOWN.put(NETWORK_HOST, NodeSettings::host);
        KNOWN.put(PATH_DATA, NodeSettings::path);
        KNOWN.put(PATH_LOGS, NodeSettings::path);
        KNOWN.put(NODE_NAME, NodeSettings::nonBlank);
        KNOWN.put(CLUSTER_NAME, NodeSettings::nonBlank);
        KNOWN.put(TOKEN_HASHING, (k, v) -> algorithm(k, v, Hasher.passwordHashingNames()));
        KNOWN.put(PASSWORD_HASHING, (k, v) -> algorithm(k, v, Hasher.passwordHashingNames()));
        KNOWN.put(API_KEY_HASHING, (k, v) -> algorithm(k, v, Hasher.secureTokenHashingNames()));
        KNOWN.put(CACHE_TTL, TimeValues::parse);
        KNOWN.put(CACHE_MAX, (k, v) -> intIn(k, v, 0, Integer.MAX_VALUE));
        KNOWN.put(CACHE_HASH, (k, v) -> algorithm(k, v, Hasher.cacheHashingNames()));
        KNOWN.put(API_KEY_CACHE_TTL, TimeValues::parse);
        KNOWN.put(API_KEY_CACHE_MAX, (k, v) -> intIn(k, v, 0, Integer.MAX_VALUE));
        KNOWN.put(API_KEY_CACHE_HASH, (k, v) -> algorithm(k, v, Hasher.cacheHashingNames()));
        KNOWN.put(SECURITY_ENABLED, (k, v) -> {
            if (!"true".equals(bool(k, v).toString())) {
                throw new SettingsException("[" + k + "] cannot be false: svctoken is the security layer itself");
            }
            return true;
        });
        KNOWN.put(COMPATIBILITY, (k, v) -> {
            try {
                return CompatibilityVersion.parse(v);
            } catch (IllegalArgumentException e) {
                throw new SettingsException("invalid value for [" + k + "]: " + e.getMessage());
            }
        });
        KNOWN.put(WORKER_THREADS, (k, v) -> intIn(k, v, 1, 1024));
        KNOWN.put(WORKER_QUEUE, (k, v) -> intIn(k, v, 1, 1_000_000));
        KNOWN.put(WORKER_NICE, (k, v) -> intIn(k, v, 0, 19));
        KNOWN.put(FAILURE_THROTTLE_ENABLED, NodeSettings::bool);
        KNOWN.put(FAILURE_THROTTLE_MAX_FAILURES, (k, v) -> intIn(k, v, 1, 1_000_000));
        KNOWN.put(FAILURE_THROTTLE_WINDOW, NodeSettings::positiveTime);
        KNOWN.put(FAILURE_THROTTLE_LOCKOUT, NodeSettings::positiveTime);
        KNOWN.put(FAILURE_THROTTLE_MAX_ENTRIES, (k, v) -> intIn(k, v, 1, 10_000_000));
        KNOWN.put(ENROLLMENT_ENABLED, NodeSettings::bool);
        KNOWN.put(CLUSTER_HEARTBEAT_INTERVAL, NodeSettings::positiveTime);
        KNOWN.put(CLUSTER_NODE_TIMEOUT, NodeSettings::positiveTime);
        KNOWN.put(CLUSTER_DEPARTED_AFTER, NodeSettings::positiveTime);
        KNOWN.put(CLUSTER_ACK_TIMEOUT, NodeSettings::positiveTime);
        KNOWN.put(CLUSTER_POLL_INTERVAL, NodeSettings::positiveTime);
        KNOWN.put(CLUSTER_MAX_STALENESS, NodeSettings::positiveTime);
        KNOWN.put(HTTP_COMPRESSION, NodeSettings::bool);
        KNOWN.put(HTTP_MAX_CONTENT_LENGTH, (k, v) -> ByteSizes.parseInt(k, v, 0, Integer.MAX_VALUE));
        KNOWN.put(HTTP_MAX_HEADER_SIZE, (k, v) -> ByteSizes.parseInt(k, v, 1024, Integer.MAX_VALUE));
        KNOWN.put(HTTP_MAX_INITIAL_LINE_LENGTH, (k, v) -> ByteSizes.parseInt(k, v, 256, Integer.MAX_VALUE));
        KNOWN.put(HTTP_READ_TIMEOUT, TimeValues::parse);
        KNOWN.put(HTTP_MAX_OPEN_CONNECTIONS, (k, v) -> intIn(k, v, 1, Integer.MAX_VALUE));
        KNOWN.put(HTTP_REQUEST_HEAD_TIMEOUT, TimeValues::parse);
        // Fleet guides set it to true; svctoken cannot turn API keys off (enrollment is built on them).
        KNOWN.put(API_KEY_ENABLED, (k, v) -> {
            if (!(Boolean) bool(k, v)) {
                throw new SettingsException("svctoken always serves API keys (Kibana enrollment and its tools are built on them):"
                        + " [" + k + "] cannot be false");
            }
            return true;
        });
        KNOWN.put(AUTOCONFIGURATION_ENABLED, NodeSettings::bool);
        KNOWN.put(HTTP_SSL_ENABLED, NodeSettings::bool);
        KNOWN.put(HTTP_SSL_KEYSTORE_PATH, NodeSettings::pathText);
        KNOWN.put(HTTP_SSL_KEYSTORE_PASSWORD, (k, v) -> v);
        KNOWN.put(HTTP_SSL_KEYSTORE_KEY_PASSWORD, (k, v) -> v);
        KNOWN.put(HTTP_SSL_KEYSTORE_TYPE, HttpSslSettings::parseKeystoreType);
        KNOWN.put(HTTP_SSL_CERTIFICATE, NodeSettings::pathText);
        KNOWN.put(HTTP_SSL_KEY, NodeSettings::pathText);
        KNOWN.put(HTTP_SSL_KEY_PASSPHRASE, (k, v) -> v);
        KNOWN.put(HTTP_SSL_CERTIFICATE_AUTHORITIES, (k, v) -> {
            for (String p : ((String) nonBlank(k, v)).split(",")) {
                path(k, p.trim());
            }
            return v;
        });
    }

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Path home;
    private final Path configDir;
    private final HttpSslSettings httpSsl;

    private final Set<String> inapplicable = new TreeSet<>();
    private final Map<String, String> realmRaw = new LinkedHashMap<>();
    private final List<RealmSettings.Realm> realms;
    private final Map<String, String> storeRaw = new LinkedHashMap<>();
    private final StoreSettings store;

    public NodeSettings(Path home, Path configDir, Map<String, String> raw) {
        this.home = home;
        this.configDir = configDir;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            BiFunction<String, String, Object> parser = KNOWN.get(e.getKey());
            if (parser == null && HttpSslSettings.isSecureSetting(e.getKey())) {
                throw new SettingsException(HttpSslSettings.secureSettingMessage(e.getKey()));
            }
            if (parser == null && RealmSettings.isRealmSetting(e.getKey())) {
                realmRaw.put(e.getKey(), e.getValue());
                continue;
            }
            if (parser == null && StoreSettings.isStoreSetting(e.getKey())) {
                storeRaw.put(e.getKey(), e.getValue());
                continue;
            }
            if (parser == null && InapplicableSettings.matches(e.getKey())) {
                inapplicable.add(e.getKey());
                continue;
            }
            if (parser == null) {
                throw new SettingsException(io.svctoken.core.EsMessages.unknownSetting(e.getKey()));
            }
            values.put(e.getKey(), parser.apply(e.getKey(), e.getValue()));
        }
        httpSsl = HttpSslSettings.of(configDir, values);
        realms = RealmSettings.chain(realmRaw);
        store = StoreSettings.of(configDir, storeRaw);
        cluster(); // checks the cluster settings together
    }

    /**
     * {@code svctoken.cluster.*}: a node heartbeats every {@code heartbeat_interval} (1s); one silent for
     * longer than {@code node_timeout} (10s) counts as failed, for longer than {@code departed_after} (1m)
     * it is removed; a write that invalidates caches waits up to {@code ack_timeout} (5s) for every live node
     * to apply it; nodes read the invalidation log at least every {@code poll_interval} (1s). A node that could
     * not read the log for {@code max_staleness} (30s) stops answering store-backed credentials from its caches
     * until it reads it again.
     */
    public ClusterSettings cluster() {
        ClusterSettings d = ClusterSettings.DEFAULT;
        return ClusterSettings.of(
                (Duration) values.getOrDefault(CLUSTER_HEARTBEAT_INTERVAL, d.heartbeatInterval()),
                (Duration) values.getOrDefault(CLUSTER_NODE_TIMEOUT, d.nodeTimeout()),
                (Duration) values.getOrDefault(CLUSTER_DEPARTED_AFTER, d.departedAfter()),
                (Duration) values.getOrDefault(CLUSTER_ACK_TIMEOUT, d.ackTimeout()),
                (Duration) values.getOrDefault(CLUSTER_POLL_INTERVAL, d.pollInterval()),
                (Duration) values.getOrDefault(CLUSTER_MAX_STALENESS, d.maxStaleness()));
    }

    /** The {@code svctoken.store.*} settings: which store, and how to reach PostgreSQL. */
    public StoreSettings store() {
        return store;
    }

    /**
     * The realm chain after the reserved realm ({@code xpack.security.authc.realms.*}; by default the
     * file realm, then the native realm).
     */
    public List<RealmSettings.Realm> realms() {
        return realms;
    }

    /**
     * Elasticsearch settings given that have no effect on svctoken (cluster formation, transport, data
     * tiers, …; see {@link InapplicableSettings}), sorted: accepted so that an Elasticsearch
     * {@code elasticsearch.yml} works as it is, and logged at start.
     */
    public Set<String> inapplicableSettings() {
        return java.util.Collections.unmodifiableSet(inapplicable);
    }

    /**
     * {@code xpack.security.enrollment.enabled}: whether the Kibana enrollment API and enrollment tokens work.
     * Default true: svctoken's first start is Elasticsearch's security auto-configuration, which sets it.
     */
    public boolean enrollmentEnabled() {
        return (Boolean) values.getOrDefault(ENROLLMENT_ENABLED, true);
    }

    /**
     * The HTTP limits: {@code http.max_content_length} (10mb here, Elasticsearch's is 100mb: svctoken's
     * bodies are small, and each connection may buffer one), {@code http.max_header_size} (16kb) and
     * {@code http.max_initial_line_length} (4kb), and {@code http.read_timeout} (0: none, as in
     * Elasticsearch), Elasticsearch's setting names and units; and svctoken's own bounds, which
     * Elasticsearch does not have: {@code svctoken.http.max_open_connections} (1000) and
     * {@code svctoken.http.request_head_timeout} (30s; 0 or -1: none).
     */
    public io.svctoken.server.http.HttpServer.Limits httpLimits() {
        io.svctoken.server.http.HttpServer.Limits d = io.svctoken.server.http.HttpServer.Limits.DEFAULT;
        return new io.svctoken.server.http.HttpServer.Limits(
                (Integer) values.getOrDefault(HTTP_MAX_INITIAL_LINE_LENGTH, d.initialLine()),
                (Integer) values.getOrDefault(HTTP_MAX_HEADER_SIZE, d.headerSize()),
                (Integer) values.getOrDefault(HTTP_MAX_CONTENT_LENGTH, d.content()),
                (java.time.Duration) values.getOrDefault(HTTP_READ_TIMEOUT, d.readTimeout()),
                (Integer) values.getOrDefault(HTTP_MAX_OPEN_CONNECTIONS, d.maxOpenConnections()),
                (java.time.Duration) values.getOrDefault(HTTP_REQUEST_HEAD_TIMEOUT, d.requestHeadTimeout()));
    }

    /** {@code http.compression}: Elasticsearch's default is on for plain HTTP and off with TLS. */
    public boolean httpCompression(boolean tls) {
        return (Boolean) values.getOrDefault(HTTP_COMPRESSION, !tls);
    }

    public static Set<String> knownSettings() {
        return new TreeSet<>(KNOWN.keySet());
    }

    public Path home() {
        return home;
    }

    public Path configDir() {
        return configDir;
    }

    public int httpPort() {
        return (Integer) values.getOrDefault(HTTP_PORT, 9200);
    }

    public String httpHost() {
        return (String) values.getOrDefault(HTTP_HOST, values.getOrDefault(NETWORK_HOST, "127.0.0.1"));
    }

    public Path dataPath() {
        return resolve((Path) values.getOrDefault(PATH_DATA, Path.of("data")));
    }

    /** Null when file logging is not configured. */
    public Path logsPath() {
        Path p = (Path) values.get(PATH_LOGS);
        return p == null ? null : resolve(p);
    }

    private Path resolve(Path p) {
        return p.isAbsolute() ? p : home.resolve(p).normalize();
    }

    public String nodeName() {
        return (String) values.computeIfAbsent(NODE_NAME, k -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "svctoken-node";
            }
        });
    }

    public String clusterName() {
        return (String) values.getOrDefault(CLUSTER_NAME, "elasticsearch");
    }

    public Hasher tokenHasher() {
        return Hasher.resolve((String) values.getOrDefault(TOKEN_HASHING, "pbkdf2_stretch"));
    }

    public Hasher passwordHasher() {
        return Hasher.resolve((String) values.getOrDefault(PASSWORD_HASHING, "bcrypt"));
    }

    /** Hash of new API key secrets; Elasticsearch's newest default, {@code ssha256} (the secrets are random, 128 bits). */
    public Hasher apiKeyHasher() {
        return Hasher.resolve((String) values.getOrDefault(API_KEY_HASHING, "ssha256"));
    }

    /** API key authentication cache: Elasticsearch's defaults, 24 hours, 25000 keys, {@code ssha256}. */
    public Duration apiKeyCacheTtl() {
        return (Duration) values.getOrDefault(API_KEY_CACHE_TTL, Duration.ofHours(24));
    }

    public int apiKeyCacheMaxKeys() {
        return (Integer) values.getOrDefault(API_KEY_CACHE_MAX, 25_000);
    }

    public Hasher apiKeyCacheHasher() {
        return Hasher.resolve((String) values.getOrDefault(API_KEY_CACHE_HASH, "ssha256"));
    }

    public Duration cacheTtl() {
        return (Duration) values.getOrDefault(CACHE_TTL, Duration.ofMinutes(20));
    }

    public int cacheMaxTokens() {
        return (Integer) values.getOrDefault(CACHE_MAX, 100_000);
    }

    public Hasher cacheHasher() {
        return Hasher.resolve((String) values.getOrDefault(CACHE_HASH, "ssha256"));
    }

    public CompatibilityVersion compatibility() {
        return (CompatibilityVersion) values.getOrDefault(COMPATIBILITY, CompatibilityVersion.DEFAULT);
    }

    public int workerThreads() {
        return (Integer) values.getOrDefault(WORKER_THREADS, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Nice value of the worker pool's threads on Linux (0 = the node's own). The default, the lowest
     * priority, lets the event loops preempt hashing at once; hashing still gets every idle cycle.
     */
    public int workerNice() {
        return (Integer) values.getOrDefault(WORKER_NICE, 19);
    }

    public int workerQueueSize() {
        return (Integer) values.getOrDefault(WORKER_QUEUE, 10_000);
    }

    /**
     * {@code svctoken.authc.failure_throttle.*}: after {@code max_failures} (10) failed authentications of one
     * user name, service token or API key id from one client address within {@code window} (1m), that
     * name is refused from that address for {@code lockout} (1m) with a 429, before any hashing;
     * {@code max_entries} (10000) bounds the memory; {@code enabled} (true) is the off switch.
     */
    public io.svctoken.core.authc.FailureThrottle.Settings failureThrottle() {
        io.svctoken.core.authc.FailureThrottle.Settings d = io.svctoken.core.authc.FailureThrottle.Settings.DEFAULT;
        return new io.svctoken.core.authc.FailureThrottle.Settings(
                (Boolean) values.getOrDefault(FAILURE_THROTTLE_ENABLED, d.enabled()),
                (Integer) values.getOrDefault(FAILURE_THROTTLE_MAX_FAILURES, d.maxFailures()),
                (Duration) values.getOrDefault(FAILURE_THROTTLE_WINDOW, d.window()),
                (Duration) values.getOrDefault(FAILURE_THROTTLE_LOCKOUT, d.lockout()),
                (Integer) values.getOrDefault(FAILURE_THROTTLE_MAX_ENTRIES, d.maxEntries()));
    }

    /** The {@code xpack.security.http.ssl.*} settings, validated together (paths resolved against the config dir). */
    public HttpSslSettings httpSsl() {
        return httpSsl;
    }

    /** {@code xpack.security.autoconfiguration.enabled} (default true): whether a first start may generate HTTPS material. */
    public boolean autoConfiguration() {
        return (Boolean) values.getOrDefault(AUTOCONFIGURATION_ENABLED, true);
    }

    /** Whether {@code xpack.security.enabled} is set at all (Elasticsearch then skips the auto-configuration). */
    public boolean securityEnabledIsSet() {
        return values.containsKey(SECURITY_ENABLED);
    }

    // --- parsers

    /** A file system path; one the platform cannot represent (a NUL character, …) names the setting. */
    static Path path(String key, String v) {
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(v, key) + ": " + e.getReason(), e);
        }
    }

    static Object intIn(String key, String v, int min, int max) {
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(v, key) + " must be between " + min + " and " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(v, key), e);
        }
    }

    static Object bool(String key, String v) {
        if ("true".equals(v) || "false".equals(v)) {
            return Boolean.valueOf(v);
        }
        throw new SettingsException(io.svctoken.core.EsMessages.notABooleanSetting(v, key));
    }

    /** A time value longer than zero ({@code 0} and {@code -1}, which mean "off" elsewhere, make no sense here). */
    private static Object positiveTime(String key, String v) {
        Duration d = TimeValues.parse(key, v);
        if (d.isZero() || d.isNegative()) {
            throw new SettingsException(io.svctoken.core.EsMessages.failedToParseSetting(v, key) + " must be longer than 0");
        }
        return d;
    }

    /** A non-blank path kept as text (resolved later against the config directory), checked to be a path. */
    private static Object pathText(String key, String v) {
        path(key, ((String) nonBlank(key, v)).trim());
        return v;
    }

    private static Object nonBlank(String key, String v) {
        if (v.isBlank()) {
            throw new SettingsException("setting [" + key + "] must not be empty");
        }
        return v;
    }

    private static Object host(String key, String v) {
        String h = v.trim();
        switch (h) {
            case "_local_", "localhost":
                return "127.0.0.1";
            case "_site_", "_global_", "0.0.0.0", "0":
                return "0.0.0.0";
            default:
                if (h.isEmpty()) {
                    throw new SettingsException("setting [" + key + "] must not be empty");
                }
                return h;
        }
    }

    static Object algorithm(String key, String v, Set<String> allowed) {
        String name = v.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(name)) {
            throw new SettingsException("Invalid algorithm: " + v + ". Valid values for password hashing are " + new TreeSet<>(allowed)
                    + " (setting [" + key + "])");
        }
        return name;
    }
}
