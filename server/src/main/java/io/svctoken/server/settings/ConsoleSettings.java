package io.svctoken.server.settings;

import java.time.Duration;
import java.util.List;

/**
 * {@code svctoken.console.*}, svctoken's own: the management console is served ({@code enabled}, true); a console session
 * ends after {@code session.idle_timeout} (30m) without a request, and {@code session.max_lifetime} (12h) after its sign-in
 * in any case.
 *
 * @param enabled false: every console path (pages, sessions) answers as an unknown path, and no cookie is read
 */
public record ConsoleSettings(boolean enabled, Duration idleTimeout, Duration maxLifetime) {

    public static final ConsoleSettings DEFAULT = new ConsoleSettings(true, Duration.ofMinutes(30), Duration.ofHours(12));

    public static final Setting<Boolean> ENABLED = Setting.bool("svctoken.console.enabled", DEFAULT.enabled());
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.positiveTime("svctoken.console.session.idle_timeout", DEFAULT.idleTimeout());
    public static final Setting<Duration> MAX_LIFETIME = Setting.positiveTime("svctoken.console.session.max_lifetime", DEFAULT.maxLifetime());

    static final SettingsRegistry.Group<ConsoleSettings> GROUP = new SettingsRegistry.Group<>("console", null,
            List.of(ENABLED, IDLE_TIMEOUT, MAX_LIFETIME), c -> new ConsoleSettings(c.values().get(ENABLED), c.values().get(IDLE_TIMEOUT),
            c.values().get(MAX_LIFETIME)));

    /** Whether the node serves the console (every console endpoint's registration asks this). */
    public static boolean enabled(NodeSettings settings) {
        return settings.console().enabled();
    }
}
