package io.svctoken.core.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltinServiceAccountsTest {

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void elasticsearch819AccountSet() {
        BuiltinServiceAccounts a = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19);
        assertThat(a.principals()).containsExactly("elastic/auto-ops", "elastic/enterprise-search-server", "elastic/fleet-server",
                "elastic/fleet-server-remote", "elastic/kibana");
        assertThat(a.isKnown(new ServiceAccountId("elastic", "kibana"))).isTrue();
        assertThat(a.isKnown(new ServiceAccountId("elastic", "foo"))).isFalse();
        assertThat(a.find("elastic/kibana").orElseThrow().fullName()).isEqualTo("Service account - elastic/kibana");
    }

    @Test
    void elasticsearch9AccountSetHasNoEnterpriseSearch() {
        assertThat(BuiltinServiceAccounts.forVersion(CompatibilityVersion.V9).principals())
                .containsExactly("elastic/auto-ops", "elastic/fleet-server", "elastic/fleet-server-remote", "elastic/kibana");
    }

    @ParameterizedTest
    @EnumSource(CompatibilityVersion.class)
    void everyDescriptorIsInDisplayOrder(CompatibilityVersion v) {
        List<String> order = List.of("cluster", "global", "indices", "applications", "run_as", "metadata", "transient_metadata",
                "remote_indices", "remote_cluster", "restriction", "description");
        for (ServiceAccount a : BuiltinServiceAccounts.forVersion(v).all()) {
            JsonNode rd = a.roleDescriptor().toDisplayJson();
            List<String> f = fields(rd);
            assertThat(f).as(a.principal()).containsSubsequence("cluster", "indices", "applications", "run_as", "metadata", "transient_metadata");
            assertThat(f).as(a.principal()).isSortedAccordingTo((x, y) -> Integer.compare(order.indexOf(x), order.indexOf(y)));
            assertThat(rd.get("transient_metadata").toString()).isEqualTo("{\"enabled\":true}");
            rd.get("indices").forEach(g -> {
                List<String> gf = fields(g);
                assertThat(gf.get(0)).isEqualTo("names");
                assertThat(gf.get(1)).isEqualTo("privileges");
                assertThat(gf.get(gf.size() - 1)).isEqualTo("allow_restricted_indices");
            });
            assertThat(a.roleDescriptor().cluster()).isNotEmpty();
            assertThat(rd.has("name")).isFalse();
        }
    }

    @Test
    void fleetServerMatchesTheSpecForNine() throws Exception {
        // the role descriptor of Elasticsearch's newest 9.x source
        JsonNode rd = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V9).find("elastic/fleet-server").orElseThrow()
                .roleDescriptor().toDisplayJson();
        assertThat(rd.get("cluster").toString())
                .isEqualTo("[\"monitor\",\"manage_own_api_key\",\"read_fleet_secrets\",\"cluster:admin/xpack/connector/*\"]");
        assertThat(rd.get("indices")).hasSize(16);
        assertThat(rd.at("/indices/0/names/0").asText()).isEqualTo("logs-*");
        assertThat(rd.at("/indices/15/names/0").asText()).isEqualTo("agentless-*");
        assertThat(rd.get("applications").toString())
                .isEqualTo("[{\"application\":\"kibana-*\",\"privileges\":[\"reserved_fleet-setup\"],\"resources\":[\"*\"]}]");
    }

    @Test
    void kibanaIsTheKibanaSystemRole() {
        for (CompatibilityVersion v : CompatibilityVersion.values()) {
            RoleDescriptor rd = BuiltinServiceAccounts.forVersion(v).find("elastic/kibana").orElseThrow().roleDescriptor();
            JsonNode j = rd.toDisplayJson();
            assertThat(rd.cluster()).startsWith("monitor", "manage_index_templates").contains("manage_own_api_key", "cancel_task");
            assertThat(j.get("metadata").toString()).isEqualTo("{\"_reserved\":true}");
            assertThat(j.get("indices").size()).isGreaterThan(60);
            assertThat(j.at("/global/application/manage/applications/0").asText()).isEqualTo("kibana-*");
            assertThat(j.get("remote_cluster").toString()).isEqualTo("[{\"privileges\":[\"monitor_stats\"],\"clusters\":[\"*\"]}]");
            assertThat(j.get("description").asText()).startsWith("Grants access necessary for the Kibana system user");
        }
    }

    @Test
    void displayJsonIsACopy() {
        RoleDescriptor rd = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19).find("elastic/auto-ops").orElseThrow().roleDescriptor();
        rd.toDisplayJson().putArray("cluster").add("all");
        assertThat(rd.toDisplayJson().get("cluster").toString()).isEqualTo("[\"monitor\",\"read_ilm\",\"read_slm\"]");
    }

    @Test
    void compatibilityVersionParsing() {
        assertThat(CompatibilityVersion.parse("8.19")).isEqualTo(CompatibilityVersion.V8_19);
        assertThat(CompatibilityVersion.parse("9.X")).isEqualTo(CompatibilityVersion.V9);
        assertThatThrownBy(() -> CompatibilityVersion.parse("7.17")).hasMessageContaining("[7.17]");
    }

    @Test
    void dataFilesSayWhereTheyCameFrom() throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (CompatibilityVersion v : CompatibilityVersion.values()) {
            for (String p : BuiltinServiceAccounts.forVersion(v).principals()) {
                ServiceAccountId id = ServiceAccountId.fromPrincipal(p);
                String res = "/io/svctoken/core/accounts/" + v.resourceDir() + "/" + id.namespace() + "." + id.serviceName() + ".json";
                JsonNode file = m.readTree(getClass().getResourceAsStream(res));
                assertThat(file.get("source").asText()).as(res).contains("elastic/elasticsearch");
                assertThat(file.get("es_version").asText()).isEqualTo(v.resourceDir());
            }
        }
    }
}
