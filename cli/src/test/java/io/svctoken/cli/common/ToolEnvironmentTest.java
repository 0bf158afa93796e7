package io.svctoken.cli.common;

import io.svctoken.server.ServerEsMessages;
import io.svctoken.cli.CliEsMessages;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.user.ReservedUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the tools read from the settings, with the exit codes of Elasticsearch's tools: a bad value of a node
 * setting is 78 with the node's message, of a tool-only setting 70 (an uncaught exception there).
 */
class ToolEnvironmentTest {

    @TempDir
    Path conf;

    private ToolEnvironment load(String... settings) throws CliException {
        return ToolEnvironment.load(List.of(settings), Map.of("ES_PATH_CONF", conf.toString()));
    }

    private static void assertExit(ThrowingRunnable r, int code, String message) {
        assertThatThrownBy(r::run).isInstanceOf(CliException.class).hasMessage(message)
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(code));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void defaults() throws Exception {
        ToolEnvironment env = load();
        assertThat(env.compatibility()).isEqualTo(CompatibilityVersion.DEFAULT);
        assertThat(env.tokenHasher().name()).isEqualTo(Hasher.resolve("pbkdf2_stretch").name());
        assertThat(env.passwordHasher().name()).isEqualTo(Hasher.BCRYPT.name());
        assertThat(env.enrollmentEnabled()).isTrue();
        assertThat(env.fileRealmEnabled()).isTrue();
        assertThat(env.fipsMode()).isFalse();
        assertThat(env.reservedUsers()).isEqualTo(new ReservedUsers(true, null));
        assertThat(env.httpSslConfigured()).isFalse();
        assertThat(env.defaultUrl()).isEqualTo(URI.create("http://127.0.0.1:9200"));
    }

    @Test
    void nodeSettingsAreReadWithTheNodesRules() throws Exception {
        assertExit(() -> load("-Esvctoken.compatibility.version=bogus".substring(2)), ExitCodes.CONFIG,
                "invalid value for [svctoken.compatibility.version]: " + messageOf(() -> CompatibilityVersion.parse("bogus")));
        assertExit(() -> load("xpack.security.enrollment.enabled=maybe").enrollmentEnabled(), ExitCodes.CONFIG,
                ServerEsMessages.notABooleanSetting("maybe", "xpack.security.enrollment.enabled"));
        assertThat(load("xpack.security.enrollment.enabled=false").enrollmentEnabled()).isFalse();
        assertThat(load("xpack.security.authc.service_token_hashing.algorithm=BCRYPT").tokenHasher().name())
                .isEqualTo(Hasher.BCRYPT.name());
        assertExit(() -> load("xpack.security.authc.service_token_hashing.algorithm= bcrypt").tokenHasher(), ExitCodes.CODE_ERROR,
                CliEsMessages.invalidHashingAlgorithm(" bcrypt", Hasher.passwordHashingNames()));
        assertThat(load("xpack.security.fips_mode.enabled=true").passwordHasher()).isEqualTo(Hasher.PBKDF2_STRETCH);
        assertThat(load("network.host=_site_", "http.port=9300").defaultUrl()).isEqualTo(URI.create("http://127.0.0.1:9300"));
        assertThat(load("http.host=::1", "xpack.security.http.ssl.enabled=false").defaultUrl()).isEqualTo(URI.create("http://[::1]:9200"));
        assertExit(() -> load("http.port=http").defaultUrl(), ExitCodes.CONFIG, ServerEsMessages.failedToParseSetting("http", "http.port"));
    }

    @Test
    void toolOnlySettingsFailAsAnUncaughtException() throws Exception {
        assertExit(() -> load("xpack.security.fips_mode.enabled=yes").fipsMode(), ExitCodes.CODE_ERROR,
                ServerEsMessages.notABooleanSetting("yes", "xpack.security.fips_mode.enabled"));
        assertExit(() -> load("xpack.security.authc.reserved_realm.enabled=off").reservedUsers(), ExitCodes.CODE_ERROR,
                ServerEsMessages.notABooleanSetting("off", "xpack.security.authc.reserved_realm.enabled"));
        assertThat(load("xpack.security.authc.reserved_realm.enabled=false", "xpack.security.authc.anonymous.username=anon")
                .reservedUsers()).isEqualTo(new ReservedUsers(false, "anon"));
        assertExit(() -> load("xpack.security.authc.realms.file.f1.enabled=nope").fileRealmEnabled(), ExitCodes.CODE_ERROR,
                ServerEsMessages.notABooleanSetting("nope", "xpack.security.authc.realms.file.f1.enabled"));
        assertThat(load("xpack.security.authc.realms.file.f1.enabled=false").fileRealmEnabled()).isFalse();
        // not a file realm's own enabled setting: not read here
        assertThat(load("xpack.security.authc.realms.native.n1.enabled=nope").fileRealmEnabled()).isTrue();
        assertThat(load("xpack.security.authc.realms.file.f1.x.enabled=false").fileRealmEnabled()).isTrue();
    }

    @Test
    void theSettingsFileIsReadToo() throws Exception {
        Files.writeString(conf.resolve("svctoken.yml"), "xpack.security.fips_mode.enabled: true\nsvctoken.compatibility.version: \"8.19\"\n");
        assertThat(load().fipsMode()).isTrue();
    }

    private static String messageOf(Runnable r) {
        try {
            r.run();
            throw new AssertionError("no exception");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
