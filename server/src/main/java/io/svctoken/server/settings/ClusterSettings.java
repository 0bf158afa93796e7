package io.svctoken.server.settings;

import java.time.Duration;

/** {@code svctoken.cluster.*}, checked together: see {@link NodeSettings#cluster()}. */
public record ClusterSettings(Duration heartbeatInterval, Duration nodeTimeout, Duration departedAfter, Duration ackTimeout,
                              Duration pollInterval, Duration maxStaleness) {

    public static final ClusterSettings DEFAULT = new ClusterSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** @throws SettingsException when a node could count as failed between two of its own heartbeats, or depart before it fails */
    static ClusterSettings of(Duration heartbeat, Duration nodeTimeout, Duration departedAfter, Duration ackTimeout, Duration poll,
                              Duration maxStaleness) {
        if (maxStaleness.compareTo(poll.multipliedBy(2)) < 0) {
            throw new SettingsException("[" + NodeSettings.CLUSTER_MAX_STALENESS + "] must be at least twice ["
                    + NodeSettings.CLUSTER_POLL_INTERVAL + "] (" + poll.toMillis() + "ms), was " + maxStaleness.toMillis() + "ms");
        }
        if (nodeTimeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new SettingsException("[" + NodeSettings.CLUSTER_NODE_TIMEOUT + "] must be at least twice ["
                    + NodeSettings.CLUSTER_HEARTBEAT_INTERVAL + "] (" + heartbeat.toMillis() + "ms), was " + nodeTimeout.toMillis() + "ms");
        }
        if (departedAfter.compareTo(nodeTimeout) <= 0) {
            throw new SettingsException("[" + NodeSettings.CLUSTER_DEPARTED_AFTER + "] must be longer than ["
                    + NodeSettings.CLUSTER_NODE_TIMEOUT + "] (" + nodeTimeout.toMillis() + "ms), was " + departedAfter.toMillis() + "ms");
        }
        return new ClusterSettings(heartbeat, nodeTimeout, departedAfter, ackTimeout, poll, maxStaleness);
    }
}
