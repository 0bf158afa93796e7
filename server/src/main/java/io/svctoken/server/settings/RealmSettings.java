package io.svctoken.server.settings;

import io.svctoken.core.EsMessages;
import io.svctoken.core.hash.Hasher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The realm chain from {@code xpack.security.authc.realms.<type>.<name>.*}, with Elasticsearch 8's
 * rules: each enabled realm needs an {@code order}, orders and names are unique, there is at most one
 * realm of each internal type, and the file and native realms that are not configured at all are
 * added in front of the chain under their default names (a realm configured with
 * {@code enabled: false} stays off). svctoken has the file and native realm types only; any other
 * type stops the start.
 *
 * <p>Per realm: {@code order}, {@code enabled}, {@code cache.ttl} (20m), {@code cache.max_users}
 * (100000), {@code cache.hash_algo} (ssha256), Elasticsearch's defaults.
 */
public final class RealmSettings {

    public static final String PREFIX = "xpack.security.authc.realms.";
    public static final String FILE = "file";
    public static final String NATIVE = "native";
    public static final String DEFAULT_FILE_NAME = "default_file";
    public static final String DEFAULT_NATIVE_NAME = "default_native";
    /** The reserved realm's name, which no configured realm may take. */
    public static final String RESERVED_NAME = "reserved";
    private static final Set<String> TYPES = Set.of(FILE, NATIVE);

    /** A realm's credential cache: how long, how many users, and how the password that worked is remembered. */
    public record Cache(Duration ttl, int maxUsers, Hasher hasher) {
        public static final Cache DEFAULT = new Cache(Duration.ofMinutes(20), 100_000, Hasher.resolve("ssha256"));
    }

    /** One realm of the chain, in chain order. */
    public record Realm(String type, String name, int order, Cache cache) {
    }

    private RealmSettings() {
    }

    static boolean isRealmSetting(String key) {
        return key.startsWith(PREFIX);
    }

    /** @param raw every given setting under {@link #PREFIX}, unparsed */
    static List<Realm> chain(Map<String, String> raw) {
        // type -> name -> setting -> value
        Map<String, Map<String, Map<String, String>>> byRealm = new TreeMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String rest = e.getKey().substring(PREFIX.length());
            String[] parts = rest.split("\\.", 3);
            if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
                throw new SettingsException(EsMessages.unknownSetting(e.getKey()));
            }
            byRealm.computeIfAbsent(parts[0], t -> new TreeMap<>()).computeIfAbsent(parts[1], n -> new LinkedHashMap<>())
                    .put(parts[2], e.getValue());
        }
        List<Realm> realms = new ArrayList<>();
        Set<String> disabledTypes = new TreeSet<>();
        Map<String, Set<String>> nameToKeys = new TreeMap<>();
        Map<Integer, Set<String>> orderToNames = new TreeMap<>();
        for (Map.Entry<String, Map<String, Map<String, String>>> type : byRealm.entrySet()) {
            String t = type.getKey();
            if (!TYPES.contains(t)) {
                String name = type.getValue().keySet().iterator().next();
                throw new SettingsException("unknown realm type [" + t + "] for realm [" + t + "/" + name + "]"
                        + " (svctoken has the [file] and [native] realms only)");
            }
            if (type.getValue().size() > 1) {
                throw new SettingsException("multiple [" + t + "] realms are configured. [" + t
                        + "] is an internal realm and therefore there can only be one such realm configured");
            }
            for (Map.Entry<String, Map<String, String>> realm : type.getValue().entrySet()) {
                String name = realm.getKey();
                String prefix = PREFIX + t + "." + name + ".";
                Map<String, String> s = realm.getValue();
                for (String k : s.keySet()) {
                    if (!Set.of("order", "enabled", "cache.ttl", "cache.max_users", "cache.hash_algo").contains(k)) {
                        throw new SettingsException(EsMessages.unknownSetting(prefix + k));
                    }
                }
                boolean enabled = !s.containsKey("enabled") || (Boolean) NodeSettings.bool(prefix + "enabled", s.get("enabled"));
                if (!enabled) {
                    disabledTypes.add(t);
                    continue;
                }
                if (!s.containsKey("order")) {
                    throw new SettingsException("'order' is a mandatory parameter for realm config. Found invalid realm config: '" + name
                            + "' (set [" + prefix + "order])");
                }
                int order = (Integer) NodeSettings.intIn(prefix + "order", s.get("order"), Integer.MIN_VALUE, Integer.MAX_VALUE);
                Cache cache = new Cache(
                        s.containsKey("cache.ttl") ? TimeValues.parse(prefix + "cache.ttl", s.get("cache.ttl")) : Cache.DEFAULT.ttl(),
                        s.containsKey("cache.max_users")
                                ? (Integer) NodeSettings.intIn(prefix + "cache.max_users", s.get("cache.max_users"), 0, Integer.MAX_VALUE)
                                : Cache.DEFAULT.maxUsers(),
                        s.containsKey("cache.hash_algo")
                                ? Hasher.resolve((String) NodeSettings.algorithm(prefix + "cache.hash_algo", s.get("cache.hash_algo"),
                                        Hasher.cacheHashingNames()))
                                : Cache.DEFAULT.hasher());
                realms.add(new Realm(t, name, order, cache));
                nameToKeys.computeIfAbsent(name, n -> new TreeSet<>()).add(PREFIX + t + "." + name);
                orderToNames.computeIfAbsent(order, o -> new TreeSet<>()).add(name);
            }
        }
        String sameOrder = join(orderToNames);
        if (!sameOrder.isEmpty()) {
            throw new SettingsException("Found multiple realms configured with the same order: " + sameOrder);
        }
        String sameName = join(nameToKeys);
        if (!sameName.isEmpty()) {
            throw new SettingsException("Found multiple realms configured with the same name: " + sameName);
        }
        realms.sort(Comparator.comparingInt(Realm::order).thenComparing(Realm::name));
        // Elasticsearch 8 adds the basic realms that are not configured at all in front: native first, then file before it.
        addDefault(realms, NATIVE, DEFAULT_NATIVE_NAME, disabledTypes);
        addDefault(realms, FILE, DEFAULT_FILE_NAME, disabledTypes);
        for (Realm r : realms) {
            if (r.name().equals(RESERVED_NAME)) {
                throw clash(RESERVED_NAME, r);
            }
        }
        return List.copyOf(realms);
    }

    private static void addDefault(List<Realm> realms, String type, String name, Set<String> disabledTypes) {
        if (disabledTypes.contains(type) || realms.stream().anyMatch(r -> r.type().equals(type))) {
            return;
        }
        for (Realm r : realms) {
            if (r.name().equals(name)) {
                throw clash(name, r);
            }
        }
        realms.add(0, new Realm(type, name, Integer.MIN_VALUE, Cache.DEFAULT));
    }

    private static SettingsException clash(String name, Realm r) {
        return new SettingsException("Found realm configured with name clashing with the [" + name + "] realm: ["
                + PREFIX + r.type() + "." + r.name() + "]");
    }

    private static <K> String join(Map<K, Set<String>> groups) {
        List<String> dup = new ArrayList<>();
        groups.forEach((k, v) -> {
            if (v.size() > 1) {
                dup.add(k + ": " + v);
            }
        });
        return String.join("; ", dup);
    }
}
