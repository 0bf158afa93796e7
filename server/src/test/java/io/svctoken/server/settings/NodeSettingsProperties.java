package io.svctoken.server.settings;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings as a user may write them: any mix of known, Elasticsearch-only, realm and misspelt keys with
 * any values gives settings or a {@link SettingsException} naming a setting — never another exception,
 * which the launcher would show as a stack trace.
 */
class NodeSettingsProperties {

    private static final Path HOME = Path.of("/nonexistent-svctoken-home");
    private static final List<String> KEYS = List.of("http.port", "http.host", "node.name", "cluster.name", "path.data",
            "http.compression", "http.max_content_length", "http.read_timeout", "svctoken.worker.nice", "svctoken.worker.threads",
            "xpack.security.enrollment.enabled", "xpack.security.authc.api_key.enabled", "xpack.security.authc.api_key.cache.ttl",
            "xpack.security.authc.service_token.cache.hash_algo", "xpack.security.authc.password_hashing.algorithm",
            "discovery.type", "xpack.security.transport.ssl.enabled", "cluster.initial_master_nodes", "transport.port",
            "xpack.security.authc.realms.file.f1.order", "xpack.security.authc.realms.native.n1.order",
            "xpack.security.authc.realms.native.n1.enabled", "xpack.security.authc.realms.file.f1.cache.ttl",
            "xpack.security.authc.realms.ldap.l1.order", "xpack.security.authc.realms.file", "xpack.security.authc.realms..x.order",
            "http.prot", "xpack.security.http.ssl.enabled", "xpack.security.http.ssl.keystore.path",
            "svctoken.authc.failure_throttle.enabled", "svctoken.authc.failure_throttle.window",
            "svctoken.authc.failure_throttle.max_failures");
    private static final List<String> VALUES = List.of("true", "false", "0", "1", "-1", "19", "20", "9200", "70000", "10mb", "1kb",
            "30s", "0s", "-5m", "ssha256", "pbkdf2", "bcrypt", "nope", "", " ", "single-node", "node-1", "127.0.0.1", "${UNSET}");

    @Property(tries = 2000)
    void anySettingsGiveNodeSettingsOrASettingsError(@ForAll("settings") Map<String, String> raw) {
        try {
            NodeSettings s = new NodeSettings(HOME, HOME.resolve("config"), raw);
            assertThat(s.realms()).isNotNull();
            assertThat(s.httpLimits()).isNotNull();
            assertThat(s.failureThrottle()).isNotNull();
        } catch (SettingsException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<Map<String, String>> settings() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS),
                Arbitraries.strings().withChars("abcxyz._").ofMinLength(1).ofMaxLength(12));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.strings().ofMaxLength(8));
        return Arbitraries.maps(key, value).ofMaxSize(6);
    }
}
