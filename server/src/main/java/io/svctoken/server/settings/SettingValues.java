package io.svctoken.server.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parsed values of the settings that were given, by declaration; a setting not given reads as its
 * default, computed once (a default may depend on other settings, or on the machine, such as the node name).
 */
public final class SettingValues {

    private static final Object NONE = new Object();

    private final Map<Setting<?>, Object> given;
    private final Map<Setting<?>, Object> defaults = new ConcurrentHashMap<>();

    SettingValues(Map<Setting<?>, Object> given) {
        this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
    }

    /** No setting given: every setting reads as its default. */
    public static SettingValues empty() {
        return new SettingValues(Map.of());
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (given.containsKey(setting)) {
            return (T) given.get(setting);
        }
        Object d = defaults.get(setting);
        if (d == null) {
            // not computeIfAbsent: a default may read another setting's default from this same map
            Object v = setting.defaultValue(this);
            Object earlier = defaults.putIfAbsent(setting, v == null ? NONE : v);
            d = earlier != null ? earlier : v == null ? NONE : v;
        }
        return d == NONE ? null : (T) d;
    }

    /** Whether the setting was given (not just defaulted). */
    public boolean isSet(Setting<?> setting) {
        return given.containsKey(setting);
    }

    /** The settings given, in the order they were given. */
    public Set<Setting<?>> given() {
        return given.keySet();
    }

    /** The keys of the settings given; never a value (some are passwords). */
    @Override
    public String toString() {
        return "SettingValues" + given.keySet();
    }
}
