package io.svctoken.server;

/** Persistent identity: node name and id, cluster name and uuid, and the uuid reported for the token "index". */
public record NodeIdentity(String nodeName, String nodeId, String clusterName, String clusterUuid, String indexUuid,
                           String esVersion) {
}
