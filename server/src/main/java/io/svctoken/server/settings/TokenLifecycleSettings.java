package io.svctoken.server.settings;

import java.time.Duration;
import java.util.List;

/**
 * {@code svctoken.service_token.*}, svctoken's own (Elasticsearch's tokens have no lifecycle): a token's last use is
 * written at most once per {@code last_used.interval} (5m) per token; {@code max_lifetime} (none by default) caps the
 * lifetime of tokens created through svctoken's endpoints (Elasticsearch's create endpoint keeps making tokens that
 * never expire).
 *
 * @param maxLifetime null: no cap
 */
public record TokenLifecycleSettings(Duration lastUsedInterval, Duration maxLifetime) {

    public static final TokenLifecycleSettings DEFAULT = new TokenLifecycleSettings(Duration.ofMinutes(5), null);

    public static final Setting<Duration> LAST_USED_INTERVAL =
            Setting.positiveTime("svctoken.service_token.last_used.interval", DEFAULT.lastUsedInterval());
    public static final Setting<Duration> MAX_LIFETIME = Setting.of("svctoken.service_token.max_lifetime", Setting::parsePositiveTime, null);

    static final SettingsRegistry.Group<TokenLifecycleSettings> GROUP = new SettingsRegistry.Group<>("service_token", null,
            List.of(LAST_USED_INTERVAL, MAX_LIFETIME), c -> new TokenLifecycleSettings(c.values().get(LAST_USED_INTERVAL),
            c.values().get(MAX_LIFETIME)));
}
