package io.svctoken.server.cluster;

import io.svctoken.server.ServerEsMessages;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Elasticsearch's {@code _nodes} header of a nodes response, with {@code failures} only when a node failed. */
public final class NodesHeader {

    private NodesHeader() {
    }

    /**
     * @param action    the action a slow node timed out on (its error names it)
     * @param requestId what the timeout error shows as request id: the invalidation's seq
     */
    public static void put(ObjectNode parent, int total, List<ClusterService.Failure> failures, String action, long requestId,
                           long timeoutMillis) {
        ObjectNode n = parent.putObject("_nodes");
        n.put("total", total);
        n.put("successful", total - failures.size());
        n.put("failed", failures.size());
        if (failures.isEmpty()) {
            return;
        }
        ArrayNode a = n.putArray("failures");
        for (ClusterService.Failure f : failures) {
            ObjectNode o = a.addObject();
            o.put("type", ServerEsMessages.FAILED_NODE_TYPE);
            o.put("reason", ServerEsMessages.failedNode(f.nodeId()));
            o.put("node_id", f.nodeId());
            ObjectNode cause = o.putObject("caused_by");
            if (f.silent()) {
                cause.put("type", ServerEsMessages.NODE_NOT_CONNECTED_TYPE);
                cause.put("reason", ServerEsMessages.nodeNotConnected(f.nodeName(), f.httpAddress()));
            } else {
                cause.put("type", ServerEsMessages.RECEIVE_TIMEOUT_TYPE);
                cause.put("reason", ServerEsMessages.receiveTimeout(f.nodeName(), f.httpAddress(), action, requestId, timeoutMillis));
            }
        }
    }
}
