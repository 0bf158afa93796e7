package io.svctoken.core.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The caches of one node, by name ({@code service_tokens}, {@code api_keys}, {@code realm:<name>},
 * {@code roles}), as Elasticsearch's caches register under names for its clear-cache actions. An event of
 * the invalidation log reaches the subscribers it names; a subscriber forgets the keys and counts the
 * invalidation, so that a load that read the store before it does not keep its result after it.
 *
 * <p>{@link #apply} is called from one thread, in the log's order.
 */
public final class InvalidationBus {

    /** A cache that can forget entries. */
    @FunctionalInterface
    public interface Subscriber {
        /** @param keys the entries to forget; null: all of them */
        void invalidate(List<String> keys);
    }

    public static final String SERVICE_TOKENS = "service_tokens";
    public static final String API_KEYS = "api_keys";
    public static final String ROLES = "roles";
    public static final String APPLICATION_PRIVILEGES = "application_privileges";
    public static final String ROLE_MAPPINGS = "role_mappings";
    /** User-managed service accounts, keyed by principal. */
    public static final String SERVICE_ACCOUNTS = "service_accounts";
    /** Checked OAuth2 access tokens, by the hash of the token. */
    public static final String OAUTH2_TOKENS = "oauth2_tokens";
    /** Every realm's cache of logins: a change to a stored user. */
    public static final String ALL_REALMS = "realm:*";

    public static String realm(String name) {
        return "realm:" + name;
    }

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);

    private final Map<String, Subscriber> subscribers = new ConcurrentSkipListMap<>();

    /** @throws IllegalArgumentException when the name is taken */
    public void subscribe(String name, Subscriber subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (name.endsWith("*") || subscribers.putIfAbsent(name, subscriber) != null) {
            throw new IllegalArgumentException("cache name [" + name + "] is taken or not a name");
        }
    }

    /** The names subscribed, sorted. */
    public List<String> names() {
        return List.copyOf(subscribers.keySet());
    }

    /**
     * Hands the event to the subscribers it names. A subscriber that fails is logged and the others still
     * run: an event is never applied halfway because of one cache. An unknown name (a newer node's cache)
     * reaches nobody.
     *
     * @return how many subscribers it reached
     */
    public int apply(InvalidationEvent event) {
        String name = event.cache();
        int reached = 0;
        for (Map.Entry<String, Subscriber> e : subscribers.entrySet()) {
            boolean match = name.endsWith("*") ? e.getKey().startsWith(name.substring(0, name.length() - 1)) : e.getKey().equals(name);
            if (match) {
                reached++;
                try {
                    e.getValue().invalidate(event.keys());
                } catch (RuntimeException ex) {
                    LOG.warn("cache [{}] failed to apply invalidation [{}]: {}", e.getKey(), event.seq(), ex.toString());
                }
            }
        }
        return reached;
    }
}
