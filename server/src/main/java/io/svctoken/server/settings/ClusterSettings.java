package io.svctoken.server.settings;

import java.time.Duration;
import java.util.List;

/**
 * {@code svctoken.cluster.*}, checked together: a node heartbeats every {@code heartbeat_interval} (1s); one
 * silent for longer than {@code node_timeout} (10s) counts as failed, for longer than {@code departed_after}
 * (1m) it is removed; a write that invalidates caches waits up to {@code ack_timeout} (5s) for every live
 * node to apply it; nodes read the invalidation log at least every {@code poll_interval} (1s). A node that
 * could not read the log for {@code max_staleness} (30s) stops answering store-backed credentials from its
 * caches until it reads it again.
 */
public record ClusterSettings(Duration heartbeatInterval, Duration nodeTimeout, Duration departedAfter, Duration ackTimeout,
                              Duration pollInterval, Duration maxStaleness) {

    public static final ClusterSettings DEFAULT = new ClusterSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30));

    public static final Setting<Duration> HEARTBEAT_INTERVAL =
            Setting.positiveTime("svctoken.cluster.heartbeat_interval", DEFAULT.heartbeatInterval());
    public static final Setting<Duration> NODE_TIMEOUT = Setting.positiveTime("svctoken.cluster.node_timeout", DEFAULT.nodeTimeout());
    public static final Setting<Duration> DEPARTED_AFTER = Setting.positiveTime("svctoken.cluster.departed_after", DEFAULT.departedAfter());
    public static final Setting<Duration> ACK_TIMEOUT = Setting.positiveTime("svctoken.cluster.ack_timeout", DEFAULT.ackTimeout());
    public static final Setting<Duration> POLL_INTERVAL = Setting.positiveTime("svctoken.cluster.poll_interval", DEFAULT.pollInterval());
    public static final Setting<Duration> MAX_STALENESS = Setting.positiveTime("svctoken.cluster.max_staleness", DEFAULT.maxStaleness());

    /** Checked last, after every other setting. */
    static final SettingsRegistry.Group<ClusterSettings> GROUP = new SettingsRegistry.Group<>("cluster", null,
            List.of(HEARTBEAT_INTERVAL, NODE_TIMEOUT, DEPARTED_AFTER, ACK_TIMEOUT, POLL_INTERVAL, MAX_STALENESS),
            c -> of(c.values()));

    /** @throws SettingsException when a node could count as failed between two of its own heartbeats, or depart before it fails */
    static ClusterSettings of(SettingValues v) {
        Duration heartbeat = v.get(HEARTBEAT_INTERVAL);
        Duration nodeTimeout = v.get(NODE_TIMEOUT);
        Duration departedAfter = v.get(DEPARTED_AFTER);
        Duration poll = v.get(POLL_INTERVAL);
        Duration maxStaleness = v.get(MAX_STALENESS);
        if (maxStaleness.compareTo(poll.multipliedBy(2)) < 0) {
            throw new SettingsException("[" + MAX_STALENESS + "] must be at least twice [" + POLL_INTERVAL + "] (" + poll.toMillis()
                    + "ms), was " + maxStaleness.toMillis() + "ms");
        }
        if (nodeTimeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new SettingsException("[" + NODE_TIMEOUT + "] must be at least twice [" + HEARTBEAT_INTERVAL + "] ("
                    + heartbeat.toMillis() + "ms), was " + nodeTimeout.toMillis() + "ms");
        }
        if (departedAfter.compareTo(nodeTimeout) <= 0) {
            throw new SettingsException("[" + DEPARTED_AFTER + "] must be longer than [" + NODE_TIMEOUT + "] (" + nodeTimeout.toMillis()
                    + "ms), was " + departedAfter.toMillis() + "ms");
        }
        return new ClusterSettings(heartbeat, nodeTimeout, departedAfter, v.get(ACK_TIMEOUT), poll, maxStaleness);
    }
}
