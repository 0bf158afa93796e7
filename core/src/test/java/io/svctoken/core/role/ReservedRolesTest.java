package io.svctoken.core.role;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.RoleDescriptor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReservedRolesTest {

    private static final List<String> ORDER = List.of("cluster", "global", "indices", "applications", "run_as", "metadata",
            "transient_metadata", "remote_indices", "remote_cluster", "restriction", "description");

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theRolesOfEachVersion() {
        ReservedRoles r819 = ReservedRoles.forVersion(CompatibilityVersion.V8_19);
        ReservedRoles r9 = ReservedRoles.forVersion(CompatibilityVersion.V9);
        for (ReservedRoles r : List.of(r819, r9)) {
            assertThat(r.names()).contains("superuser", "viewer", "editor", "kibana_system", "kibana_admin", "kibana_user", "monitoring_user",
                    "remote_monitoring_agent", "remote_monitoring_collector", "logstash_system", "beats_system", "apm_system", "ingest_admin",
                    "transport_client", "reporting_user", "snapshot_user");
            assertThat(new ArrayList<>(r.names())).isSorted();
            assertThat(r.sourceOrder()).startsWith("superuser", "transport_client").endsWith("viewer", "editor");
            assertThat(r.isReserved("my_role")).isFalse();
            assertThat(r.find("my_role")).isEmpty();
        }
        assertThat(r819.isReserved("data_frame_transforms_admin")).isTrue();
        assertThat(r9.isReserved("data_frame_transforms_admin")).isFalse();
        assertThat(r819.names()).hasSize(31);
        assertThat(r9.names()).hasSize(29);
        assertThat(r819.version()).isEqualTo(CompatibilityVersion.V8_19);
        assertThat(ReservedRoles.forVersion(CompatibilityVersion.V8_19)).isSameAs(r819);
    }

    @Test
    void superuser() {
        JsonNode su = ReservedRoles.forVersion(CompatibilityVersion.V8_19).find("superuser").orElseThrow().toDisplayJson();
        assertThat(fields(su)).containsExactly("cluster", "indices", "applications", "run_as", "metadata", "transient_metadata",
                "remote_indices", "remote_cluster", "description");
        assertThat(su.get("cluster").toString()).isEqualTo("[\"all\"]");
        assertThat(su.get("indices").toString()).isEqualTo("[{\"names\":[\"*\"],\"privileges\":[\"all\"],\"allow_restricted_indices\":false},"
                + "{\"names\":[\"*\"],\"privileges\":[\"monitor\",\"read\",\"view_index_metadata\",\"read_cross_cluster\"],\"allow_restricted_indices\":true}]");
        assertThat(su.get("applications").toString()).isEqualTo("[{\"application\":\"*\",\"privileges\":[\"*\"],\"resources\":[\"*\"]}]");
        assertThat(su.get("run_as").toString()).isEqualTo("[\"*\"]");
        assertThat(su.get("metadata").toString()).isEqualTo("{\"_reserved\":true}");
        assertThat(su.get("transient_metadata").toString()).isEqualTo("{}");
        assertThat(su.get("remote_cluster").toString()).isEqualTo("[{\"privileges\":[\"monitor_enrich\",\"monitor_stats\"],\"clusters\":[\"*\"]}]");
        assertThat(su.get("description").asText()).startsWith("Grants full access to cluster management and data indices.");
    }

    @ParameterizedTest
    @EnumSource(CompatibilityVersion.class)
    void aRolesFileIsParsedOnItsFirstUseNotAtTheStart(CompatibilityVersion v) {
        // The start needs the names; the first GET / needs superuser only (the other ~30 files: ~40 ms of a start's CPU)
        ReservedRoles r = ReservedRoles.load(v);
        assertThat(r.parsed()).isZero();
        assertThat(r.isReserved("viewer")).isTrue();
        assertThat(r.names()).contains("superuser", "kibana_system");
        assertThat(r.parsed()).isZero();
        RoleDescriptor su = r.find("superuser").orElseThrow();
        assertThat(r.parsed()).isEqualTo(1);
        assertThat(r.find("superuser").orElseThrow()).isSameAs(su);
        assertThat(r.find("no_such_role")).isEmpty();
        assertThat(r.all()).hasSize(r.names().size());
        assertThat(r.parsed()).isEqualTo(r.names().size());
        // the same descriptors as the loaded instance's, in the same (name) order
        assertThat(r.all().stream().map(d -> d.name() + d.toDisplayJson()).toList())
                .isEqualTo(ReservedRoles.forVersion(v).all().stream().map(d -> d.name() + d.toDisplayJson()).toList());
    }

    @ParameterizedTest
    @EnumSource(CompatibilityVersion.class)
    void kibanaSystemIsTheKibanaServiceAccountsDescriptor(CompatibilityVersion v) {
        RoleDescriptor ks = ReservedRoles.forVersion(v).find("kibana_system").orElseThrow();
        assertThat(ks.name()).isEqualTo("kibana_system");
        assertThat(ks.toDisplayJson().toString())
                .isEqualTo(BuiltinServiceAccounts.forVersion(v).find("elastic/kibana").orElseThrow().roleDescriptor().toDisplayJson().toString());
    }

    @ParameterizedTest
    @EnumSource(CompatibilityVersion.class)
    void everyDescriptorIsInDisplayFormAndReParsesToItself(CompatibilityVersion v) throws Exception {
        for (RoleDescriptor rd : ReservedRoles.forVersion(v).all()) {
            ObjectNode j = rd.toDisplayJson();
            assertThat(fields(j)).as(rd.name()).containsSubsequence("cluster", "indices", "applications", "run_as", "metadata", "transient_metadata");
            assertThat(fields(j)).as(rd.name()).isSortedAccordingTo((x, y) -> Integer.compare(ORDER.indexOf(x), ORDER.indexOf(y)));
            assertThat(j.get("metadata").get("_reserved").asBoolean()).as(rd.name()).isTrue();
            for (String list : List.of("indices", "remote_indices")) {
                j.path(list).forEach(g -> {
                    List<String> gf = fields(g);
                    assertThat(gf.subList(0, 2)).containsExactly("names", "privileges");
                    assertThat(gf).contains("allow_restricted_indices");
                });
            }
            if (!rd.name().equals("superuser")) {
                assertThat(j.get("transient_metadata").toString()).as(rd.name()).isEqualTo("{\"enabled\":true}");
            }
            if (rd.name().equals("kibana_system")) {
                continue; // restriction-free but carries description etc.; same parser path is exercised by the others
            }
            // what the API would read back from this display form is the same descriptor
            try (JsonParser p = RoleDescriptorParser.JSON.createParser(j.toString())) {
                ObjectNode again = RoleDescriptorParser.parse(rd.name(), p, false);
                ObjectNode expected = j.deepCopy();
                expected.set("transient_metadata", again.get("transient_metadata"));
                assertThat(again).as(rd.name()).isEqualTo(expected);
            }
        }
    }

    @Test
    void deprecatedRolesSayWhy() {
        JsonNode md = ReservedRoles.forVersion(CompatibilityVersion.V9).find("kibana_user").orElseThrow().toDisplayJson().get("metadata");
        assertThat(md.toString()).isEqualTo("{\"_reserved\":true,\"_deprecated\":true,\"_deprecated_reason\":\"Please use the [kibana_admin] role instead\"}");
        assertThat(ReservedRoles.forVersion(CompatibilityVersion.V9).find("reporting_user").orElseThrow().toDisplayJson().at("/metadata/_deprecated").asBoolean())
                .isTrue();
    }

    @Test
    void dataFilesSayWhereTheyCameFrom() throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (CompatibilityVersion v : CompatibilityVersion.values()) {
            String dir = "/io/svctoken/core/roles/" + v.resourceDir() + "/";
            JsonNode index = m.readTree(getClass().getResourceAsStream(dir + "roles.json"));
            assertThat(index.get("version").asText()).isEqualTo(v.resourceDir());
            assertThat(index.get("source").asText()).isNotBlank();
            for (JsonNode n : index.get("roles")) {
                if (index.path("from_accounts").has(n.asText())) {
                    continue;
                }
                JsonNode file = m.readTree(getClass().getResourceAsStream(dir + n.asText() + ".json"));
                assertThat(file.get("source").asText()).as(n.asText()).contains("elastic/elasticsearch").contains("ReservedRolesStore.java");
                assertThat(file.get("es_version").asText()).isEqualTo(v.resourceDir());
            }
        }
    }
}
