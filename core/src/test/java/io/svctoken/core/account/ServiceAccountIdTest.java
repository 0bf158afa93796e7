package io.svctoken.core.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceAccountIdTest {

    @Test
    void parsesAtFirstSlash() {
        ServiceAccountId id = ServiceAccountId.fromPrincipal("elastic/fleet-server");
        assertThat(id.namespace()).isEqualTo("elastic");
        assertThat(id.serviceName()).isEqualTo("fleet-server");
        assertThat(id.asPrincipal()).isEqualTo("elastic/fleet-server");
        assertThat(ServiceAccountId.fromPrincipal("a/b/c").serviceName()).isEqualTo("b/c");
    }

    @Test
    void noSlashGivesElasticsearchMessage() {
        assertThatThrownBy(() -> ServiceAccountId.fromPrincipal("fleet-server"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a service account ID must be in the form {namespace}/{service-name}, but was [fleet-server]");
    }

    @Test
    void blankPartsGiveElasticsearchMessages() {
        assertThatThrownBy(() -> ServiceAccountId.fromPrincipal("/fleet-server"))
                .hasMessage("the namespace of a service account ID must not be empty");
        assertThatThrownBy(() -> ServiceAccountId.fromPrincipal("  /fleet-server"))
                .hasMessage("the namespace of a service account ID must not be empty");
        assertThatThrownBy(() -> ServiceAccountId.fromPrincipal("elastic/"))
                .hasMessage("the service-name of a service account ID must not be empty");
        assertThatThrownBy(() -> ServiceAccountId.fromPrincipal("elastic/ "))
                .hasMessage("the service-name of a service account ID must not be empty");
    }
}
