package io.svctoken.server.settings;

import io.svctoken.server.ServerEsMessages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every declared setting of a node, and the validation of a whole settings map with Elasticsearch's
 * messages. Settings come in {@link Group groups}, each declared by the class that reads them together.
 *
 * <p>Order, as the node has always checked: each given key in turn, a plain setting parsed at once, a key
 * under a group's namespace kept for later, an accepted-and-ignored key noted, any other key unknown;
 * then group by group, in declaration order, the namespace's keys parsed and the group's cross-setting
 * checks run (the first problem stops the start).
 */
public final class SettingsRegistry {

    /**
     * Settings read and checked together, and what they make.
     *
     * @param namespace null for settings parsed one by one; else a key prefix whose keys are handed to the group
     *                  (parsed here against {@code settings}, unless it declares affix settings, which it then parses itself)
     */
    public record Group<R>(String name, String namespace, List<Setting<?>> settings, Function<Context, R> build) {
        public Group {
            settings = List.copyOf(settings);
        }

        boolean parsesItself() {
            return settings.stream().anyMatch(Setting::isAffix);
        }
    }

    /**
     * What a group's check sees: the plain settings parsed so far, its own namespace's settings (parsed, and
     * as given), and the config directory that relative paths are resolved against.
     */
    public record Context(Path configDir, SettingValues values, SettingValues own, Map<String, String> raw) {
    }

    /** The result of a validation: the parsed values, what each group made, and the keys accepted and ignored. */
    public static final class Validated {
        private final SettingValues values;
        private final Map<Group<?>, Object> built = new IdentityHashMap<>();
        private final Set<String> ignored;

        private Validated(SettingValues values, Set<String> ignored) {
            this.values = values;
            this.ignored = Collections.unmodifiableSet(ignored);
        }

        public SettingValues values() {
            return values;
        }

        @SuppressWarnings("unchecked")
        public <R> R get(Group<R> group) {
            return (R) built.get(group);
        }

        /** Keys given that are accepted and have no effect, sorted. */
        public Set<String> ignored() {
            return ignored;
        }
    }

    private final List<Group<?>> groups;
    private final Map<String, Setting<?>> plain = new LinkedHashMap<>();
    private final Function<String, String> refusal;
    private final Predicate<String> ignored;

    /**
     * @param refusal a message for a key that is not a setting but deserves more than "unknown", else null
     * @param ignored keys accepted and ignored
     * @throws IllegalStateException when two declarations share a key, or one is outside its group's namespace
     */
    public SettingsRegistry(List<Group<?>> groups, Function<String, String> refusal, Predicate<String> ignored) {
        this.groups = List.copyOf(groups);
        this.refusal = refusal;
        this.ignored = ignored;
        Set<String> keys = new TreeSet<>();
        for (Group<?> g : groups) {
            for (Setting<?> s : g.settings()) {
                if (!keys.add(s.key())) {
                    throw new IllegalStateException("setting [" + s.key() + "] is declared twice");
                }
                if (g.namespace() == null) {
                    plain.put(s.key(), s);
                } else if (!s.key().startsWith(g.namespace())) {
                    throw new IllegalStateException("setting [" + s.key() + "] is outside its group's namespace [" + g.namespace() + "]");
                }
            }
        }
    }

    /** Every declared setting, in declaration order. */
    public List<Setting<?>> settings() {
        List<Setting<?>> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.settings()));
        return all;
    }

    /** The keys of the settings parsed one by one (not those under a group's namespace), sorted. */
    public Set<String> plainKeys() {
        return new TreeSet<>(plain.keySet());
    }

    /**
     * Parses and checks {@code raw}.
     *
     * @throws SettingsException for the first unknown key, bad value or failed check
     */
    public Validated validate(Path configDir, Map<String, String> raw) {
        Map<Setting<?>, Object> parsed = new LinkedHashMap<>();
        Map<Group<?>, Map<String, String>> pending = new IdentityHashMap<>();
        Set<String> ignoredKeys = new TreeSet<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            Setting<?> s = plain.get(key);
            if (s != null) {
                parsed.put(s, s.parse(e.getValue()));
                continue;
            }
            String refused = refusal.apply(key);
            if (refused != null) {
                throw new SettingsException(refused);
            }
            Group<?> g = namespaceOf(key);
            if (g != null) {
                pending.computeIfAbsent(g, x -> new LinkedHashMap<>()).put(key, e.getValue());
            } else if (ignored.test(key)) {
                ignoredKeys.add(key);
            } else {
                throw new SettingsException(ServerEsMessages.unknownSetting(key));
            }
        }
        Validated result = new Validated(new SettingValues(parsed), ignoredKeys);
        for (Group<?> g : groups) {
            Map<String, String> own = pending.getOrDefault(g, Map.of());
            SettingValues ownValues = g.namespace() == null || g.parsesItself() ? SettingValues.empty() : parseNamespace(g, own);
            result.built.put(g, g.build().apply(new Context(configDir, result.values, ownValues, Collections.unmodifiableMap(own))));
        }
        return result;
    }

    private Group<?> namespaceOf(String key) {
        for (Group<?> g : groups) {
            if (g.namespace() != null && key.startsWith(g.namespace())) {
                return g;
            }
        }
        return null;
    }

    private static SettingValues parseNamespace(Group<?> g, Map<String, String> own) {
        Map<Setting<?>, Object> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : own.entrySet()) {
            Setting<?> s = g.settings().stream().filter(x -> x.key().equals(e.getKey())).findFirst()
                    .orElseThrow(() -> new SettingsException(ServerEsMessages.unknownSetting(e.getKey())));
            parsed.put(s, s.parse(e.getValue()));
        }
        return new SettingValues(parsed);
    }
}
