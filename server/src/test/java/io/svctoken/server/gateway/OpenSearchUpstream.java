package io.svctoken.server.gateway;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSearch 2.19 node (no security plugin, as the clusters svctoken fronts) in the test JVM, on free
 * loopback ports, one per test class: {@code @RegisterExtension static final OpenSearchUpstream OS = new OpenSearchUpstream();}.
 * It is built from OpenSearch's own {@code Node} with the Netty transport, without OpenSearch's test framework
 * (no randomized runner, no security manager). {@link #stop()} and {@link #start()} restart it on the same port
 * and data, for tests of an upstream that goes away mid-traffic.
 */
public final class OpenSearchUpstream implements BeforeAllCallback, AfterAllCallback {

    private Path home;
    private int httpPort;
    private int transportPort;
    private Node node;
    private long startMillis;

    /** OpenSearch's {@code Node} has a protected constructor that takes the plugin classes; the default modules are absent. */
    private static final class PluginNode extends Node {
        PluginNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home = Files.createTempDirectory("opensearch-upstream");
        httpPort = freePort();
        transportPort = freePort();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts the node (again) on its ports and data. */
    public synchronized void start() throws Exception {
        long t0 = System.nanoTime();
        // Netty's processor count is set once per JVM; svctoken's own Netty (an earlier test's node) may have fixed it already
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "gateway-upstream")
                .put("node.name", "upstream-0")
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                .put("transport.type", Netty4Plugin.NETTY_TRANSPORT_NAME)
                .put("http.type", Netty4Plugin.NETTY_HTTP_TRANSPORT_NAME)
                .put("discovery.type", "single-node")
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "upstream-0");
        node = new PluginNode(env, List.of(Netty4Plugin.class, ReindexPlugin.class));
        node.start();
        startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Stops the node; its port refuses connections until {@link #start()}. */
    public synchronized void stop() throws Exception {
        if (node != null) {
            node.close();
            node.awaitClose(30, TimeUnit.SECONDS);
            node = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    /** How long the last {@link #start()} took. */
    public long startMillis() {
        return startMillis;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
