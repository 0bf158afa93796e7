package io.svctoken.server.settings;

import java.time.Duration;
import java.util.List;

/**
 * {@code svctoken.service_token.*}, svctoken's own (Elasticsearch's tokens have no lifecycle): a token's last use is
 * recorded ({@code last_used.enabled}, true) and written at most once per {@code last_used.interval} (5m) per token;
 * {@code max_lifetime} (none by default) caps the lifetime of tokens created through svctoken's endpoints
 * (Elasticsearch's create endpoint keeps making tokens that never expire).
 *
 * @param lastUsedEnabled false: uses are not noted at all (nothing on the request path, nothing written)
 * @param maxLifetime     null: no cap
 */
public record TokenLifecycleSettings(boolean lastUsedEnabled, Duration lastUsedInterval, Duration maxLifetime) {

    public static final TokenLifecycleSettings DEFAULT = new TokenLifecycleSettings(true, Duration.ofMinutes(5), null);

    public static final Setting<Boolean> LAST_USED_ENABLED =
            Setting.bool("svctoken.service_token.last_used.enabled", DEFAULT.lastUsedEnabled());
    public static final Setting<Duration> LAST_USED_INTERVAL =
            Setting.positiveTime("svctoken.service_token.last_used.interval", DEFAULT.lastUsedInterval());
    public static final Setting<Duration> MAX_LIFETIME = Setting.of("svctoken.service_token.max_lifetime", Setting::parsePositiveTime, null);

    static final SettingsRegistry.Group<TokenLifecycleSettings> GROUP = new SettingsRegistry.Group<>("service_token", null,
            List.of(LAST_USED_ENABLED, LAST_USED_INTERVAL, MAX_LIFETIME), c -> new TokenLifecycleSettings(c.values().get(LAST_USED_ENABLED),
            c.values().get(LAST_USED_INTERVAL), c.values().get(MAX_LIFETIME)));
}
