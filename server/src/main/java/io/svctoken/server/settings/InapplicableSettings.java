package io.svctoken.server.settings;

import java.util.List;

/**
 * Elasticsearch settings that svctoken accepts and ignores because what they configure does not exist
 * here: cluster formation and the transport layer (svctoken is one node, talking HTTP only), shards,
 * indices, data paths other than {@code path.data}, other x-pack features. Without them an
 * {@code elasticsearch.yml} written by Elasticsearch's own security auto-configuration
 * ({@code discovery.type}, {@code cluster.initial_master_nodes}, {@code xpack.security.transport.ssl.*})
 * would stop the start.
 *
 * <p>Deliberately not here, so that they still stop the start as unknown: anything that decides who may
 * authenticate or how ({@code xpack.security.authc.realms.*}, …) and where the node
 * listens ({@code *.bind_host}) — ignoring those would silently change security or exposure.
 * Entries ending in {@code .} are namespaces, the others exact names.
 */
final class InapplicableSettings {

    private static final List<String> ENTRIES = List.of(
            // cluster formation and membership
            "discovery.", "cluster.initial_master_nodes", "cluster.routing.", "cluster.max_shards_per_node",
            "cluster.auto_shrink_voting_configuration", "gateway.", "node.roles", "node.attr.", "node.processors",
            // the transport layer (node-to-node) and addresses published to other nodes
            "transport.", "xpack.security.transport.", "network.publish_host", "http.publish_host", "http.publish_port",
            // data, indices and the JVM/OS bootstrap
            "path.repo", "path.shared_data", "bootstrap.memory_lock", "indices.", "index.", "thread_pool.", "search.",
            "action.destructive_requires_name", "action.auto_create_index", "ingest.",
            // x-pack features svctoken does not have
            "xpack.ml.", "xpack.monitoring.", "xpack.watcher.", "xpack.graph.", "xpack.license.self_generated.type",
            "xpack.searchable.snapshot.",
            // the time limit of Elasticsearch's delete-by-query of old tokens (svctoken deletes them in one statement)
            "xpack.security.authc.token.delete.timeout");

    private InapplicableSettings() {
    }

    static boolean matches(String key) {
        for (String e : ENTRIES) {
            if (e.endsWith(".") ? key.startsWith(e) : key.equals(e)) {
                return true;
            }
        }
        return false;
    }
}
