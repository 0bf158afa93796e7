package io.svctoken.core.authz;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** svctoken's lifecycle actions are granted by Elasticsearch's privileges as issue #15 says, with no privilege of svctoken's own. */
class LifecycleActionsTest {

    private static final List<String> CHANGES = List.of(Actions.SVCTOKEN_CREATE_TOKEN, Actions.SVCTOKEN_DISABLE_TOKEN,
            Actions.SVCTOKEN_ENABLE_TOKEN, Actions.SVCTOKEN_ROTATE_TOKEN);

    @Test
    void readingTakesReadSecurityOrManageServiceAccount() {
        for (String p : List.of("read_security", "manage_service_account", "manage_security", "all")) {
            assertThat(ClusterPrivileges.grants(List.of(p), Actions.SVCTOKEN_GET_TOKENS)).as(p).isTrue();
        }
        for (String p : List.of("monitor", "manage", "manage_api_key", "manage_token")) {
            assertThat(ClusterPrivileges.grants(List.of(p), Actions.SVCTOKEN_GET_TOKENS)).as(p).isFalse();
        }
    }

    @Test
    void changingTakesManageServiceAccountNeverReadSecurity() {
        for (String action : CHANGES) {
            assertThat(ClusterPrivileges.grants(List.of("manage_service_account"), action)).as(action).isTrue();
            assertThat(ClusterPrivileges.grants(List.of("manage_security"), action)).as(action).isTrue();
            assertThat(ClusterPrivileges.grants(List.of("read_security"), action)).as(action).isFalse();
            assertThat(ClusterPrivileges.grants(List.of("manage"), action)).as(action).isFalse();
            assertThat(ClusterPrivileges.grantingPrivileges(action)).containsExactly("manage_service_account", "manage_security", "all");
        }
    }
}
