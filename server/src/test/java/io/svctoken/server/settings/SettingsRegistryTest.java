package io.svctoken.server.settings;

import io.svctoken.server.ServerEsMessages;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SettingsRegistry} and {@link Setting}: every setting declared once and known, secure values never shown. */
class SettingsRegistryTest {

    // long enough for every secure setting (a signing key takes 32 characters or more)
    private static final String SECRET = "s3cr3t-Pa55word-long-enough-for-a-key";
    private static final List<Class<?>> DECLARING = List.of(NodeSettings.class, HttpSslSettings.class, RealmSettings.class,
            StoreSettings.class, ClusterSettings.class, GatewaySettings.class, TokenLifecycleSettings.class, OAuth2TokenSettings.class,
            AuditSettings.class, LoggingSettings.class, ConsoleSettings.class);

    @TempDir
    Path home;

    /** Every {@code public static final Setting} field of the settings classes. */
    private static List<Setting<?>> declaredFields() throws IllegalAccessException {
        List<Setting<?>> out = new ArrayList<>();
        for (Class<?> c : DECLARING) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == Setting.class && Modifier.isStatic(f.getModifiers())) {
                    out.add((Setting<?>) f.get(null));
                }
            }
        }
        return out;
    }

    @Test
    void everyDeclaredSettingIsInTheRegistryExactlyOnce() throws Exception {
        List<Setting<?>> registered = NodeSettings.REGISTRY.settings();
        assertThat(registered).doesNotHaveDuplicates();
        assertThat(registered.stream().map(Setting::key)).doesNotHaveDuplicates();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(declaredFields());
    }

    @Test
    void aKeyDeclaredTwiceOrOutsideItsNamespaceIsAProgrammingError() {
        Setting<Boolean> a = Setting.bool("a.b", true);
        Setting<Boolean> again = Setting.bool("a.b", false);
        assertThatThrownBy(() -> new SettingsRegistry(List.of(
                new SettingsRegistry.Group<>("one", null, List.of(a), c -> null),
                new SettingsRegistry.Group<>("two", "a.", List.of(again), c -> null)), k -> null, k -> false))
                .isInstanceOf(IllegalStateException.class).hasMessage("setting [a.b] is declared twice");
        assertThatThrownBy(() -> new SettingsRegistry(List.of(new SettingsRegistry.Group<>("ns", "x.", List.of(a), c -> null)),
                k -> null, k -> false))
                .isInstanceOf(IllegalStateException.class).hasMessage("setting [a.b] is outside its group's namespace [x.]");
    }

    /** A declared key is never "unknown": a bad value reaches its parser (or its group's check). */
    @Test
    void everyDeclaredSettingIsKnown() {
        for (Setting<?> s : NodeSettings.REGISTRY.settings()) {
            String key = s.isAffix() ? s.concrete("native", "n1") : s.key();
            assertThat(s.matches(key)).as(key).isTrue();
            Map<String, String> raw = new LinkedHashMap<>();
            raw.put(key, "not a value\u0000");
            try {
                new NodeSettings(home, home.resolve("config"), raw);
            } catch (SettingsException e) {
                assertThat(e.getMessage()).as(key).isNotEqualTo(ServerEsMessages.unknownSetting(key));
            }
        }
        assertThat(NodeSettings.knownSettings()).doesNotContain(StoreSettings.TYPE.key()).contains("http.port", "svctoken.cluster.ack_timeout");
    }

    @Test
    void secureSettingsHoldSecretsThatNoMessageOrDescriptionShows() {
        List<Setting<?>> secure = NodeSettings.REGISTRY.settings().stream().filter(s -> s.has(Setting.Property.SECURE)).toList();
        assertThat(secure).extracting(Setting::key).containsExactlyInAnyOrder("xpack.security.http.ssl.keystore.password",
                "xpack.security.http.ssl.keystore.key_password", "xpack.security.http.ssl.key_passphrase",
                "svctoken.store.postgresql.password", "svctoken.gateway.upstream_auth.basic.password", "svctoken.gateway.upstream_auth.api_key",
                "svctoken.gateway.identity_header.signing_key");
        for (Setting<?> s : secure) {
            assertThat(s.has(Setting.Property.FILTERED)).isTrue();
            Object value = s.parse(SECRET);
            assertThat(value).isInstanceOf(Secret.class);
            assertThat(value.toString()).doesNotContain(SECRET);
            assertThat(s.toString()).isEqualTo(s.key());
            // alone, each secure setting fails a check of its group: the message names it, never its value
            assertThatThrownBy(() -> new NodeSettings(home, home.resolve("config"), Map.of(s.key(), SECRET)))
                    .isInstanceOf(SettingsException.class).hasMessageContaining(s.key()).hasMessageNotContaining(SECRET);
            SettingsRegistry.Validated v = new SettingsRegistry(List.of(new SettingsRegistry.Group<>("one", null, List.of(s), c -> null)),
                    k -> null, k -> false).validate(home, Map.of(s.key(), SECRET));
            assertThat(v.values().toString()).contains(s.key()).doesNotContain(SECRET);
        }
        assertThatThrownBy(() -> StoreSettings.PG_PASSWORD.parse("")).hasMessage("setting [svctoken.store.postgresql.password] must not be empty");
    }

    @Test
    void theHttpsPasswordsAreNotInTheHttpsSettingsDescription() {
        NodeSettings s = new NodeSettings(home, home.resolve("config"), Map.of("xpack.security.http.ssl.enabled", "true",
                "xpack.security.http.ssl.keystore.path", "http.p12", "xpack.security.http.ssl.keystore.password", SECRET,
                "xpack.security.http.ssl.keystore.key_password", SECRET + "k"));
        assertThat(s.httpSsl().keystorePassword().orElseThrow().revealAsString(SecretAccess.plaintext())).isEqualTo(SECRET);
        assertThat(s.httpSsl().toString()).contains("http.p12").doesNotContain(SECRET);
    }

    @Test
    void affixSettingsMatchOneRealmsKeysOnly() {
        assertThat(RealmSettings.ORDER.key()).isEqualTo("xpack.security.authc.realms.<type>.<name>.order");
        assertThat(RealmSettings.ORDER.concrete("file", "f1")).isEqualTo("xpack.security.authc.realms.file.f1.order");
        assertThat(RealmSettings.ORDER.matches("xpack.security.authc.realms.file.f1.order")).isTrue();
        assertThat(RealmSettings.ORDER.matches("xpack.security.authc.realms.file.f1.x.order")).isFalse();
        assertThat(RealmSettings.ORDER.matches("xpack.security.authc.realms.file.order")).isFalse();
        assertThat(RealmSettings.CACHE_TTL.matches("xpack.security.authc.realms.native.n$1.cache.ttl")).isTrue();
        assertThat(RealmSettings.CACHE_TTL.concrete("native", "n$1")).isEqualTo("xpack.security.authc.realms.native.n$1.cache.ttl");
        assertThatThrownBy(() -> RealmSettings.ORDER.parse(RealmSettings.ORDER.concrete("file", "f1"), "first"))
                .hasMessage("Failed to parse value [first] for setting [xpack.security.authc.realms.file.f1.order]");
    }

    @Test
    void aDefaultMayDependOnOtherSettings() {
        SettingsRegistry.Validated v = NodeSettings.REGISTRY.validate(home, Map.of("network.host", "_site_"));
        assertThat(v.values().get(NodeSettings.HTTP_HOST_SETTING)).isEqualTo("0.0.0.0");
        assertThat(v.values().isSet(NodeSettings.HTTP_HOST_SETTING)).isFalse();
        assertThat(SettingsRegistryTest.defaults().get(NodeSettings.HTTP_HOST_SETTING)).isEqualTo("127.0.0.1");
        assertThat(defaults().get(NodeSettings.PATH_LOGS)).isNull();
        assertThat(defaults().get(ClusterSettings.ACK_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theWholeMapIsCheckedInTheNodesOrder() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("svctoken.store.postgresql.url", "jdbc:postgresql://db/svctoken"); // the store is checked after the HTTPS settings
        raw.put("xpack.security.http.ssl.keystore.path", "http.p12");
        assertThatThrownBy(() -> NodeSettings.REGISTRY.validate(home, raw)).hasMessageStartingWith(
                "invalid configuration for xpack.security.http.ssl - [xpack.security.http.ssl.enabled] is not set");
        raw.put("discovery.type", "single-node");
        raw.put("http.prot", "1"); // a plain unknown key stops the start before any group's check
        assertThatThrownBy(() -> NodeSettings.REGISTRY.validate(home, raw)).hasMessage(ServerEsMessages.unknownSetting("http.prot"));
        raw.remove("http.prot");
        raw.put("xpack.security.http.ssl.enabled", "false");
        assertThatThrownBy(() -> NodeSettings.REGISTRY.validate(home, raw)).hasMessage("[svctoken.store.postgresql.url] is set, but"
                + " [svctoken.store.type] is [sqlite]: set [svctoken.store.type] to [postgresql], or remove the svctoken.store.postgresql.* settings");
        raw.put("svctoken.store.type", "postgresql");
        SettingsRegistry.Validated v = NodeSettings.REGISTRY.validate(home, raw);
        assertThat(v.ignored()).containsExactly("discovery.type");
        assertThat(v.get(StoreSettings.GROUP).type()).isEqualTo(StoreSettings.Type.POSTGRESQL);
        assertThat(v.get(ClusterSettings.GROUP)).isEqualTo(ClusterSettings.DEFAULT);
    }

    private static SettingValues defaults() {
        return SettingValues.empty();
    }
}
