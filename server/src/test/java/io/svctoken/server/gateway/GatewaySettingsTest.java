package io.svctoken.server.gateway;

import io.svctoken.server.settings.GatewaySettings;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewaySettingsTest {

    @TempDir
    Path home;

    private GatewaySettings gateway(Map<String, String> raw) {
        return new NodeSettings(home, home.resolve("config"), raw).gateway();
    }

    @Test
    void unsetTheGatewayIsOff() {
        GatewaySettings g = gateway(Map.of());
        assertThat(g.enabled()).isFalse();
        assertThat(g.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(g.responseTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(g.verificationMode()).isEqualTo(GatewaySettings.VerificationMode.FULL);
    }

    @Test
    void upstreamsAreACommaListOfBaseUrls() {
        GatewaySettings g = gateway(Map.of("svctoken.gateway.upstream", "http://127.0.0.1:9201, https://es.example:9243/"));
        assertThat(g.upstreams()).containsExactly(URI.create("http://127.0.0.1:9201"), URI.create("https://es.example:9243"));
        assertThat(g.caFingerprint()).isEmpty();
    }

    @Test
    void badValuesStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "ftp://x"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("[svctoken.gateway.upstream]");
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x:9200/prefix"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("[svctoken.gateway.upstream]");
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.ssl.ca_fingerprint", "abc")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.gateway.ssl.ca_fingerprint]");
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.ssl.verification_mode", "strict")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.gateway.ssl.verification_mode]");
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.response_timeout", "0")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.gateway.response_timeout]");
    }

    @Test
    void upstreamCredentialsAreBasicOrAnApiKeyNeverHalfOrBoth() {
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x",
                "svctoken.gateway.upstream_auth.basic.username", "u"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("must be set together");
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.upstream_auth.basic.username", "u",
                "svctoken.gateway.upstream_auth.basic.password", "p4ssw0rd-x", "svctoken.gateway.upstream_auth.api_key", "k3y-x")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("cannot both be set").hasMessageNotContaining("p4ssw0rd-x")
                .hasMessageNotContaining("k3y-x");
        assertThat(gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.upstream_auth.api_key", "k3y-x")).apiKey())
                .isPresent();
    }

    @Test
    void gatewaySettingsWithoutAnUpstreamAreAMistake() {
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.response_timeout", "5s"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("need [svctoken.gateway.upstream]");
    }
    @Test
    void theIdentityHeaderIsOffByDefaultAndItsNameAndKeyAreChecked() {
        assertThat(gateway(Map.of("svctoken.gateway.upstream", "http://x")).identityHeader()).isEmpty();
        assertThat(gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.identity_header", "X-Caller")).identityHeader())
                .hasValue("X-Caller");
        for (String bad : new String[] {"Authorization", "host", "X Caller", "Proxy-Caller", "X-Opaque-Id"}) {
            assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.identity_header", bad)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.gateway.identity_header]");
        }
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.identity_header", "X-Caller",
                "svctoken.gateway.identity_header.signing_key", "short-k3y"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("at least 32 characters").hasMessageNotContaining("short-k3y");
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x",
                "svctoken.gateway.identity_header.signing_key", "k".repeat(40)))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("needs [svctoken.gateway.identity_header]");
    }
    @Test
    void healthChecksRunEveryFiveSecondsByDefaultAndZeroTurnsThemOff() {
        GatewaySettings g = gateway(Map.of("svctoken.gateway.upstream", "http://x"));
        assertThat(g.healthChecks()).isTrue();
        assertThat(g.healthCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(g.healthCheckTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.health_check.interval", "0")).healthChecks())
                .isFalse();
        assertThatThrownBy(() -> gateway(Map.of("svctoken.gateway.upstream", "http://x", "svctoken.gateway.health_check.timeout", "0")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[svctoken.gateway.health_check.timeout]");
    }
}
