package io.svctoken.core.user;

import io.svctoken.core.account.CompatibilityVersion;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in users of the reserved realm and which names count as reserved.
 *
 * <p>Facts (elastic/elasticsearch): {@code ClientReservedRealm.isReserved} @
 * {@code 59583e243e0589d18035be3973733fc44bd35d8a} names {@code elastic}, {@code kibana},
 * {@code kibana_system}, {@code logstash_system}, {@code beats_system}, {@code apm_system} and
 * {@code remote_monitoring_user} (reserved only while {@code xpack.security.authc.reserved_realm.enabled}
 * is true), and otherwise defers to {@code AnonymousUser.isAnonymousUsername}: the configured
 * {@code xpack.security.authc.anonymous.username} and the default {@code _anonymous} are always
 * reserved. {@code ReservedRealm#users} @ {@code 0036322f86d0a59988b1e6b66fcd3ed000630fdf} lists them
 * in the order kept here. Roles: {@code ElasticUser} superuser, {@code KibanaUser} (deprecated,
 * reason read in {@code KibanaUser.java} @ {@code 6df94e35336ff4d9333da345e78bb44f44e23c23}) and
 * {@code KibanaSystemUser} kibana_system, {@code RemoteMonitoringUser} @
 * {@code d80709dbcb1e854bc321b1b72a76aec2774993d5} remote_monitoring_collector + remote_monitoring_agent,
 * the others the role of the same name ({@code UsernamesField} @ {@code 1236823be42e48421b71270459cd43f7a1e40f81},
 * a late 9.x revision that still has {@code DEPRECATED_KIBANA_NAME}). The set is the same for 8.19 and 9.x.
 *
 * @param reservedRealmEnabled {@code xpack.security.authc.reserved_realm.enabled} (default true)
 * @param anonymousUsername    {@code xpack.security.authc.anonymous.username} (default {@code _anonymous})
 */
public record ReservedUsers(boolean reservedRealmEnabled, String anonymousUsername) {

    public static final String DEFAULT_ANONYMOUS_USERNAME = "_anonymous";
    public static final ReservedUsers DEFAULT = new ReservedUsers(true, DEFAULT_ANONYMOUS_USERNAME);

    /** One built-in user: its roles and its metadata as {@code GET /_security/user} shows them. */
    public record ReservedUser(String username, List<String> roles, Map<String, Object> metadata) {
        public ReservedUser {
            roles = List.copyOf(roles);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        public boolean deprecated() {
            return Boolean.TRUE.equals(metadata.get("_deprecated"));
        }
    }

    private static final Map<String, Object> RESERVED = Map.of("_reserved", true);

    private static final List<ReservedUser> USERS = List.of(
            new ReservedUser("elastic", List.of("superuser"), RESERVED),
            new ReservedUser("kibana", List.of("kibana_system"), deprecated("Please use the [kibana_system] user instead.")),
            new ReservedUser("kibana_system", List.of("kibana_system"), RESERVED),
            new ReservedUser("logstash_system", List.of("logstash_system"), RESERVED),
            new ReservedUser("beats_system", List.of("beats_system"), RESERVED),
            new ReservedUser("apm_system", List.of("apm_system"), RESERVED),
            new ReservedUser("remote_monitoring_user", List.of("remote_monitoring_collector", "remote_monitoring_agent"), RESERVED));

    public ReservedUsers {
        if (anonymousUsername == null) {
            anonymousUsername = DEFAULT_ANONYMOUS_USERNAME;
        }
    }

    private static Map<String, Object> deprecated(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_reserved", true);
        m.put("_deprecated", true);
        m.put("_deprecated_reason", reason);
        return m;
    }

    /** The built-in users in Elasticsearch's listing order; the same list for every supported version. */
    public static List<ReservedUser> users(CompatibilityVersion version) {
        return USERS;
    }

    /** The built-in user names in Elasticsearch's listing order. */
    public static List<String> names(CompatibilityVersion version) {
        return USERS.stream().map(ReservedUser::username).toList();
    }

    public static Optional<ReservedUser> find(String username) {
        return USERS.stream().filter(u -> u.username().equals(username)).findFirst();
    }

    /**
     * Elasticsearch's {@code ClientReservedRealm.isReserved}: a built-in name while the reserved realm is
     * enabled; the anonymous user names always.
     */
    public boolean isReserved(String username) {
        if (find(username).isPresent()) {
            return reservedRealmEnabled;
        }
        return anonymousUsername.equals(username) || DEFAULT_ANONYMOUS_USERNAME.equals(username);
    }
}
