package io.svctoken.server.settings;

import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authc.FailureThrottle;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SettingsLoader} (config dir, file choice, YAML, placeholders, -E) and {@link NodeSettings} (defaults, parsing, errors). */
class SettingsTest {

    private static final String UNKNOWN_SUFFIX = " please check that any required plugins are installed,"
            + " or check the breaking changes documentation for removed settings";

    @TempDir
    Path home;

    private Path configDir() throws IOException {
        return Files.createDirectories(home.resolve("config"));
    }

    private Path write(Path dir, String file, String yaml) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(file), yaml, StandardCharsets.UTF_8);
    }

    private static NodeSettings settings(Path home, Map<String, String> raw) {
        return new NodeSettings(home, home.resolve("config"), raw);
    }

    private NodeSettings settings(String key, String value) {
        return settings(home, Map.of(key, value));
    }

    // ------------------------------------------------------------------ config dir and file

    @Nested
    class ConfigDirectory {

        @Test
        void esPathConfFromTheEnvironmentWins() {
            Path conf = home.resolve("elsewhere/conf");
            assertThat(SettingsLoader.configDir(home, Map.of("ES_PATH_CONF", conf.toString()))).isEqualTo(conf);
        }

        @Test
        void relativeEsPathConfIsMadeAbsolute() {
            Path dir = SettingsLoader.configDir(home, Map.of("ES_PATH_CONF", "relative/conf"));
            assertThat(dir).isAbsolute();
            assertThat(dir).isEqualTo(Path.of("relative/conf").toAbsolutePath());
        }

        @Test
        void withoutEsPathConfItIsConfigUnderHome() {
            assertThat(SettingsLoader.configDir(home, Map.of())).isEqualTo(home.resolve("config"));
            assertThat(SettingsLoader.configDir(home, Map.of("OTHER", "x"))).isEqualTo(home.resolve("config"));
        }

        @Test
        void blankEsPathConfCountsAsUnset() {
            assertThat(SettingsLoader.configDir(home, Map.of("ES_PATH_CONF", ""))).isEqualTo(home.resolve("config"));
            assertThat(SettingsLoader.configDir(home, Map.of("ES_PATH_CONF", "  "))).isEqualTo(home.resolve("config"));
        }

        @Test
        void settingsAreReadFromTheEsPathConfDirectory() throws IOException {
            Path conf = home.resolve("custom-conf");
            write(conf, "svctoken.yml", "http.port: 9301\n");
            write(configDir(), "svctoken.yml", "http.port: 9999\n");
            Map<String, String> env = Map.of("ES_PATH_CONF", conf.toString());
            Path dir = SettingsLoader.configDir(home, env);
            assertThat(SettingsLoader.load(dir, List.of(), env)).containsExactly(Map.entry("http.port", "9301"));
        }
    }

    @Nested
    class SettingsFile {

        @Test
        void noFileMeansNoSettings() throws IOException {
            Path dir = configDir();
            assertThat(SettingsLoader.settingsFile(dir)).isNull();
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).isEmpty();
        }

        @Test
        void missingConfigDirectoryMeansNoSettings() {
            Path dir = home.resolve("does-not-exist");
            assertThat(SettingsLoader.settingsFile(dir)).isNull();
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).isEmpty();
        }

        @Test
        void svctokenYmlIsPreferredOverElasticsearchYml() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "node.name: from-svctoken\n");
            write(dir, "elasticsearch.yml", "node.name: from-es\ncluster.name: es-cluster\n");
            assertThat(SettingsLoader.settingsFile(dir)).isEqualTo(dir.resolve("svctoken.yml"));
            // only one file is read: nothing of elasticsearch.yml leaks in
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).containsExactly(Map.entry("node.name", "from-svctoken"));
        }

        @Test
        void elasticsearchYmlIsTheFallbackWhenItIsTheOnlyFile() throws IOException {
            Path dir = configDir();
            write(dir, "elasticsearch.yml", "node.name: from-es\n");
            assertThat(SettingsLoader.settingsFile(dir)).isEqualTo(dir.resolve("elasticsearch.yml"));
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).containsExactly(Map.entry("node.name", "from-es"));
        }

        @Test
        void emptyFileAndCommentOnlyFileMeanNoSettings() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).isEmpty();
            write(dir, "svctoken.yml", "# nothing here\n# http.port: 1\n");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).isEmpty();
        }
    }

    // ------------------------------------------------------------------ YAML

    @Nested
    class Yaml {

        @Test
        void theReadmeRealmExampleGivesItsChain() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "xpack.security.authc.realms:\n  native.native1: { order: 0, cache.ttl: 5m }\n  file.file1: { order: 1 }\n");
            NodeSettings s = new NodeSettings(home, dir, SettingsLoader.load(dir, List.of(), Map.of()));
            assertThat(s.realms()).extracting(RealmSettings.Realm::name).containsExactly("native1", "file1");
            assertThat(s.realms().get(0).cache().ttl()).isEqualTo(Duration.ofMinutes(5));
        }

        @Test
        void nestedKeysAreFlattenedWithDots() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http:\n  port: 9201\n  host: 127.0.0.1\n");
            Map<String, String> nested = SettingsLoader.load(dir, List.of(), Map.of());
            write(dir, "svctoken.yml", "http.port: 9201\nhttp.host: 127.0.0.1\n");
            Map<String, String> flat = SettingsLoader.load(dir, List.of(), Map.of());
            assertThat(nested).isEqualTo(flat).containsOnly(Map.entry("http.port", "9201"), Map.entry("http.host", "127.0.0.1"));
        }

        @Test
        void deepAndMixedNestingIsFlattened() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", String.join("\n",
                    "xpack:",
                    "  security.authc:",
                    "    service_token:",
                    "      cache:",
                    "        ttl: 1h",
                    "        max_tokens: 50",
                    "    service_token_hashing.algorithm: bcrypt12",
                    "cluster.name: c1",
                    ""));
            Map<String, String> raw = SettingsLoader.load(dir, List.of(), Map.of());
            assertThat(raw).containsOnly(
                    Map.entry("xpack.security.authc.service_token.cache.ttl", "1h"),
                    Map.entry("xpack.security.authc.service_token.cache.max_tokens", "50"),
                    Map.entry("xpack.security.authc.service_token_hashing.algorithm", "bcrypt12"),
                    Map.entry("cluster.name", "c1"));
            NodeSettings s = new NodeSettings(home, dir, raw);
            assertThat(s.cacheTtl()).isEqualTo(Duration.ofHours(1));
            assertThat(s.cacheMaxTokens()).isEqualTo(50);
            assertThat(s.tokenHasher().name()).isEqualTo("bcrypt12");
            assertThat(s.clusterName()).isEqualTo("c1");
        }

        @Test
        void scalarTypesBecomeTheirText() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http.port: 9201\nxpack.security.enabled: true\nsvctoken.compatibility.version: 8.19\n");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).containsOnly(
                    Map.entry("http.port", "9201"),
                    Map.entry("xpack.security.enabled", "true"),
                    Map.entry("svctoken.compatibility.version", "8.19"));
        }

        @Test
        void duplicateKeyInTheSameSpellingIsAnError() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http.port: 9201\nhttp.port: 9202\n");
            assertThatThrownBy(() -> SettingsLoader.load(dir, List.of(), Map.of()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("http.port")
                    .hasMessageContaining("duplicate");
        }

        @Test
        void duplicateKeyAcrossFlatAndNestedSpellingIsAnError() throws IOException {
            Path dir = configDir();
            Path file = write(dir, "svctoken.yml", "http.port: 9201\nhttp:\n  port: 9202\n");
            assertThatThrownBy(() -> SettingsLoader.load(dir, List.of(), Map.of()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("duplicate settings key [http.port] found in [" + file + "]");
        }

        @Test
        void duplicateNestedMapKeyIsAnError() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http:\n  port: 9201\nhttp:\n  host: 127.0.0.1\n");
            // the second "http:" block would silently replace the first one
            assertThatThrownBy(() -> SettingsLoader.load(dir, List.of(), Map.of()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("http");
        }

        @ParameterizedTest
        @ValueSource(strings = {"- http.port\n- 9201\n", "just a string\n", "42\n"})
        void aFileThatIsNotAMapIsAnError(String yaml) throws IOException {
            Path dir = configDir();
            Path file = write(dir, "svctoken.yml", yaml);
            assertThatThrownBy(() -> SettingsLoader.load(dir, List.of(), Map.of()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("key: value");
        }

        @Test
        void malformedYamlIsASettingsExceptionNamingTheFile() throws IOException {
            Path dir = configDir();
            Path file = write(dir, "svctoken.yml", "http:\n  port: [9201\n  host: x\n");
            assertThatThrownBy(() -> SettingsLoader.load(dir, List.of(), Map.of()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("Failed to load settings from [" + file + "]");
        }

        @Test
        void nullValuesAreLeftOut() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http.port:\nnode.name: n1\n");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of())).containsOnly(Map.entry("node.name", "n1"));
        }
    }

    // ------------------------------------------------------------------ -E

    @Nested
    class CommandLine {

        @Test
        void dashEOverridesTheFile() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http:\n  port: 9201\nnode.name: file-node\n");
            Map<String, String> raw = SettingsLoader.load(dir, List.of("http.port=9301", "cluster.name=cli-cluster"), Map.of());
            assertThat(raw).containsOnly(
                    Map.entry("http.port", "9301"),
                    Map.entry("node.name", "file-node"),
                    Map.entry("cluster.name", "cli-cluster"));
            assertThat(new NodeSettings(home, dir, raw).httpPort()).isEqualTo(9301);
        }

        @Test
        void dashEWithoutAFileWorks() {
            Map<String, String> raw = SettingsLoader.load(home.resolve("none"), List.of("node.name=a=b"), Map.of());
            assertThat(raw).containsExactly(Map.entry("node.name", "a=b"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"http.port", "=9200", ""})
        void dashEWithoutKeyEqualsValueIsAnError(String arg) {
            assertThatThrownBy(() -> SettingsLoader.load(home.resolve("none"), List.of(arg), Map.of()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("setting [" + arg + "] must be in the form key=value");
        }

        @Test
        void unknownSettingFromDashEIsRejectedByNodeSettings() {
            Map<String, String> raw = SettingsLoader.load(home.resolve("none"), List.of("no.such.setting=1"), Map.of());
            assertThatThrownBy(() -> new NodeSettings(home, home.resolve("none"), raw))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("unknown setting [no.such.setting]" + UNKNOWN_SUFFIX);
        }
    }

    // ------------------------------------------------------------------ ${VAR}

    @Nested
    class Placeholders {

        @Test
        void variableIsReplacedFromTheEnvironment() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "node.name: ${NODE}\ncluster.name: pre-${CLUSTER}-post\n");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of("NODE", "n-1", "CLUSTER", "c")))
                    .containsOnly(Map.entry("node.name", "n-1"), Map.entry("cluster.name", "pre-c-post"));
        }

        @Test
        void severalVariablesInOneValue() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "node.name: \"${A}_${B}\"\n");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of("A", "x", "B", "y")))
                    .containsExactly(Map.entry("node.name", "x_y"));
        }

        @Test
        void defaultIsUsedWhenTheVariableIsUnset() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http.port: ${PORT:9205}\nnode.name: \"${NAME:}x\"\n");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of()))
                    .containsOnly(Map.entry("http.port", "9205"), Map.entry("node.name", "x"));
        }

        @Test
        void environmentWinsOverTheDefault() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http.port: ${PORT:9205}\n");
            Map<String, String> raw = SettingsLoader.load(dir, List.of(), Map.of("PORT", "9206"));
            assertThat(raw).containsExactly(Map.entry("http.port", "9206"));
            assertThat(new NodeSettings(home, dir, raw).httpPort()).isEqualTo(9206);
        }

        @Test
        void replacementTextIsTakenLiterally() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "node.name: ${NAME}\n");
            assertThat(SettingsLoader.load(dir, List.of(), Map.of("NAME", "a$1\\b${X}")))
                    .containsExactly(Map.entry("node.name", "a$1\\b${X}"));
        }

        @Test
        void unresolvedVariableIsAnErrorNamingItAndTheSetting() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "node.name: ${MISSING_VAR}\n");
            assertThatThrownBy(() -> SettingsLoader.load(dir, List.of(), Map.of("OTHER", "x")))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("Could not resolve placeholder 'MISSING_VAR' in setting [node.name]");
        }

        @Test
        void nestedKeyWithPlaceholderIsNamedFlattened() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http:\n  port: ${NOPE}\n");
            assertThatThrownBy(() -> SettingsLoader.load(dir, List.of(), Map.of()))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("'NOPE'")
                    .hasMessageContaining("[http.port]");
        }
    }

    // ------------------------------------------------------------------ defaults

    @Test
    void defaults() {
        NodeSettings s = settings(home, Map.of());
        assertThat(s.home()).isEqualTo(home);
        assertThat(s.configDir()).isEqualTo(home.resolve("config"));
        assertThat(s.httpPort()).isEqualTo(9200);
        assertThat(s.httpHost()).isEqualTo("127.0.0.1");
        assertThat(s.dataPath()).isEqualTo(home.resolve("data"));
        assertThat(s.logsPath()).isNull();
        assertThat(s.clusterName()).isEqualTo("elasticsearch");
        assertThat(s.tokenHasher().name()).isEqualTo("pbkdf2_stretch");
        assertThat(s.passwordHasher().name()).isEqualTo("bcrypt");
        assertThat(s.cacheTtl()).isEqualTo(Duration.ofMinutes(20));
        assertThat(s.cacheMaxTokens()).isEqualTo(100_000);
        assertThat(s.cacheHasher().name()).isEqualTo("ssha256");
        assertThat(s.compatibility()).isEqualTo(CompatibilityVersion.V8_19);
        assertThat(s.workerThreads()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(s.workerQueueSize()).isEqualTo(10_000);
    }

    @Test
    void defaultNodeNameIsTheHostName() throws Exception {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "svctoken-node";
        }
        NodeSettings s = settings(home, Map.of());
        assertThat(s.nodeName()).isEqualTo(host).isNotBlank();
        assertThat(s.nodeName()).as("stable across calls").isEqualTo(s.nodeName());
    }

    @Test
    void knownSettingsListsEveryDocumentedSetting() {
        assertThat(NodeSettings.knownSettings()).containsExactlyInAnyOrder(
                "http.port", "http.host", "network.host", "path.data", "path.logs", "node.name", "cluster.name",
                "xpack.security.authc.service_token_hashing.algorithm", "xpack.security.authc.password_hashing.algorithm",
                "xpack.security.authc.service_token.cache.ttl", "xpack.security.authc.service_token.cache.max_tokens",
                "xpack.security.authc.service_token.cache.hash_algo", "xpack.security.enabled",
                "svctoken.compatibility.version", "svctoken.worker.threads", "svctoken.worker.queue_size", "svctoken.worker.nice", "xpack.security.enrollment.enabled", "http.compression", "xpack.security.authc.api_key.enabled",
                "http.max_content_length", "http.max_header_size", "http.max_initial_line_length", "http.read_timeout",
                "svctoken.http.max_open_connections", "svctoken.http.request_head_timeout", "svctoken.http.transport",
                "xpack.security.authc.api_key.cache.ttl", "xpack.security.authc.api_key.cache.max_keys", "xpack.security.authc.api_key.cache.hash_algo",
                "xpack.security.authc.api_key.hashing.algorithm",
                "xpack.security.authc.user_managed_service_account.cache.ttl",
                "xpack.security.authc.user_managed_service_account.cache.max_accounts",
                "xpack.security.autoconfiguration.enabled", "xpack.security.http.ssl.enabled", "xpack.security.http.ssl.keystore.path",
                "xpack.security.http.ssl.keystore.password", "xpack.security.http.ssl.keystore.key_password",
                "xpack.security.http.ssl.keystore.type", "xpack.security.http.ssl.certificate", "xpack.security.http.ssl.key",
                "xpack.security.http.ssl.key_passphrase", "xpack.security.http.ssl.certificate_authorities",
                "svctoken.authc.failure_throttle.enabled", "svctoken.authc.failure_throttle.max_failures",
                "svctoken.authc.failure_throttle.window", "svctoken.authc.failure_throttle.lockout",
                "svctoken.authc.failure_throttle.max_entries",
                "svctoken.cluster.heartbeat_interval", "svctoken.cluster.node_timeout", "svctoken.cluster.departed_after",
                "svctoken.cluster.ack_timeout", "svctoken.cluster.poll_interval", "svctoken.cluster.max_staleness",
                "xpack.security.audit.enabled", "xpack.security.audit.logfile.events.include", "xpack.security.audit.logfile.events.exclude",
                "xpack.security.audit.logfile.events.emit_request_body", "xpack.security.audit.logfile.emit_node_name",
                "xpack.security.audit.logfile.emit_node_host_address", "xpack.security.audit.logfile.emit_node_host_name",
                "xpack.security.audit.logfile.emit_cluster_name", "xpack.security.audit.logfile.emit_node_id",
                "xpack.security.audit.logfile.emit_cluster_uuid", "svctoken.audit.on_write_failure",
                "svctoken.service_token.last_used.interval", "svctoken.service_token.max_lifetime",
                "svctoken.service_token.last_used.enabled",
                "svctoken.console.enabled", "svctoken.console.session.idle_timeout", "svctoken.console.session.max_lifetime",

                "xpack.security.authc.token.enabled", "xpack.security.authc.token.timeout",
                "xpack.security.authc.token.delete.interval");
    }

    @Test
    void consoleSettingsHaveDefaultsAndRefuseNonPositiveTimes() {
        assertThat(settings(home, Map.of()).console()).isEqualTo(new ConsoleSettings(true, Duration.ofMinutes(30), Duration.ofHours(12)));
        assertThat(ConsoleSettings.enabled(settings(home, Map.of("svctoken.console.enabled", "false")))).isFalse();
        assertThat(settings(home, Map.of("svctoken.console.session.idle_timeout", "2s", "svctoken.console.session.max_lifetime", "1h"))
                .console()).isEqualTo(new ConsoleSettings(true, Duration.ofSeconds(2), Duration.ofHours(1)));
        for (String key : List.of("svctoken.console.session.idle_timeout", "svctoken.console.session.max_lifetime")) {
            assertThatThrownBy(() -> settings(home, Map.of(key, "0"))).as(key).isInstanceOf(SettingsException.class)
                    .hasMessageContaining(key).hasMessageContaining("must be longer than 0");
        }
    }

    @Test
    void tokenLifecycleSettingsHaveDefaultsAndRefuseNonPositiveTimes() {
        assertThat(settings(home, Map.of()).tokenLifecycle()).isEqualTo(new TokenLifecycleSettings(true, Duration.ofMinutes(5), null));
        assertThat(settings(home, Map.of("svctoken.service_token.last_used.interval", "1h", "svctoken.service_token.max_lifetime", "90d"))
                .tokenLifecycle()).isEqualTo(new TokenLifecycleSettings(true, Duration.ofHours(1), Duration.ofDays(90)));
        assertThat(settings(home, Map.of("svctoken.service_token.last_used.enabled", "false")).tokenLifecycle().lastUsedEnabled()).isFalse();
        assertThatThrownBy(() -> settings(home, Map.of("svctoken.service_token.last_used.enabled", "no")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("svctoken.service_token.last_used.enabled");
        for (String key : List.of("svctoken.service_token.last_used.interval", "svctoken.service_token.max_lifetime")) {
            assertThatThrownBy(() -> settings(home, Map.of(key, "0"))).as(key).isInstanceOf(SettingsException.class)
                    .hasMessageContaining(key).hasMessageContaining("must be longer than 0");
        }
    }

    @Test
    void clusterSettingsHaveDefaultsAndAreCheckedTogether() {
        ClusterSettings d = settings(home, Map.of()).cluster();
        assertThat(d).isEqualTo(new ClusterSettings(Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30)));
        assertThatThrownBy(() -> settings(home, Map.of("svctoken.cluster.max_staleness", "1500ms")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[svctoken.cluster.max_staleness] must be at least twice [svctoken.cluster.poll_interval] (1000ms), was 1500ms");
        assertThat(settings(home, Map.of("svctoken.cluster.heartbeat_interval", "200ms", "svctoken.cluster.node_timeout", "1s",
                "svctoken.cluster.departed_after", "4s")).cluster().nodeTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> settings(home, Map.of("svctoken.cluster.heartbeat_interval", "6s")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[svctoken.cluster.node_timeout] must be at least twice [svctoken.cluster.heartbeat_interval] (6000ms), was 10000ms");
        assertThatThrownBy(() -> settings(home, Map.of("svctoken.cluster.departed_after", "10s")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("[svctoken.cluster.departed_after] must be longer than [svctoken.cluster.node_timeout] (10000ms), was 10000ms");
        assertThatThrownBy(() -> settings(home, Map.of("svctoken.cluster.ack_timeout", "0s"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("svctoken.cluster.ack_timeout");
    }

    // ------------------------------------------------------------------ parsing of every setting

    @Nested
    class Parsing {

        @ParameterizedTest
        @CsvSource({"0,0", "1,1", "9201,9201", "65535,65535", "' 9300 ',9300"})
        void httpPort(String value, int expected) {
            assertThat(settings("http.port", value).httpPort()).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource({"_local_,127.0.0.1", "localhost,127.0.0.1", "_site_,0.0.0.0", "_global_,0.0.0.0", "0.0.0.0,0.0.0.0",
                "0,0.0.0.0", "10.1.2.3,10.1.2.3", "::1,::1"})
        void hostValues(String value, String expected) {
            assertThat(settings("http.host", value).httpHost()).isEqualTo(expected);
            assertThat(settings("network.host", value).httpHost()).isEqualTo(expected);
        }

        @Test
        void httpHostWinsOverNetworkHost() {
            NodeSettings s = settings(home, Map.of("network.host", "0.0.0.0", "http.host", "_local_"));
            assertThat(s.httpHost()).isEqualTo("127.0.0.1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"http.host", "network.host", "node.name", "cluster.name"})
        void blankIsRejected(String key) {
            assertThatThrownBy(() -> settings(key, "  "))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("setting [" + key + "] must not be empty");
        }

        @Test
        void relativePathsResolveAgainstHome() {
            NodeSettings s = settings(home, Map.of("path.data", "mydata/x", "path.logs", "../logs"));
            assertThat(s.dataPath()).isEqualTo(home.resolve("mydata/x"));
            assertThat(s.logsPath()).isEqualTo(home.getParent().resolve("logs"));
        }

        @Test
        void absolutePathsAreKept(@TempDir Path other) {
            NodeSettings s = settings(home, Map.of("path.data", other.resolve("d").toString(), "path.logs", other.resolve("l").toString()));
            assertThat(s.dataPath()).isEqualTo(other.resolve("d"));
            assertThat(s.logsPath()).isEqualTo(other.resolve("l"));
        }

        @Test
        void names() {
            NodeSettings s = settings(home, Map.of("node.name", "node-7", "cluster.name", "prod"));
            assertThat(s.nodeName()).isEqualTo("node-7");
            assertThat(s.clusterName()).isEqualTo("prod");
        }

        @ParameterizedTest
        @CsvSource({"pbkdf2_stretch,pbkdf2_stretch", "PBKDF2_STRETCH,pbkdf2_stretch", "pbkdf2,pbkdf2", "pbkdf2_1000,pbkdf2_1000",
                "pbkdf2_stretch_1000,pbkdf2_stretch_1000", "bcrypt,bcrypt", "BCRYPT12,bcrypt12", "bcrypt4,bcrypt4"})
        void tokenAndPasswordHashing(String value, String expected) {
            assertThat(settings("xpack.security.authc.service_token_hashing.algorithm", value).tokenHasher().name()).isEqualTo(expected);
            assertThat(settings("xpack.security.authc.password_hashing.algorithm", value).passwordHasher().name()).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource({"20m,PT20M", "30s,PT30S", "500ms,PT0.5S", "1h,PT1H", "2d,PT48H", "0,PT0S", "' 5M ',PT5M", "100micros,PT0.0001S",
                "7nanos,PT0.000000007S"})
        void cacheTtl(String value, String expected) {
            assertThat(settings("xpack.security.authc.service_token.cache.ttl", value).cacheTtl()).isEqualTo(Duration.parse(expected));
        }

        @Test
        void cacheTtlMinusOneIsAccepted() {
            // -1 is Elasticsearch's "no value"; the caches treat any non-positive ttl as "caching off"
            Duration ttl = settings("xpack.security.authc.service_token.cache.ttl", "-1").cacheTtl();
            assertThat(ttl.isZero() || ttl.isNegative()).as("ttl %s is not positive", ttl).isTrue();
        }

        @ParameterizedTest
        @CsvSource({"0,0", "1,1", "500000,500000"})
        void cacheMaxTokens(String value, int expected) {
            assertThat(settings("xpack.security.authc.service_token.cache.max_tokens", value).cacheMaxTokens()).isEqualTo(expected);
        }

        @ParameterizedTest
        @ValueSource(strings = {"ssha256", "SSHA256", "bcrypt", "pbkdf2_stretch", "sha1", "md5", "noop", "clear_text"})
        void cacheHashAlgoAcceptsEveryHasher(String value) {
            assertThat(settings("xpack.security.authc.service_token.cache.hash_algo", value).cacheHasher()).isNotNull();
        }

        @Test
        void cacheHashAlgoSsha256() {
            assertThat(settings("xpack.security.authc.service_token.cache.hash_algo", "ssha256").cacheHasher().name()).isEqualTo("ssha256");
        }

        @Test
        void securityEnabledTrueIsAccepted() {
            settings("xpack.security.enabled", "true");
        }

        @Test
        void securityEnabledFalseIsRejected() {
            assertThatThrownBy(() -> settings("xpack.security.enabled", "false"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[xpack.security.enabled]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"yes", "TRUE", "1", ""})
        void securityEnabledNonBooleanIsRejected(String value) {
            assertThatThrownBy(() -> settings("xpack.security.enabled", value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("Failed to parse value [" + value + "] as only [true] or [false] are allowed. for setting [xpack.security.enabled]");
        }

        @ParameterizedTest
        @CsvSource({"8.19,V8_19", "8,V8_19", "9,V9", "9.x,V9", "9.X,V9"})
        void compatibility(String value, CompatibilityVersion expected) {
            assertThat(settings("svctoken.compatibility.version", value).compatibility()).isEqualTo(expected);
        }

        @Test
        void failureThrottle() {
            assertThat(settings(home, Map.of()).failureThrottle()).isEqualTo(FailureThrottle.Settings.DEFAULT);
            assertThat(FailureThrottle.Settings.DEFAULT).isEqualTo(new FailureThrottle.Settings(true, 10, Duration.ofMinutes(1),
                    Duration.ofMinutes(1), 10_000));
            NodeSettings s = settings(home, Map.of("svctoken.authc.failure_throttle.enabled", "false",
                    "svctoken.authc.failure_throttle.max_failures", "3", "svctoken.authc.failure_throttle.window", "500ms",
                    "svctoken.authc.failure_throttle.lockout", "2h", "svctoken.authc.failure_throttle.max_entries", "7"));
            assertThat(s.failureThrottle()).isEqualTo(new FailureThrottle.Settings(false, 3, Duration.ofMillis(500), Duration.ofHours(2), 7));
        }

        @ParameterizedTest
        @CsvSource({"svctoken.authc.failure_throttle.enabled,yes", "svctoken.authc.failure_throttle.max_failures,0",
                "svctoken.authc.failure_throttle.max_failures,many", "svctoken.authc.failure_throttle.window,0",
                "svctoken.authc.failure_throttle.window,-1", "svctoken.authc.failure_throttle.lockout,0s",
                "svctoken.authc.failure_throttle.lockout,5", "svctoken.authc.failure_throttle.max_entries,0"})
        void failureThrottleBadValuesNameTheSetting(String key, String value) {
            assertThatThrownBy(() -> settings(key, value)).isInstanceOf(SettingsException.class).hasMessageContaining("[" + key + "]");
        }

        @Test
        void workerPool() {
            NodeSettings s = settings(home, Map.of("svctoken.worker.threads", "3", "svctoken.worker.queue_size", "1"));
            assertThat(s.workerThreads()).isEqualTo(3);
            assertThat(s.workerQueueSize()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ errors

    @Nested
    class Errors {

        @ParameterizedTest
        @ValueSource(strings = {"x", "http.prot", "xpack.security.authc.service_token.cache.size", "path.home"})
        void unknownSettingHasElasticsearchsExactMessage(String key) {
            assertThatThrownBy(() -> settings(key, "1"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("unknown setting [" + key + "]" + UNKNOWN_SUFFIX);
        }

        @ParameterizedTest
        @ValueSource(strings = {"xpack.security.authc.realms.file.file1.files.users", "xpack.security.audit.outputs", "http.bind_host",
                "network.bind_host", "xpack.security.fips_mode.enabled", "discoveryy.type", "transport", "xpack.security.transportx.ssl.enabled"})
        void settingsThatWouldChangeSecurityOrExposureAreNeverIgnored(String key) {
            assertThatThrownBy(() -> settings(key, "1"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("unknown setting [" + key + "]" + UNKNOWN_SUFFIX);
        }

        @Test
        void anElasticsearchAutoConfiguredElasticsearchYmlIsAcceptedAndItsClusterSettingsReported() throws IOException {
            Path dir = configDir();
            // what Elasticsearch's first start appends, after a typical user part
            write(dir, "elasticsearch.yml", "cluster.name: my-application\nnode.name: node-1\nnetwork.host: 127.0.0.1\n"
                    + "discovery.type: single-node\nbootstrap.memory_lock: true\npath.repo: [/mnt/backups]\n"
                    + "xpack.security.enabled: true\n\nxpack.security.enrollment.enabled: false\n\n"
                    + "xpack.security.http.ssl:\n  enabled: false\n\n"
                    + "xpack.security.transport.ssl:\n  enabled: true\n  verification_mode: certificate\n"
                    + "  keystore.path: certs/transport.p12\n  truststore.path: certs/transport.p12\n"
                    + "cluster.initial_master_nodes: [\"node-1\"]\nhttp.host: 0.0.0.0\n#transport.host: 0.0.0.0\n");
            NodeSettings s = new NodeSettings(home, dir, SettingsLoader.load(dir, List.of(), Map.of()));
            assertThat(s.inapplicableSettings()).containsExactly("bootstrap.memory_lock", "cluster.initial_master_nodes",
                    "discovery.type", "path.repo", "xpack.security.transport.ssl.enabled", "xpack.security.transport.ssl.keystore.path",
                    "xpack.security.transport.ssl.truststore.path", "xpack.security.transport.ssl.verification_mode");
            assertThat(s.clusterName()).isEqualTo("my-application");
            assertThat(s.httpHost()).isEqualTo("0.0.0.0");
            assertThat(s.enrollmentEnabled()).isFalse();
        }

        @Test
        void realmsDefaultToFileThenNative() {
            assertThat(settings(home, Map.of()).realms()).extracting(RealmSettings.Realm::type, RealmSettings.Realm::name)
                    .containsExactly(Tuple.tuple("file", "default_file"),
                            Tuple.tuple("native", "default_native"));
            assertThat(settings(home, Map.of()).realms().get(0).cache()).isEqualTo(RealmSettings.Cache.DEFAULT);
        }

        @Test
        void configuredRealmsAreOrderedAndKeepTheirNamesAndCacheSettings() {
            NodeSettings s = settings(home, Map.of(
                    "xpack.security.authc.realms.native.native1.order", "0",
                    "xpack.security.authc.realms.native.native1.cache.ttl", "5m",
                    "xpack.security.authc.realms.native.native1.cache.max_users", "10",
                    "xpack.security.authc.realms.native.native1.cache.hash_algo", "pbkdf2",
                    "xpack.security.authc.realms.file.file1.order", "1"));
            assertThat(s.realms()).extracting(RealmSettings.Realm::name).containsExactly("native1", "file1");
            RealmSettings.Cache c = s.realms().get(0).cache();
            assertThat(c.ttl()).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.maxUsers()).isEqualTo(10);
            assertThat(c.hasher().name()).isEqualToIgnoringCase("pbkdf2");
        }

        @Test
        void anUnconfiguredBasicRealmIsAddedInFrontAndADisabledOneStaysOff() {
            assertThat(settings(home, Map.of("xpack.security.authc.realms.native.n1.order", "3")).realms())
                    .extracting(RealmSettings.Realm::name).containsExactly("default_file", "n1");
            assertThat(settings(home, Map.of("xpack.security.authc.realms.file.f.enabled", "false")).realms())
                    .extracting(RealmSettings.Realm::name).as("no order needed when disabled").containsExactly("default_native");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "xpack.security.authc.realms.ldap.ldap1.order=0 | unknown realm type [ldap] for realm [ldap/ldap1] (svctoken has the [file] and [native] realms only)",
            "xpack.security.authc.realms.file.f1.order=0,xpack.security.authc.realms.file.f2.order=1 | multiple [file] realms are configured. [file] is an internal realm and therefore there can only be one such realm configured",
            "xpack.security.authc.realms.file.f1.enabled=true | 'order' is a mandatory parameter for realm config. Found invalid realm config: 'f1' (set [xpack.security.authc.realms.file.f1.order])",
            "xpack.security.authc.realms.file.f1.order=1,xpack.security.authc.realms.native.n1.order=1 | Found multiple realms configured with the same order: 1: [f1, n1]",
            "xpack.security.authc.realms.file.x.order=1,xpack.security.authc.realms.native.x.order=2 | Found multiple realms configured with the same name: x: [xpack.security.authc.realms.file.x, xpack.security.authc.realms.native.x]",
            "xpack.security.authc.realms.native.default_file.order=1 | Found realm configured with name clashing with the [default_file] realm: [xpack.security.authc.realms.native.default_file]",
            "xpack.security.authc.realms.file.reserved.order=1 | Found realm configured with name clashing with the [reserved] realm: [xpack.security.authc.realms.file.reserved]",
            "xpack.security.authc.realms.file.f1.order=first | Failed to parse value [first] for setting [xpack.security.authc.realms.file.f1.order]",
            "xpack.security.authc.realms.file | unknown setting [xpack.security.authc.realms.file] please check",
        })
        void realmChainErrorsNameTheRealm(String given, String message) {
            Map<String, String> raw = new LinkedHashMap<>();
            for (String kv : given.split(",")) {
                int eq = kv.indexOf('=');
                raw.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "1" : kv.substring(eq + 1));
            }
            assertThatThrownBy(() -> settings(home, raw)).isInstanceOf(SettingsException.class).hasMessageStartingWith(message);
        }

        @Test
        void apiKeyCacheHasElasticsearchsSettingsAndDefaults() {
            NodeSettings d = settings(home, Map.of());
            assertThat(d.apiKeyCacheTtl()).isEqualTo(Duration.ofHours(24));
            assertThat(d.apiKeyCacheMaxKeys()).isEqualTo(25_000);
            assertThat(d.apiKeyCacheHasher().name()).isEqualToIgnoringCase("ssha256");
            NodeSettings s = settings(home, Map.of("xpack.security.authc.api_key.cache.ttl", "0",
                    "xpack.security.authc.api_key.cache.max_keys", "70000", "xpack.security.authc.api_key.cache.hash_algo", "pbkdf2"));
            assertThat(s.apiKeyCacheTtl()).isZero();
            assertThat(s.apiKeyCacheMaxKeys()).isEqualTo(70_000);
            assertThat(s.apiKeyCacheHasher().name()).isEqualToIgnoringCase("pbkdf2");
            assertThatThrownBy(() -> settings("xpack.security.authc.api_key.cache.max_keys", "-1"))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("[xpack.security.authc.api_key.cache.max_keys]");
        }

        @Test
        void userManagedServiceAccountCacheHasElasticsearchsSettingsAndDefaults() {
            NodeSettings d = settings(home, Map.of());
            assertThat(d.accountCacheTtl()).isEqualTo(Duration.ofMinutes(20));
            assertThat(d.accountCacheMaxAccounts()).isEqualTo(10_000);
            NodeSettings s = settings(home, Map.of("xpack.security.authc.user_managed_service_account.cache.ttl", "0",
                    "xpack.security.authc.user_managed_service_account.cache.max_accounts", "50"));
            assertThat(s.accountCacheTtl()).isZero();
            assertThat(s.accountCacheMaxAccounts()).isEqualTo(50);
            assertThatThrownBy(() -> settings("xpack.security.authc.user_managed_service_account.cache.max_accounts", "-1"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[xpack.security.authc.user_managed_service_account.cache.max_accounts]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"path.data", "path.logs", "xpack.security.http.ssl.keystore.path", "xpack.security.http.ssl.certificate",
                "xpack.security.http.ssl.certificate_authorities"})
        void aPathThePlatformCannotRepresentNamesTheSetting(String key) {
            assertThatThrownBy(() -> settings(key, "bad\u0000path"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("Failed to parse value [bad\u0000path] for setting [" + key + "]: ");
        }

        @Test
        void apiKeysCanBeSaidEnabledButNotDisabled() {
            assertThat(settings("xpack.security.authc.api_key.enabled", "true").inapplicableSettings()).isEmpty();
            assertThatThrownBy(() -> settings("xpack.security.authc.api_key.enabled", "false"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("svctoken always serves API keys (Kibana enrollment and its tools are built on them):"
                            + " [xpack.security.authc.api_key.enabled] cannot be false");
        }

        @Test
        void theTokenServiceIsOffWithoutHttpsUnlessEnabledAndItsTimeoutIsBounded() {
            NodeSettings d = settings(home, Map.of());
            assertThat(d.oauth2Tokens().enabled(false)).isFalse();
            assertThat(d.oauth2Tokens().enabled(true)).isTrue();
            assertThat(d.oauth2Tokens().timeout()).isEqualTo(Duration.ofMinutes(20));
            assertThat(d.oauth2Tokens().deleteInterval()).isEqualTo(Duration.ofMinutes(30));
            assertThat(settings("xpack.security.authc.token.delete.interval", "1h").oauth2Tokens().deleteInterval()).isEqualTo(Duration.ofHours(1));
            assertThat(settings("xpack.security.authc.token.delete.timeout", "10s").inapplicableSettings())
                    .containsExactly("xpack.security.authc.token.delete.timeout");
            NodeSettings s = settings(home, Map.of("xpack.security.authc.token.enabled", "true", "xpack.security.authc.token.timeout", "1h"));
            assertThat(s.oauth2Tokens().enabled(false)).isTrue();
            assertThat(settings("xpack.security.authc.token.enabled", "false").oauth2Tokens().enabled(true)).isFalse();
            assertThat(s.oauth2Tokens().timeout()).isEqualTo(Duration.ofHours(1));
            assertThat(s.inapplicableSettings()).isEmpty();
            assertThatThrownBy(() -> settings("xpack.security.authc.token.timeout", "61m"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("failed to parse value [61m] for setting [xpack.security.authc.token.timeout], must be <= [1h]");
            assertThatThrownBy(() -> settings("xpack.security.authc.token.timeout", "500ms"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("failed to parse value [500ms] for setting [xpack.security.authc.token.timeout], must be >= [1s]");
            assertThatThrownBy(() -> settings("xpack.security.authc.token.enabled", "yes"))
                    .isInstanceOf(SettingsException.class).hasMessageContaining("[xpack.security.authc.token.enabled]");
        }

        @Test
        void enrollmentIsOnByDefaultAndTakesElasticsearchsBooleans() {
            assertThat(settings(home, Map.of()).enrollmentEnabled()).isTrue();
            assertThat(settings("xpack.security.enrollment.enabled", "true").enrollmentEnabled()).isTrue();
            assertThat(settings("xpack.security.enrollment.enabled", "false").enrollmentEnabled()).isFalse();
            assertThatThrownBy(() -> settings("xpack.security.enrollment.enabled", "yes"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[xpack.security.enrollment.enabled]");
        }

        @Test
        void unknownSettingFromTheFileIsRejected() throws IOException {
            Path dir = configDir();
            write(dir, "svctoken.yml", "http:\n  port: 9201\n  pot: 1\n");
            Map<String, String> raw = SettingsLoader.load(dir, List.of(), Map.of());
            assertThatThrownBy(() -> new NodeSettings(home, dir, raw))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("unknown setting [http.pot]" + UNKNOWN_SUFFIX);
        }

        @Test
        void portNotANumber() {
            assertThatThrownBy(() -> settings("http.port", "abc"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("Failed to parse value [abc] for setting [http.port]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"70000", "65536", "-1"})
        void portOutOfRange(String value) {
            assertThatThrownBy(() -> settings("http.port", value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("Failed to parse value [" + value + "] for setting [http.port] must be between 0 and 65535");
        }

        @ParameterizedTest
        @ValueSource(strings = {"5x", "abc", "m", "", "5", "1.5h", "10 minutes"})
        void ttlNotATimeValue(String value) {
            assertThatThrownBy(() -> settings("xpack.security.authc.service_token.cache.ttl", value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[xpack.security.authc.service_token.cache.ttl]")
                    .hasMessageContaining("[" + value + "]");
        }

        @Test
        void ttlWithUnknownUnitSaysSo() {
            assertThatThrownBy(() -> settings("xpack.security.authc.service_token.cache.ttl", "5x"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessage("failed to parse setting [xpack.security.authc.service_token.cache.ttl] with value [5x]"
                            + " as a time value: unit is missing or unrecognized");
        }

        @Test
        void negativeTtlOtherThanMinusOneIsRejected() {
            // Elasticsearch's TimeValue refuses durations below -1 ("duration cannot be negative")
            assertThatThrownBy(() -> settings("xpack.security.authc.service_token.cache.ttl", "-5m"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[xpack.security.authc.service_token.cache.ttl]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"sha1", "md5", "ssha256", "noop", "clear_text", "argon2", "pbkdf2_999", "bcrypt3"})
        void tokenHashingRejectsNonPasswordAlgorithms(String value) {
            String key = "xpack.security.authc.service_token_hashing.algorithm";
            assertThatThrownBy(() -> settings(key, value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("Invalid algorithm: " + value + ". Valid values for password hashing are [")
                    .hasMessageContaining("[" + key + "]");
        }

        @Test
        void tokenHashingSha1MessageListsTheValidValues() {
            String key = "xpack.security.authc.service_token_hashing.algorithm";
            assertThatThrownBy(() -> settings(key, "sha1"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining(key)
                    .hasMessageContaining("pbkdf2_stretch")
                    .hasMessageContaining("bcrypt")
                    .hasMessageContaining("pbkdf2_1000")
                    .satisfies(e -> assertThat(valuesListedIn(e.getMessage())).doesNotContain("sha1", "md5", "ssha256", "noop"));
        }

        @Test
        void passwordHashingRejectsSha1NamingItsSetting() {
            String key = "xpack.security.authc.password_hashing.algorithm";
            assertThatThrownBy(() -> settings(key, "sha1"))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[" + key + "]")
                    .hasMessageContaining("bcrypt");
        }

        @ParameterizedTest
        @ValueSource(strings = {"sha256", "ssha512", "", "bcrypt99"})
        void cacheHashAlgoRejectsUnknownAlgorithms(String value) {
            String key = "xpack.security.authc.service_token.cache.hash_algo";
            assertThatThrownBy(() -> settings(key, value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[" + key + "]")
                    .hasMessageContaining("ssha256");
        }

        @ParameterizedTest
        @ValueSource(strings = {"7.17", "10", "8.18", "latest"})
        void compatibilityRejectsUnsupportedLines(String value) {
            assertThatThrownBy(() -> settings("svctoken.compatibility.version", value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining("[svctoken.compatibility.version]")
                    .hasMessageContaining(value)
                    .hasMessageContaining("8.19")
                    .hasMessageContaining("9.x");
        }

        @ParameterizedTest
        @CsvSource({"svctoken.worker.threads,0", "svctoken.worker.threads,1025", "svctoken.worker.queue_size,0",
                "svctoken.worker.queue_size,abc", "xpack.security.authc.service_token.cache.max_tokens,-1",
                "xpack.security.authc.service_token.cache.max_tokens,1e6"})
        void integersOutOfRangeOrMalformed(String key, String value) {
            assertThatThrownBy(() -> settings(key, value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageStartingWith("Failed to parse value [" + value + "] for setting [" + key + "]");
        }

        @Test
        void theFirstBadSettingStopsTheLoad() {
            Map<String, String> raw = new LinkedHashMap<>();
            raw.put("node.name", "ok");
            raw.put("http.port", "abc");
            assertThatThrownBy(() -> settings(home, raw)).isInstanceOf(SettingsException.class).hasMessageContaining("[http.port]");
        }

        private List<String> valuesListedIn(String message) {
            int open = message.indexOf('[');
            int close = message.indexOf(']', open);
            return List.of(message.substring(open + 1, close).split(",\\s*"));
        }
    }
}
