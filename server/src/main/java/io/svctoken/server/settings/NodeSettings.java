package io.svctoken.server.settings;

import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authc.FailureThrottle;
import io.svctoken.core.hash.Hasher;
import io.svctoken.server.http.HttpServer;
import io.svctoken.server.http.PortRange;
import io.svctoken.server.http.Transport;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's settings, validated. Names are Elasticsearch's where one exists; svctoken's own start
 * with {@code svctoken.}. An unknown key or a bad value is a {@link SettingsException} naming it.
 */
public final class NodeSettings {

    /** A port, a range ({@code 9200-9300}) or a list: the first free one is bound. Elasticsearch's default is 9200-9300. */
    public static final Setting<PortRange> HTTP_PORT_SETTING = Setting.of("http.port", PortRange::parse, PortRange.of(9200));
    public static final Setting<String> NETWORK_HOST_SETTING = Setting.of("network.host", NodeSettings::host, "127.0.0.1");
    /** Default: {@code network.host}. */
    public static final Setting<String> HTTP_HOST_SETTING = Setting.computed("http.host", NodeSettings::host,
            v -> v.get(NETWORK_HOST_SETTING));
    public static final Setting<Path> PATH_DATA = Setting.of("path.data", Setting::parsePath, Path.of("data"));
    /** No default: without it there is no file logging. */
    public static final Setting<Path> PATH_LOGS = Setting.of("path.logs", Setting::parsePath, null);
    /** Default: the host name. */
    public static final Setting<String> NODE_NAME = Setting.computed("node.name", Setting::parseNonBlank, v -> {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "svctoken-node";
        }
    });
    public static final Setting<String> CLUSTER_NAME = Setting.of("cluster.name", Setting::parseNonBlank, "elasticsearch");
    public static final Setting<String> TOKEN_HASHING_SETTING = Setting.of("xpack.security.authc.service_token_hashing.algorithm",
            (k, v) -> Setting.parseAlgorithm(k, v, Hasher.passwordHashingNames()), "pbkdf2_stretch");
    public static final Setting<String> PASSWORD_HASHING_SETTING = Setting.of("xpack.security.authc.password_hashing.algorithm",
            (k, v) -> Setting.parseAlgorithm(k, v, Hasher.passwordHashingNames()), "bcrypt");
    /** Hash of new API key secrets; Elasticsearch's newest default, {@code ssha256} (the secrets are random, 128 bits). */
    public static final Setting<String> API_KEY_HASHING_SETTING = Setting.of("xpack.security.authc.api_key.hashing.algorithm",
            (k, v) -> Setting.parseAlgorithm(k, v, Hasher.secureTokenHashingNames()), "ssha256");
    public static final Setting<Duration> CACHE_TTL = Setting.time("xpack.security.authc.service_token.cache.ttl", Duration.ofMinutes(20));
    public static final Setting<Integer> CACHE_MAX = Setting.intIn("xpack.security.authc.service_token.cache.max_tokens", 100_000, 0,
            Integer.MAX_VALUE);
    public static final Setting<String> CACHE_HASH = Setting.of("xpack.security.authc.service_token.cache.hash_algo",
            (k, v) -> Setting.parseAlgorithm(k, v, Hasher.cacheHashingNames()), "ssha256");
    // API key authentication cache: Elasticsearch's defaults, 24 hours, 25000 keys, ssha256
    public static final Setting<Duration> API_KEY_CACHE_TTL = Setting.time("xpack.security.authc.api_key.cache.ttl", Duration.ofHours(24));
    public static final Setting<Integer> API_KEY_CACHE_MAX = Setting.intIn("xpack.security.authc.api_key.cache.max_keys", 25_000, 0,
            Integer.MAX_VALUE);
    public static final Setting<String> API_KEY_CACHE_HASH = Setting.of("xpack.security.authc.api_key.cache.hash_algo",
            (k, v) -> Setting.parseAlgorithm(k, v, Hasher.cacheHashingNames()), "ssha256");
    // User-managed service account cache (Elasticsearch 9.6): 20 minutes (0 disables), 10000 accounts
    public static final Setting<Duration> ACCOUNT_CACHE_TTL = Setting.time("xpack.security.authc.user_managed_service_account.cache.ttl",
            Duration.ofMinutes(20));
    public static final Setting<Integer> ACCOUNT_CACHE_MAX = Setting.intIn(
            "xpack.security.authc.user_managed_service_account.cache.max_accounts", 10_000, 0, Integer.MAX_VALUE);
    /** Only {@code true}: svctoken is the security layer. */
    public static final Setting<Boolean> SECURITY_ENABLED = Setting.of("xpack.security.enabled", (k, v) -> {
        if (!"true".equals(Setting.parseBoolean(k, v).toString())) {
            throw new SettingsException("[" + k + "] cannot be false: svctoken is the security layer itself");
        }
        return true;
    }, true);
    /**
     * Whether the Kibana enrollment API and enrollment tokens work. Default true: svctoken's first start is
     * Elasticsearch's security auto-configuration, which sets it.
     */
    public static final Setting<Boolean> ENROLLMENT_ENABLED_SETTING = Setting.bool("xpack.security.enrollment.enabled", true);
    // Fleet guides set it to true; svctoken cannot turn API keys off (enrollment is built on them).
    public static final Setting<Boolean> API_KEY_ENABLED = Setting.of("xpack.security.authc.api_key.enabled", (k, v) -> {
        if (!Setting.parseBoolean(k, v)) {
            throw new SettingsException("svctoken always serves API keys (Kibana enrollment and its tools are built on them):"
                    + " [" + k + "] cannot be false");
        }
        return true;
    }, true);
    /** Whether a first start may generate HTTPS material. */
    public static final Setting<Boolean> AUTOCONFIGURATION_ENABLED_SETTING = Setting.bool("xpack.security.autoconfiguration.enabled", true);
    public static final Setting<CompatibilityVersion> COMPATIBILITY_SETTING = Setting.of("svctoken.compatibility.version", (k, v) -> {
        try {
            return CompatibilityVersion.parse(v);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("invalid value for [" + k + "]: " + e.getMessage());
        }
    }, CompatibilityVersion.DEFAULT);
    public static final Setting<Integer> WORKER_THREADS = Setting.computed("svctoken.worker.threads",
            (k, v) -> Setting.parseInt(k, v, 1, 1024), v -> Math.max(2, Runtime.getRuntime().availableProcessors()));
    public static final Setting<Integer> WORKER_QUEUE = Setting.intIn("svctoken.worker.queue_size", 10_000, 1, 1_000_000);
    /**
     * Nice value of the worker pool's threads on Linux (0 = the node's own). The default, the lowest
     * priority, lets the event loops preempt hashing at once; hashing still gets every idle cycle.
     */
    public static final Setting<Integer> WORKER_NICE = Setting.intIn("svctoken.worker.nice", 19, 0, 19);

    // Failed-authentication budget per credential name and client address (see failureThrottle())
    private static final FailureThrottle.Settings THROTTLE = FailureThrottle.Settings.DEFAULT;
    public static final Setting<Boolean> FAILURE_THROTTLE_ENABLED = Setting.bool("svctoken.authc.failure_throttle.enabled",
            THROTTLE.enabled());
    public static final Setting<Integer> FAILURE_THROTTLE_MAX_FAILURES = Setting.intIn("svctoken.authc.failure_throttle.max_failures",
            THROTTLE.maxFailures(), 1, 1_000_000);
    public static final Setting<Duration> FAILURE_THROTTLE_WINDOW = Setting.positiveTime("svctoken.authc.failure_throttle.window",
            THROTTLE.window());
    public static final Setting<Duration> FAILURE_THROTTLE_LOCKOUT = Setting.positiveTime("svctoken.authc.failure_throttle.lockout",
            THROTTLE.lockout());
    public static final Setting<Integer> FAILURE_THROTTLE_MAX_ENTRIES = Setting.intIn("svctoken.authc.failure_throttle.max_entries",
            THROTTLE.maxEntries(), 1, 10_000_000);

    // The HTTP limits (see httpLimits())
    private static final HttpServer.Limits LIMITS = HttpServer.Limits.DEFAULT;
    /** Elasticsearch's default is on for plain HTTP and off with TLS: no default here, see {@link #httpCompression}. */
    public static final Setting<Boolean> HTTP_COMPRESSION = Setting.bool("http.compression", null);
    public static final Setting<Integer> HTTP_MAX_CONTENT_LENGTH = Setting.byteSize("http.max_content_length", LIMITS.content(), 0,
            Integer.MAX_VALUE);
    public static final Setting<Integer> HTTP_MAX_HEADER_SIZE = Setting.byteSize("http.max_header_size", LIMITS.headerSize(), 1024,
            Integer.MAX_VALUE);
    public static final Setting<Integer> HTTP_MAX_INITIAL_LINE_LENGTH = Setting.byteSize("http.max_initial_line_length",
            LIMITS.initialLine(), 256, Integer.MAX_VALUE);
    public static final Setting<Duration> HTTP_READ_TIMEOUT = Setting.time("http.read_timeout", LIMITS.readTimeout());
    public static final Setting<Integer> HTTP_MAX_OPEN_CONNECTIONS_SETTING = Setting.intIn("svctoken.http.max_open_connections",
            LIMITS.maxOpenConnections(), 1, Integer.MAX_VALUE);
    /** The event loops' socket transport: {@code auto} (Linux's epoll where Netty's native library loads, else NIO), {@code epoll}, {@code nio}. */
    public static final Setting<Transport> HTTP_TRANSPORT = Setting.computed("svctoken.http.transport", (k, v) -> {
        try {
            return Transport.choose(v);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SettingsException("invalid value for [" + k + "]: " + e.getMessage());
        }
    }, v -> Transport.choose("auto"));
    public static final Setting<Duration> HTTP_REQUEST_HEAD_TIMEOUT_SETTING = Setting.time("svctoken.http.request_head_timeout",
            LIMITS.requestHeadTimeout());

    // The keys that other code names in its messages
    public static final String HTTP_PORT = HTTP_PORT_SETTING.key();
    public static final String HTTP_HOST = HTTP_HOST_SETTING.key();
    public static final String NETWORK_HOST = NETWORK_HOST_SETTING.key();
    public static final String TOKEN_HASHING = TOKEN_HASHING_SETTING.key();
    public static final String PASSWORD_HASHING = PASSWORD_HASHING_SETTING.key();
    public static final String API_KEY_HASHING = API_KEY_HASHING_SETTING.key();
    public static final String ENROLLMENT_ENABLED = ENROLLMENT_ENABLED_SETTING.key();
    public static final String COMPATIBILITY = COMPATIBILITY_SETTING.key();
    public static final String AUTOCONFIGURATION_ENABLED = AUTOCONFIGURATION_ENABLED_SETTING.key();
    public static final String HTTP_MAX_OPEN_CONNECTIONS = HTTP_MAX_OPEN_CONNECTIONS_SETTING.key();
    public static final String HTTP_REQUEST_HEAD_TIMEOUT = HTTP_REQUEST_HEAD_TIMEOUT_SETTING.key();
    public static final String HTTP_SSL_PREFIX = HttpSslSettings.PREFIX;
    public static final String HTTP_SSL_CERTIFICATE = HttpSslSettings.CERTIFICATE.key();
    public static final String HTTP_SSL_KEY = HttpSslSettings.KEY.key();
    public static final String HTTP_SSL_KEYSTORE_PASSWORD = HttpSslSettings.KEYSTORE_PASSWORD.key();
    public static final String HTTP_SSL_KEYSTORE_KEY_PASSWORD = HttpSslSettings.KEYSTORE_KEY_PASSWORD.key();
    public static final String HTTP_SSL_KEY_PASSPHRASE = HttpSslSettings.KEY_PASSPHRASE.key();
    public static final String HTTP_SSL_CERTIFICATE_AUTHORITIES = HttpSslSettings.CERTIFICATE_AUTHORITIES.key();

    /** The node's general settings, parsed one by one. */
    private static final SettingsRegistry.Group<Void> GROUP = new SettingsRegistry.Group<>("node", null, List.of(
            HTTP_PORT_SETTING, HTTP_HOST_SETTING, NETWORK_HOST_SETTING, PATH_DATA, PATH_LOGS, NODE_NAME, CLUSTER_NAME,
            TOKEN_HASHING_SETTING, PASSWORD_HASHING_SETTING, API_KEY_HASHING_SETTING, CACHE_TTL, CACHE_MAX, CACHE_HASH,
            API_KEY_CACHE_TTL, API_KEY_CACHE_MAX, API_KEY_CACHE_HASH, SECURITY_ENABLED, COMPATIBILITY_SETTING,
            WORKER_THREADS, WORKER_QUEUE, WORKER_NICE, FAILURE_THROTTLE_ENABLED, FAILURE_THROTTLE_MAX_FAILURES,
            FAILURE_THROTTLE_WINDOW, FAILURE_THROTTLE_LOCKOUT, FAILURE_THROTTLE_MAX_ENTRIES, ENROLLMENT_ENABLED_SETTING,
            HTTP_COMPRESSION, HTTP_MAX_CONTENT_LENGTH, HTTP_MAX_HEADER_SIZE, HTTP_MAX_INITIAL_LINE_LENGTH, HTTP_READ_TIMEOUT,
            HTTP_MAX_OPEN_CONNECTIONS_SETTING, HTTP_REQUEST_HEAD_TIMEOUT_SETTING, HTTP_TRANSPORT, API_KEY_ENABLED, AUTOCONFIGURATION_ENABLED_SETTING,
            ACCOUNT_CACHE_TTL, ACCOUNT_CACHE_MAX),
            c -> null);

    /**
     * Every setting of a node: the general ones, then, checked in this order after all are parsed, the HTTPS
     * settings, the realms, the store and the cluster timing. Elasticsearch's keystore-only HTTPS names get
     * their own message; the Elasticsearch settings that do not apply here are accepted and ignored.
     */
    public static final SettingsRegistry REGISTRY = new SettingsRegistry(
            List.of(GROUP, HttpSslSettings.GROUP, RealmSettings.GROUP, StoreSettings.GROUP, ClusterSettings.GROUP, GatewaySettings.GROUP,
                    TokenLifecycleSettings.GROUP, OAuth2TokenSettings.GROUP, AuditSettings.GROUP, AuditSettings.FILTERS_GROUP,
                    LoggingSettings.GROUP, ConsoleSettings.GROUP),
            k -> HttpSslSettings.isSecureSetting(k) ? HttpSslSettings.secureSettingMessage(k) : null, InapplicableSettings::matches);

    private final SettingValues values;
    private final Path home;
    private final Path configDir;
    private final HttpSslSettings httpSsl;
    private final Set<String> inapplicable;
    private final List<RealmSettings.Realm> realms;
    private final StoreSettings store;
    private final ClusterSettings cluster;
    private final GatewaySettings gateway;
    private final TokenLifecycleSettings tokenLifecycle;
    private final ConsoleSettings console;
    private final OAuth2TokenSettings oauth2Tokens;
    private final AuditSettings audit;
    private final Map<String, String> loggerLevels;

    public NodeSettings(Path home, Path configDir, Map<String, String> raw) {
        this.home = home;
        this.configDir = configDir;
        SettingsRegistry.Validated v = REGISTRY.validate(configDir, raw);
        values = v.values();
        inapplicable = v.ignored();
        httpSsl = v.get(HttpSslSettings.GROUP);
        realms = v.get(RealmSettings.GROUP);
        store = v.get(StoreSettings.GROUP);
        cluster = v.get(ClusterSettings.GROUP);
        gateway = v.get(GatewaySettings.GROUP);
        tokenLifecycle = v.get(TokenLifecycleSettings.GROUP);
        console = v.get(ConsoleSettings.GROUP);
        oauth2Tokens = v.get(OAuth2TokenSettings.GROUP);
        audit = v.get(AuditSettings.FILTERS_GROUP);
        loggerLevels = v.get(LoggingSettings.GROUP);
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
        return cluster;
    }

    /** {@code svctoken.service_token.*}: the token lifecycle (last-use writes, maximum lifetime). */
    public TokenLifecycleSettings tokenLifecycle() {
        return tokenLifecycle;
    }

    /** {@code svctoken.console.*}: the management console and its sessions. */
    public ConsoleSettings console() {
        return console;
    }

    /** {@code xpack.security.authc.token.*}: the OAuth2 token service. */
    public OAuth2TokenSettings oauth2Tokens() {
        return oauth2Tokens;
    }

    /** {@code xpack.security.audit.*}: whether and what the audit trail writes. */
    public AuditSettings audit() {
        return audit;
    }

    /** {@code logger.level} and {@code logger.<name>}: logger name ({@link LoggingSettings#ROOT} for the root) to Logback level name. */
    public Map<String, String> loggerLevels() {
        return loggerLevels;
    }

    /** {@code svctoken.gateway.*}: whether and where requests svctoken does not serve are forwarded. */
    public GatewaySettings gateway() {
        return gateway;
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
        return inapplicable;
    }

    /**
     * {@code xpack.security.enrollment.enabled}: whether the Kibana enrollment API and enrollment tokens work.
     * Default true: svctoken's first start is Elasticsearch's security auto-configuration, which sets it.
     */
    public boolean enrollmentEnabled() {
        return values.get(ENROLLMENT_ENABLED_SETTING);
    }

    /**
     * The HTTP limits: {@code http.max_content_length} (10mb here, Elasticsearch's is 100mb: svctoken's
     * bodies are small, and each connection may buffer one), {@code http.max_header_size} (16kb) and
     * {@code http.max_initial_line_length} (4kb), and {@code http.read_timeout} (0: none, as in
     * Elasticsearch), Elasticsearch's setting names and units; and svctoken's own bounds, which
     * Elasticsearch does not have: {@code svctoken.http.max_open_connections} (1000) and
     * {@code svctoken.http.request_head_timeout} (30s; 0 or -1: none).
     */
    public HttpServer.Limits httpLimits() {
        return new HttpServer.Limits(values.get(HTTP_MAX_INITIAL_LINE_LENGTH), values.get(HTTP_MAX_HEADER_SIZE),
                values.get(HTTP_MAX_CONTENT_LENGTH), values.get(HTTP_READ_TIMEOUT), values.get(HTTP_MAX_OPEN_CONNECTIONS_SETTING),
                values.get(HTTP_REQUEST_HEAD_TIMEOUT_SETTING));
    }

    public Transport httpTransport() {
        return values.get(HTTP_TRANSPORT);
    }

    /** {@code http.compression}: Elasticsearch's default is on for plain HTTP and off with TLS. */
    public boolean httpCompression(boolean tls) {
        return values.isSet(HTTP_COMPRESSION) ? values.get(HTTP_COMPRESSION) : !tls;
    }

    public static Set<String> knownSettings() {
        return REGISTRY.plainKeys();
    }

    public Path home() {
        return home;
    }

    public Path configDir() {
        return configDir;
    }

    /** The first port of {@code http.port}: the one the tools connect to. */
    public int httpPort() {
        return values.get(HTTP_PORT_SETTING).first();
    }

    public PortRange httpPorts() {
        return values.get(HTTP_PORT_SETTING);
    }

    public String httpHost() {
        return values.get(HTTP_HOST_SETTING);
    }

    public Path dataPath() {
        return resolve(values.get(PATH_DATA));
    }

    /** Null when file logging is not configured. */
    public Path logsPath() {
        Path p = values.get(PATH_LOGS);
        return p == null ? null : resolve(p);
    }

    /** Where the audit log is written: {@code path.logs}, else Elasticsearch's default {@code <home>/logs}. */
    public Path auditLogsPath() {
        Path p = logsPath();
        return p != null ? p : home.resolve("logs").normalize();
    }

    private Path resolve(Path p) {
        return p.isAbsolute() ? p : home.resolve(p).normalize();
    }

    public String nodeName() {
        return values.get(NODE_NAME);
    }

    public String clusterName() {
        return values.get(CLUSTER_NAME);
    }

    public Hasher tokenHasher() {
        return Hasher.resolve(values.get(TOKEN_HASHING_SETTING));
    }

    public Hasher passwordHasher() {
        return Hasher.resolve(values.get(PASSWORD_HASHING_SETTING));
    }

    /** Hash of new API key secrets; Elasticsearch's newest default, {@code ssha256} (the secrets are random, 128 bits). */
    public Hasher apiKeyHasher() {
        return Hasher.resolve(values.get(API_KEY_HASHING_SETTING));
    }

    /** API key authentication cache: Elasticsearch's defaults, 24 hours, 25000 keys, {@code ssha256}. */
    public Duration apiKeyCacheTtl() {
        return values.get(API_KEY_CACHE_TTL);
    }

    public int apiKeyCacheMaxKeys() {
        return values.get(API_KEY_CACHE_MAX);
    }

    public Hasher apiKeyCacheHasher() {
        return Hasher.resolve(values.get(API_KEY_CACHE_HASH));
    }

    public Duration cacheTtl() {
        return values.get(CACHE_TTL);
    }

    public int cacheMaxTokens() {
        return values.get(CACHE_MAX);
    }

    public Hasher cacheHasher() {
        return Hasher.resolve(values.get(CACHE_HASH));
    }

    /** The user-managed service account cache: 20 minutes (zero: none), 10000 accounts. */
    public Duration accountCacheTtl() {
        return values.get(ACCOUNT_CACHE_TTL);
    }

    public int accountCacheMaxAccounts() {
        return values.get(ACCOUNT_CACHE_MAX);
    }

    public CompatibilityVersion compatibility() {
        return values.get(COMPATIBILITY_SETTING);
    }

    public int workerThreads() {
        return values.get(WORKER_THREADS);
    }

    /**
     * Nice value of the worker pool's threads on Linux (0 = the node's own). The default, the lowest
     * priority, lets the event loops preempt hashing at once; hashing still gets every idle cycle.
     */
    public int workerNice() {
        return values.get(WORKER_NICE);
    }

    public int workerQueueSize() {
        return values.get(WORKER_QUEUE);
    }

    /**
     * {@code svctoken.authc.failure_throttle.*}: after {@code max_failures} (10) failed authentications of one
     * user name, service token or API key id from one client address within {@code window} (1m), that
     * name is refused from that address for {@code lockout} (1m) with a 429, before any hashing;
     * {@code max_entries} (10000) bounds the memory; {@code enabled} (true) is the off switch.
     */
    public FailureThrottle.Settings failureThrottle() {
        return new FailureThrottle.Settings(values.get(FAILURE_THROTTLE_ENABLED), values.get(FAILURE_THROTTLE_MAX_FAILURES),
                values.get(FAILURE_THROTTLE_WINDOW), values.get(FAILURE_THROTTLE_LOCKOUT), values.get(FAILURE_THROTTLE_MAX_ENTRIES));
    }

    /** The {@code xpack.security.http.ssl.*} settings, validated together (paths resolved against the config dir). */
    public HttpSslSettings httpSsl() {
        return httpSsl;
    }

    /** {@code xpack.security.autoconfiguration.enabled} (default true): whether a first start may generate HTTPS material. */
    public boolean autoConfiguration() {
        return values.get(AUTOCONFIGURATION_ENABLED_SETTING);
    }

    /** Whether {@code xpack.security.enabled} is set at all (Elasticsearch then skips the auto-configuration). */
    public boolean securityEnabledIsSet() {
        return values.isSet(SECURITY_ENABLED);
    }

    // --- parsers

    private static String host(String key, String v) {
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
}
