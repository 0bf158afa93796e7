package io.svctoken.server.settings;

import io.svctoken.server.settings.AuditSettings.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code xpack.security.audit.*}: Elasticsearch's defaults, names and refusals. */
class AuditSettingsTest {

    @TempDir
    Path home;

    private AuditSettings audit(Map<String, String> raw) {
        return new NodeSettings(home, home.resolve("config"), raw).audit();
    }

    @Test
    void elasticsearchsDefaults() {
        AuditSettings a = audit(Map.of());
        assertThat(a.enabled()).isFalse();
        assertThat(a.events()).isEqualTo(EnumSet.of(Event.ACCESS_DENIED, Event.ACCESS_GRANTED, Event.ANONYMOUS_ACCESS_DENIED,
                Event.AUTHENTICATION_FAILED, Event.CONNECTION_DENIED, Event.TAMPERED_REQUEST, Event.RUN_AS_DENIED, Event.RUN_AS_GRANTED,
                Event.SECURITY_CONFIG_CHANGE));
        assertThat(a.emitRequestBody()).isFalse();
        assertThat(List.of(a.emitNodeName(), a.emitHostAddress(), a.emitHostName(), a.emitClusterName())).containsOnly(false);
        assertThat(List.of(a.emitNodeId(), a.emitClusterUuid())).containsOnly(true);
        assertThat(a.policies()).isEmpty();
        assertThat(a.onWriteFailure()).isEqualTo(AuditSettings.OnWriteFailure.CONTINUE);
        assertThat(new NodeSettings(home, home.resolve("config"), Map.of()).auditLogsPath()).isEqualTo(home.resolve("logs"));
    }

    @Test
    void includeAllExcludeWins() {
        AuditSettings a = audit(Map.of("xpack.security.audit.enabled", "true", "xpack.security.audit.logfile.events.include", "_all",
                "xpack.security.audit.logfile.events.exclude", "access_granted, AUTHENTICATION_SUCCESS"));
        assertThat(a.enabled()).isTrue();
        assertThat(a.events()).isEqualTo(EnumSet.complementOf(EnumSet.of(Event.ACCESS_GRANTED, Event.AUTHENTICATION_SUCCESS)));
        assertThat(audit(Map.of("xpack.security.audit.logfile.events.include", "authentication_success,access_denied")).events())
                .isEqualTo(EnumSet.of(Event.AUTHENTICATION_SUCCESS, Event.ACCESS_DENIED));
        assertThat(audit(Map.of("xpack.security.audit.logfile.events.include", "")).events()).isEmpty();
    }

    @Test
    void anUnknownEventNameStopsTheStartWithElasticsearchsMessage() {
        assertThatThrownBy(() -> audit(Map.of("xpack.security.audit.logfile.events.include", "access_granted,nope")))
                .isInstanceOf(SettingsException.class).hasMessage("invalid event name specified [nope]");
        assertThatThrownBy(() -> audit(Map.of("xpack.security.audit.logfile.events.exclude", "_all,bad")))
                .isInstanceOf(SettingsException.class).hasMessage("invalid event name specified [bad]");
    }

    @Test
    void ignoreFiltersArePoliciesOfFiveFields() {
        AuditSettings a = audit(Map.of("xpack.security.audit.logfile.events.ignore_filters.p1.users", "kibana_system,beats_*",
                "xpack.security.audit.logfile.events.ignore_filters.p1.realms", "reserved",
                "xpack.security.audit.logfile.events.ignore_filters.p2.indices", "logs-*"));
        assertThat(a.policies()).containsOnlyKeys("p1", "p2");
        assertThat(a.policies().get("p1")).isEqualTo(new AuditSettings.Policy(List.of("kibana_system", "beats_*"), List.of("reserved"),
                List.of("*"), List.of("*"), List.of("*")));
        assertThat(a.policies().get("p2").indices()).containsExactly("logs-*");
        assertThatThrownBy(() -> audit(Map.of("xpack.security.audit.logfile.events.ignore_filters.p1.hosts", "x")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("unknown setting [xpack.security.audit.logfile.events.ignore_filters.p1.hosts]");
        assertThatThrownBy(() -> audit(Map.of("xpack.security.audit.logfile.unknown", "x")))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("unknown setting [xpack.security.audit.logfile.unknown]");
    }

    @Test
    void badValuesNameTheirSetting() {
        assertThatThrownBy(() -> audit(Map.of("xpack.security.audit.enabled", "yes")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("[xpack.security.audit.enabled]");
        assertThatThrownBy(() -> audit(Map.of("svctoken.audit.on_write_failure", "block")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("unknown value [block] for setting [svctoken.audit.on_write_failure], expected one of [continue, refuse]");
        assertThat(audit(Map.of("svctoken.audit.on_write_failure", "refuse")).onWriteFailure()).isEqualTo(AuditSettings.OnWriteFailure.REFUSE);
    }
}
