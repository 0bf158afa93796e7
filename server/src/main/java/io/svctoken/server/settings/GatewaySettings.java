package io.svctoken.server.settings;

import io.svctoken.core.secret.Secret;
import io.svctoken.server.ServerEsMessages;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code svctoken.gateway.*}, checked together. Unset {@code upstream}: the gateway is off and the node
 * serves only its own endpoints. Set: every other request is authenticated here and forwarded to one of the
 * upstreams (round robin), with the configured upstream credentials instead of the caller's, over TLS for
 * {@code https} upstreams (trust: {@code ssl.certificate_authorities} and/or {@code ssl.ca_fingerprint},
 * else the JDK's trust store; {@code ssl.verification_mode} as Elasticsearch's).
 */
public record GatewaySettings(List<URI> upstreams, Duration connectTimeout, Duration responseTimeout,
                              Optional<String> basicUsername, Optional<Secret> basicPassword, Optional<Secret> apiKey,
                              Optional<Path> certificateAuthorities, Optional<byte[]> caFingerprint, VerificationMode verificationMode,
                              Duration catalogRefresh, int maxDecidedBody, Optional<String> identityHeader, Optional<Secret> identitySigningKey,
                              Duration healthCheckInterval, Duration healthCheckTimeout) {

    public static final String PREFIX = "svctoken.gateway.";

    /** Elasticsearch's {@code ssl.verification_mode}: chain and host name, chain only, or nothing. */
    public enum VerificationMode { FULL, CERTIFICATE, NONE }

    public static final Setting<List<URI>> UPSTREAM = Setting.of(PREFIX + "upstream", GatewaySettings::upstreams, null);
    public static final Setting<Duration> CONNECT_TIMEOUT = Setting.positiveTime(PREFIX + "connect_timeout", Duration.ofSeconds(5));
    public static final Setting<Duration> RESPONSE_TIMEOUT = Setting.positiveTime(PREFIX + "response_timeout", Duration.ofSeconds(60));
    public static final Setting<String> BASIC_USERNAME = Setting.of(PREFIX + "upstream_auth.basic.username", Setting::parseNonBlank, null);
    public static final Setting<Secret> BASIC_PASSWORD = Setting.secure(PREFIX + "upstream_auth.basic.password", GatewaySettings::secret);
    public static final Setting<Secret> API_KEY = Setting.secure(PREFIX + "upstream_auth.api_key", GatewaySettings::secret);
    public static final Setting<String> CERTIFICATE_AUTHORITIES = Setting.of(PREFIX + "ssl.certificate_authorities",
            Setting::parsePathText, null);
    public static final Setting<byte[]> CA_FINGERPRINT = Setting.of(PREFIX + "ssl.ca_fingerprint", GatewaySettings::fingerprint, null);
    public static final Setting<VerificationMode> VERIFICATION_MODE = Setting.of(PREFIX + "ssl.verification_mode", (k, v) -> {
        try {
            return VerificationMode.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("unknown verification mode [" + v + "] for setting [" + k + "], expected one of [full, certificate, none]");
        }
    }, VerificationMode.FULL);
    /**
     * How old the upstream's index names may be when a wildcard is resolved against them. A few seconds: an index
     * created past the gateway is visible to wildcards that soon, and the refresh (one small request, made only
     * while requests come) stays rare next to the traffic; a request naming an unknown index refreshes at once.
     */
    public static final Setting<Duration> CATALOG_REFRESH = Setting.positiveTime(PREFIX + "catalog_refresh", Duration.ofSeconds(5));
    /**
     * The largest body the gateway reads whole to decide a request whose names are only in it ({@code _aliases},
     * {@code _reindex}, {@code _mget}); a larger one is refused with 413. These bodies name indices or documents, they
     * do not carry data, so 1mb is ample and bounds the memory one such request holds.
     */
    public static final Setting<Integer> MAX_DECIDED_BODY_SIZE = Setting.byteSize(PREFIX + "max_decided_body_size", 1024 * 1024, 1,
            Integer.MAX_VALUE);

    /**
     * The header that tells the upstream who the caller is (off when unset). A client's header of that name is always
     * removed, so the upstream can trust it as far as it trusts that only the gateway reaches it.
     */
    public static final Setting<String> IDENTITY_HEADER = Setting.of(PREFIX + "identity_header", GatewaySettings::headerName, null);
    /** HMAC-SHA256 key signing the identity header, so that the upstream can check it came from the gateway. */
    public static final Setting<Secret> IDENTITY_SIGNING_KEY = Setting.secure(PREFIX + "identity_header.signing_key", GatewaySettings::signingKey);
    /** An HMAC-SHA256 key of fewer than 32 bytes is weaker than the hash (RFC 2104 recommends at least the output length). */
    static final int MIN_SIGNING_KEY_LENGTH = 32;
    /** Headers the gateway sets, removes or passes for their own meaning: the identity cannot take their name. */
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "es-secondary-authorization",
            "es-security-runas-user", "es-client-authentication", "host", "expect", "connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "content-length", "content-type", "content-encoding", "accept", "accept-encoding",
            "x-opaque-id", "traceparent", "tracestate", "x-elastic-product");

    /**
     * How often each upstream is probed ({@code GET /} with the upstream credentials); {@code 0} turns the probes off
     * (an upstream is then marked down only when a request cannot reach it). A few seconds: a stopped upstream is
     * skipped that soon, for one small request per upstream and interval.
     */
    public static final Setting<Duration> HEALTH_CHECK_INTERVAL = Setting.time(PREFIX + "health_check.interval", Duration.ofSeconds(5));
    /** How long a probe may take, connection included, before the upstream counts as down. */
    public static final Setting<Duration> HEALTH_CHECK_TIMEOUT = Setting.positiveTime(PREFIX + "health_check.timeout", Duration.ofSeconds(2));

    /** The {@code svctoken.gateway.*} namespace, checked after the store. */
    static final SettingsRegistry.Group<GatewaySettings> GROUP = new SettingsRegistry.Group<>("gateway", PREFIX,
            List.of(UPSTREAM, CONNECT_TIMEOUT, RESPONSE_TIMEOUT, BASIC_USERNAME, BASIC_PASSWORD, API_KEY, CERTIFICATE_AUTHORITIES,
                    CA_FINGERPRINT, VERIFICATION_MODE, CATALOG_REFRESH, MAX_DECIDED_BODY_SIZE, IDENTITY_HEADER, IDENTITY_SIGNING_KEY,
                    HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT),
            c -> of(c.configDir(), c.own()));

    /** Whether the upstreams are probed periodically. */
    public boolean healthChecks() {
        return healthCheckInterval.compareTo(Duration.ZERO) > 0;
    }

    /** Whether requests svctoken does not serve are forwarded. */
    public boolean enabled() {
        return !upstreams.isEmpty();
    }

    /** @throws SettingsException for half of the Basic credentials, or both Basic and an API key */
    static GatewaySettings of(Path configDir, SettingValues v) {
        List<URI> ups = v.get(UPSTREAM);
        Optional<String> user = Optional.ofNullable(v.get(BASIC_USERNAME));
        Optional<Secret> password = Optional.ofNullable(v.get(BASIC_PASSWORD));
        Optional<Secret> apiKey = Optional.ofNullable(v.get(API_KEY));
        if (user.isPresent() != password.isPresent()) {
            throw new SettingsException("[" + BASIC_USERNAME + "] and [" + BASIC_PASSWORD + "] must be set together");
        }
        if (user.isPresent() && apiKey.isPresent()) {
            throw new SettingsException("[" + BASIC_USERNAME + "] and [" + API_KEY + "] cannot both be set: the upstream gets one"
                    + " Authorization header");
        }
        if (ups == null && !v.given().isEmpty()) {
            throw new SettingsException("gateway settings " + v.given() + " need [" + UPSTREAM + "]");
        }
        Optional<String> identity = Optional.ofNullable(v.get(IDENTITY_HEADER));
        Optional<Secret> signingKey = Optional.ofNullable(v.get(IDENTITY_SIGNING_KEY));
        if (signingKey.isPresent() && identity.isEmpty()) {
            throw new SettingsException("[" + IDENTITY_SIGNING_KEY + "] needs [" + IDENTITY_HEADER + "]");
        }
        String cas = v.get(CERTIFICATE_AUTHORITIES);
        Optional<Path> caPath = Optional.ofNullable(cas).map(s -> {
            Path p = Path.of(s.trim());
            return (p.isAbsolute() ? p : configDir.resolve(p)).toAbsolutePath().normalize();
        });
        return new GatewaySettings(ups == null ? List.of() : ups, v.get(CONNECT_TIMEOUT), v.get(RESPONSE_TIMEOUT), user, password, apiKey,
                caPath, Optional.ofNullable(v.get(CA_FINGERPRINT)), v.get(VERIFICATION_MODE),
                v.get(CATALOG_REFRESH), v.get(MAX_DECIDED_BODY_SIZE), identity, signingKey, v.get(HEALTH_CHECK_INTERVAL),
                v.get(HEALTH_CHECK_TIMEOUT));
    }

    private static Secret secret(String key, String v) {
        if (v.isEmpty()) {
            throw new SettingsException("setting [" + key + "] must not be empty");
        }
        return Secret.of(v);
    }

    /** An HTTP header name (RFC 9110 token) that is not one the gateway handles itself. */
    private static String headerName(String key, String v) {
        String name = v.trim();
        if (name.isEmpty() || !name.chars().allMatch(c -> c < 127 && c > 32 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0)) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": not an HTTP header name");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED_HEADERS.contains(lower) || lower.startsWith("proxy-")) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": the gateway sets or removes [" + name
                    + "] itself; choose another name");
        }
        return name;
    }

    private static Secret signingKey(String key, String v) {
        if (v.length() < MIN_SIGNING_KEY_LENGTH) {
            throw new SettingsException("setting [" + key + "] must be at least " + MIN_SIGNING_KEY_LENGTH + " characters long");
        }
        return Secret.of(v);
    }

    /** A comma-separated list of {@code http(s)://host[:port]} base URLs (no path, query or user info). */
    private static List<URI> upstreams(String key, String v) {
        List<URI> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            URI u;
            try {
                u = new URI(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            } catch (URISyntaxException e) {
                throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": " + e.getMessage(), e);
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getUserInfo() != null
                    || u.getRawPath() != null && !u.getRawPath().isEmpty() || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key)
                        + ": each upstream is an http:// or https:// URL with a host and an optional port, and nothing else");
            }
            out.add(u);
        }
        if (out.isEmpty()) {
            throw new SettingsException("setting [" + key + "] must not be empty");
        }
        return List.copyOf(out);
    }

    /** A SHA-256 fingerprint in hex, colons allowed (as Elasticsearch prints and accepts them). */
    private static byte[] fingerprint(String key, String v) {
        String hex = v.trim().replace(":", "");
        if (hex.length() != 64) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": a SHA-256 fingerprint is 64 hex digits");
        }
        try {
            return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(ServerEsMessages.failedToParseSetting(v, key) + ": a SHA-256 fingerprint is 64 hex digits", e);
        }
    }

    @Override
    public String toString() {
        return "GatewaySettings[" + upstreams + ", connect " + connectTimeout + ", response " + responseTimeout + "]";
    }
}
