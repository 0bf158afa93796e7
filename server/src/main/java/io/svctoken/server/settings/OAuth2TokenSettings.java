package io.svctoken.server.settings;

import io.svctoken.core.oauth2.OAuth2TokenService;

import java.time.Duration;
import java.util.List;

/**
 * {@code xpack.security.authc.token.*}, Elasticsearch's token service: whether {@code /_security/oauth2/token} and Bearer
 * access tokens work ({@code enabled}, by default only when the node serves HTTPS, as in Elasticsearch: a token is a
 * bearer credential), how long an access token lives ({@code timeout}, 20m, from 1s to 1h) and how often tokens made
 * more than 24 hours ago are deleted ({@code delete.interval}, 30m).
 *
 * @param enabled null: not set, follow whether the node serves HTTPS (configured or auto-configured)
 */
public record OAuth2TokenSettings(Boolean enabled, Duration timeout, Duration deleteInterval) {

    public static final Setting<Boolean> ENABLED = Setting.bool("xpack.security.authc.token.enabled", null);
    public static final Setting<Duration> TIMEOUT = Setting.of("xpack.security.authc.token.timeout", OAuth2TokenSettings::parseTimeout,
            OAuth2TokenService.DEFAULT_LIFETIME);

    public static final Setting<Duration> DELETE_INTERVAL = Setting.positiveTime("xpack.security.authc.token.delete.interval",
            Duration.ofMinutes(30));

    static final SettingsRegistry.Group<OAuth2TokenSettings> GROUP = new SettingsRegistry.Group<>("token", null,
            List.of(ENABLED, TIMEOUT, DELETE_INTERVAL),
            c -> new OAuth2TokenSettings(c.values().get(ENABLED), c.values().get(TIMEOUT), c.values().get(DELETE_INTERVAL)));

    /** Whether the token service runs on a node that serves HTTPS or not. */
    public boolean enabled(boolean https) {
        return enabled == null ? https : enabled;
    }

    /** Elasticsearch's bounded time setting and its messages. */
    static Duration parseTimeout(String key, String value) {
        Duration d = TimeValues.parse(key, value);
        if (d.compareTo(OAuth2TokenService.MIN_LIFETIME) < 0) {
            throw new SettingsException("failed to parse value [" + value + "] for setting [" + key + "], must be >= [1s]");
        }
        if (d.compareTo(OAuth2TokenService.MAX_LIFETIME) > 0) {
            throw new SettingsException("failed to parse value [" + value + "] for setting [" + key + "], must be <= [1h]");
        }
        return d;
    }
}
