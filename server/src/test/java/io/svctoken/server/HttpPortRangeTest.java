package io.svctoken.server;

import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code http.port} as Elasticsearch reads it: a port, a range ({@code 9200-9300}) or a list of both; the node binds the first free one. */
class HttpPortRangeTest {

    @TempDir
    Path home;

    @Test
    void aRangeBindsTheFirstFreePort() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int taken = busy.getLocalPort();
            int last = Math.min(65535, taken + 50);
            try (TestNode node = TestNode.start(home, Map.of("http.port", taken + "-" + last))) {
                int bound = node.node().address().getPort();
                assertThat(bound).isGreaterThan(taken).isLessThanOrEqualTo(last);
                assertThat(node.request("GET", "/", TestNode.ELASTIC_BASIC).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aRangeWithoutAFreePortFailsNamingTheRange() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int taken = busy.getLocalPort();
            assertThatThrownBy(() -> TestNode.start(home, Map.of("http.port", taken + "-" + taken)).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("failed to bind HTTP to [127.0.0.1:" + taken + "-" + taken + "]: address already in use");
        }
    }

    @Test
    void rangesAndListsParseAndTheToolsUseTheFirstPort() {
        NodeSettings s = new NodeSettings(home, home.resolve("config"), Map.of("http.port", "9250-9300"));
        assertThat(s.httpPort()).isEqualTo(9250);
        assertThat(new NodeSettings(home, home.resolve("config"), Map.of("http.port", "9400, 9200-9201")).httpPort()).isEqualTo(9400);
        assertThat(new NodeSettings(home, home.resolve("config"), Map.of()).httpPort()).isEqualTo(9200);
    }

    @Test
    void aBadRangeStopsTheStartNamingTheSetting() {
        for (String bad : new String[]{"9300-9200", "abc", "9200-", "70000", "9200-70000", ""}) {
            assertThatThrownBy(() -> new NodeSettings(home, home.resolve("config"), Map.of("http.port", bad)))
                    .as(bad).isInstanceOf(SettingsException.class).hasMessageContaining("[http.port]");
        }
    }
}
