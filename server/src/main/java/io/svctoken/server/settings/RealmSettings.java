package io.svctoken.server.settings;

import io.svctoken.core.hash.Hasher;
import io.svctoken.server.ServerEsMessages;

import java.time.Duration;
import java.util.AbstractMap;
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

    // Affix settings, per realm; the placeholders are filled with the realm's type and name.
    public static final Setting<Integer> ORDER = Setting.intIn(PREFIX + "<type>.<name>.order", null, Integer.MIN_VALUE, Integer.MAX_VALUE);
    public static final Setting<Boolean> ENABLED = Setting.bool(PREFIX + "<type>.<name>.enabled", true);
    public static final Setting<Duration> CACHE_TTL = Setting.time(PREFIX + "<type>.<name>.cache.ttl", Duration.ofMinutes(20));
    public static final Setting<Integer> CACHE_MAX_USERS = Setting.intIn(PREFIX + "<type>.<name>.cache.max_users", 100_000, 0,
            Integer.MAX_VALUE);
    public static final Setting<String> CACHE_HASH_ALGO = Setting.of(PREFIX + "<type>.<name>.cache.hash_algo",
            (k, v) -> Setting.parseAlgorithm(k, v, Hasher.cacheHashingNames()), "ssha256");
    private static final List<Setting<?>> PER_REALM = List.of(ORDER, ENABLED, CACHE_TTL, CACHE_MAX_USERS, CACHE_HASH_ALGO);

    /** The realms' namespace, parsed here and checked after the HTTPS settings. */
    static final SettingsRegistry.Group<List<Realm>> GROUP = new SettingsRegistry.Group<>("realms", PREFIX, PER_REALM, c -> chain(c.raw()));

    /** A realm's credential cache: how long, how many users, and how the password that worked is remembered. */
    public record Cache(Duration ttl, int maxUsers, Hasher hasher) {
        public static final Cache DEFAULT = new Cache(CACHE_TTL.get(SettingValues.empty()), CACHE_MAX_USERS.get(SettingValues.empty()),
                Hasher.resolve(CACHE_HASH_ALGO.get(SettingValues.empty())));
    }

    /** One realm of the chain, in chain order. */
    public record Realm(String type, String name, int order, Cache cache) {
    }

    private RealmSettings() {
    }

    /** @param raw every given setting under {@link #PREFIX}, unparsed */
    static List<Realm> chain(Map<String, String> raw) {
        // type -> name -> setting -> value
        Map<String, Map<String, Map<String, String>>> byRealm = new TreeMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String rest = e.getKey().substring(PREFIX.length());
            String[] parts = rest.split("\\.", 3);
            if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
                throw new SettingsException(ServerEsMessages.unknownSetting(e.getKey()));
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
                // setting -> (concrete key, value)
                Map<Setting<?>, Map.Entry<String, String>> given = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : realm.getValue().entrySet()) {
                    String key = PREFIX + t + "." + name + "." + e.getKey();
                    Setting<?> setting = PER_REALM.stream().filter(x -> x.matches(key)).findFirst()
                            .orElseThrow(() -> new SettingsException(ServerEsMessages.unknownSetting(key)));
                    given.put(setting, new AbstractMap.SimpleImmutableEntry<>(key, e.getValue()));
                }
                if (!value(ENABLED, given, true)) {
                    disabledTypes.add(t);
                    continue;
                }
                if (!given.containsKey(ORDER)) {
                    throw new SettingsException("'order' is a mandatory parameter for realm config. Found invalid realm config: '" + name
                            + "' (set [" + ORDER.concrete(t, name) + "])");
                }
                int order = value(ORDER, given, null);
                Cache cache = new Cache(value(CACHE_TTL, given, Cache.DEFAULT.ttl()), value(CACHE_MAX_USERS, given, Cache.DEFAULT.maxUsers()),
                        given.containsKey(CACHE_HASH_ALGO) ? Hasher.resolve(value(CACHE_HASH_ALGO, given, null)) : Cache.DEFAULT.hasher());
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

    /** The realm's value of {@code setting}, parsed, or {@code otherwise} when the realm does not set it. */
    private static <T> T value(Setting<T> setting, Map<Setting<?>, Map.Entry<String, String>> given, T otherwise) {
        Map.Entry<String, String> e = given.get(setting);
        return e == null ? otherwise : setting.parse(e.getKey(), e.getValue());
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
