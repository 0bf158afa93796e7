package io.svctoken.bench;

import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The gateway benchmark's upstream: a real OpenSearch 2.19 node (no security plugin), built as the server's tests build
 * it ({@code OpenSearchUpstream}: OpenSearch's own {@code Node} with the Netty transport, no test framework), on
 * 127.0.0.1. Runs until SIGTERM.
 *
 * <pre>java -cp bench/target/classes:bench/target/lib/* io.svctoken.bench.OpenSearchMain HTTP_PORT TRANSPORT_PORT HOME_DIR</pre>
 *
 * {@code http.max_content_length} is 1gb and {@code indexing_pressure.memory.limit} 40% of the heap so that the large
 * {@code _bulk} of the benchmark is accepted (OpenSearch's defaults are 100mb and 10%).
 */
public final class OpenSearchMain {

    /** {@code Node}'s constructor that takes the plugin classes is protected. */
    private static final class PluginNode extends Node {
        PluginNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: OpenSearchMain HTTP_PORT TRANSPORT_PORT HOME_DIR");
            System.exit(2);
        }
        Path home = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(home);
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "bench-upstream")
                .put("node.name", "bench-upstream-0")
                .put("network.host", "127.0.0.1")
                .put("http.port", args[0])
                .put("transport.port", args[1])
                .put("http.max_content_length", "1gb")
                // a 100 MB _bulk takes ~1.6x its size while it is coordinated; the default limit is 10% of the heap
                .put("indexing_pressure.memory.limit", "40%")
                .put("transport.type", Netty4Plugin.NETTY_TRANSPORT_NAME)
                .put("http.type", Netty4Plugin.NETTY_HTTP_TRANSPORT_NAME)
                .put("discovery.type", "single-node")
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        long t0 = System.nanoTime();
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "bench-upstream-0");
        Node node = new PluginNode(env, List.of(Netty4Plugin.class));
        node.start();
        System.out.println("opensearch started on 127.0.0.1:" + args[0] + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("opensearch stop: " + e);
            }
            stopped.countDown();
        }, "opensearch-stop"));
        stopped.await();
    }
}
