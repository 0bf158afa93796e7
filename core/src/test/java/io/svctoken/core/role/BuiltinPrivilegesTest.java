package io.svctoken.core.role;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.role.BuiltinPrivileges.Cluster;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltinPrivilegesTest {

    private static Cluster c(String name) {
        return BuiltinPrivileges.cluster(name).orElseThrow();
    }

    /** Elasticsearch's own roles and service accounts (data of this repository) name only privileges the table knows. */
    @Test
    void everyReservedRoleAndBuiltinAccountUsesKnownNames() {
        for (CompatibilityVersion v : CompatibilityVersion.values()) {
            List<RoleDescriptor> all = new ArrayList<>(ReservedRoles.forVersion(v).all());
            BuiltinServiceAccounts.forVersion(v).all().forEach(sa -> all.add(sa.roleDescriptor()));
            for (RoleDescriptor rd : all) {
                assertThat(BuiltinPrivileges.problems(rd.toDisplayJson())).as("%s %s", v, rd.name()).isEmpty();
            }
        }
    }

    @Test
    void implicationIsDecidedOnTheActionSets() {
        assertThat(BuiltinPrivileges.implies(c("all"), c("manage"))).isTrue();
        assertThat(BuiltinPrivileges.implies(c("manage"), c("all"))).isFalse();
        // manage excludes security actions, so neither it nor manage_ccr (which has has_privileges) contains the other
        assertThat(BuiltinPrivileges.implies(c("manage"), c("manage_ccr"))).isFalse();
        assertThat(BuiltinPrivileges.implies(c("manage_ccr"), c("read_ccr"))).isTrue();
        // manage_security excludes delegate_pki
        assertThat(BuiltinPrivileges.implies(c("manage_security"), c("delegate_pki"))).isFalse();
        assertThat(BuiltinPrivileges.implies(c("manage_security"), c("manage_api_key"))).isTrue();
        assertThat(BuiltinPrivileges.implies(c("monitor_transform"), c("monitor_data_frame_transforms"))).isTrue();
        // the request-checked manage_own_api_key implies nothing else and is implied by nothing else
        assertThat(BuiltinPrivileges.implies(c("manage_api_key"), c("manage_own_api_key"))).isFalse();
        assertThat(BuiltinPrivileges.implies(c("manage_own_api_key"), c("none"))).isFalse();
        assertThat(BuiltinPrivileges.implies(c("read_security"), c("none"))).isTrue();
        assertThat(BuiltinPrivileges.implies(c("manage_connector"), c("read_connector_secrets"))).isFalse();
    }

    @Test
    void accessLevelOrderStartsLowAndEndsWithAll() {
        List<String> names = BuiltinPrivileges.clusterNamesByAccessLevel();
        assertThat(names).hasSize(62).doesNotHaveDuplicates();
        assertThat(names.subList(0, 5)).containsExactly("manage_own_api_key", "manage_data_stream_global_retention",
                "monitor_data_stream_global_retention", "none", "cancel_task");
        assertThat(names.subList(names.size() - 4, names.size())).containsExactly("manage_security", "monitor", "manage", "all");
    }

    @Test
    void namesAreCheckedAsElasticsearchChecksThem() {
        assertThat(BuiltinPrivileges.checkClusterPrivilege("Monitor")).isEmpty();
        assertThat(BuiltinPrivileges.checkClusterPrivilege("cluster:whatever")).isEmpty();
        assertThat(BuiltinPrivileges.checkClusterPrivilege("indices:admin/index_template/put")).isEmpty();
        assertThat(BuiltinPrivileges.checkClusterPrivilege("indices:data/read/search")).get().asString().startsWith("unknown cluster privilege [indices:");
        assertThat(BuiltinPrivileges.checkClusterPrivilege("*")).isPresent();
        assertThat(BuiltinPrivileges.checkIndexPrivileges(List.of("READ", "indices:data/*", "internal:transport/proxy/indices:x"))).isEmpty();
        assertThat(BuiltinPrivileges.checkIndexPrivileges(List.of("cluster:monitor/main"))).isPresent();
        assertThat(BuiltinPrivileges.checkIndexPrivileges(List.of("a", "b", "a"))).contains("duplicate element: a");
        assertThat(BuiltinPrivileges.checkIndexPrivileges(List.of("read", "Bogus", "other")).orElseThrow())
                .startsWith("unknown index privilege [bogus]. ");
    }
}
