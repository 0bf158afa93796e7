package io.svctoken.server.gateway;

import io.netty.channel.epoll.Epoll;
import io.svctoken.server.TestNode;
import io.svctoken.server.http.Transport;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both socket transports serve requests and forward them (the upstream connections run on the event loop of the
 * client's connection, so their channel must be of that loop's kind): Linux's epoll, the default where Netty's native
 * library loads, and the JDK's NIO.
 */
class TransportsTest {

    @TempDir
    Path home;

    /** Linux on x86-64 or ARM64 ships the native library: there epoll must load, or the default silently fell back. */
    private static boolean epollShipped() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("aarch64"));
    }

    @Test
    void autoIsEpollWhereTheNativeLibraryLoads() {
        if (epollShipped()) {
            assertThat(Epoll.isAvailable()).as("epoll unavailable: %s", Epoll.unavailabilityCause()).isTrue();
        }
        assertThat(Transport.choose("auto")).isEqualTo(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);
        assertThat(Transport.choose("NIO")).isEqualTo(Transport.NIO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void servesAndForwards(String transport) throws Exception {
        if (transport.equals("epoll") && !epollShipped()) {
            return; // no native library for this platform: `epoll` is refused, as badValuesAreRefused shows for unknown names
        }
        try (RecordingUpstream upstream = new RecordingUpstream();
             TestNode node = TestNode.start(home, Map.of("svctoken.http.transport", transport, "svctoken.gateway.upstream", upstream.url()))) {
            assertThat(node.node().settings().httpTransport()).isEqualTo(Transport.choose(transport));
            assertThat(node.asElastic("GET", "/").status()).isEqualTo(200);
            for (int i = 0; i < 3; i++) { // the second and third reuse the kept-alive upstream connection
                TestNode.Response health = node.asElastic("GET", "/_cluster/health");
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.body()).isEqualTo("{\"recorded\":true}");
            }
            assertThat(upstream.lastPath.get()).isEqualTo("/_cluster/health");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aTakenPortIsNamedAsOnEither(String transport) throws Exception {
        if (transport.equals("epoll") && !epollShipped()) {
            return;
        }
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int taken = busy.getLocalPort();
            assertThatThrownBy(() -> TestNode.start(home, Map.of("svctoken.http.transport", transport, "http.port", String.valueOf(taken))).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("failed to bind HTTP to [127.0.0.1:" + taken + "]: address already in use");
        }
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> new NodeSettings(home, home.resolve("config"), Map.of("svctoken.http.transport", "kqueue")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("invalid value for [svctoken.http.transport]: unknown transport [kqueue], expected auto, epoll or nio");
    }
}
