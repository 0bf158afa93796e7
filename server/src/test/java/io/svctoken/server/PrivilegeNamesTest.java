package io.svctoken.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.svctoken.server.TestNode.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Made-up privilege names in roles and API keys are Elasticsearch's 400, over real HTTP (issue #12 item 15). */
class PrivilegeNamesTest {

    /** {@code ClusterPrivilegeResolver}'s names, least privileged first, as its unknown-privilege message lists them. */
    static final String CLUSTER_NAMES = "manage_own_api_key,manage_data_stream_global_retention,monitor_data_stream_global_retention,none,"
            + "cancel_task,cross_cluster_replication,cross_cluster_search,delegate_pki,grant_api_key,manage_autoscaling,manage_index_templates,"
            + "manage_logstash_pipelines,manage_oidc,manage_saml,manage_search_application,manage_search_query_rules,manage_search_synonyms,"
            + "manage_service_account,manage_token,manage_user_profile,monitor_connector,monitor_enrich,monitor_inference,monitor_ml,"
            + "monitor_rollup,monitor_snapshot,monitor_stats,monitor_text_structure,monitor_watcher,post_behavioral_analytics_event,read_ccr,"
            + "read_connector_secrets,read_fleet_secrets,read_ilm,read_pipeline,read_security,read_slm,transport_client,"
            + "write_connector_secrets,write_fleet_secrets,create_snapshot,manage_api_key,manage_behavioral_analytics,manage_ccr,"
            + "manage_connector,manage_enrich,manage_ilm,manage_inference,manage_ml,manage_rollup,manage_slm,manage_watcher,"
            + "monitor_data_frame_transforms,monitor_transform,manage_ingest_pipelines,manage_pipeline,manage_data_frame_transforms,"
            + "manage_transform,manage_security,monitor,manage,all";
    /** {@code IndexPrivilege}'s names, alphabetically as 8.19 lists them. */
    static final String INDEX_NAMES = "all,auto_configure,create,create_doc,create_index,cross_cluster_replication,"
            + "cross_cluster_replication_internal,delete,delete_index,index,maintenance,manage,manage_data_stream_lifecycle,"
            + "manage_failure_store,manage_follow_index,manage_ilm,manage_leader_index,monitor,none,read,read_cross_cluster,"
            + "read_failure_store,view_index_metadata,write";

    @TempDir
    static Path home;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(home, Map.of());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static String unknownCluster(String name) {
        return "unknown cluster privilege [" + name + "]. a privilege must be either one of the predefined cluster privilege names ["
                + CLUSTER_NAMES + "] or a pattern over one of the available cluster actions";
    }

    static String unknownIndex(String name) {
        return "unknown index privilege [" + name + "]. a privilege must be either one of the predefined fixed indices privileges ["
                + INDEX_NAMES + "] or a pattern over one of the available index actions";
    }

    private static void assertValidation(Response r, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode e = r.json().get("error");
        assertThat(e.get("type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(e.get("reason").asText()).isEqualTo(reason);
        assertThat(e.at("/root_cause/0/type").asText()).isEqualTo("action_request_validation_exception");
        assertThat(e.at("/root_cause/0/reason").asText()).isEqualTo(reason);
    }

    @Test
    void aMadeUpClusterPrivilegeIsRefused() throws Exception {
        assertValidation(node.asElastic("PUT", "/_security/role/bad", "{\"cluster\":[\"nonsense\"]}"),
                "Validation Failed: 1: " + unknownCluster("nonsense") + ";");
        assertThat(node.asElastic("GET", "/_security/role/bad").status()).isEqualTo(404);
    }

    @Test
    void aMadeUpIndexPrivilegeIsRefused() throws Exception {
        assertValidation(node.asElastic("PUT", "/_security/role/bad_index",
                        "{\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\",\"reed\",\"rread\"]}]}"),
                "Validation Failed: 1: " + unknownIndex("reed") + ";");
        assertValidation(node.asElastic("PUT", "/_security/role/bad_index",
                        "{\"remote_indices\":[{\"clusters\":[\"c\"],\"names\":[\"logs-*\"],\"privileges\":[\"reed\"]}]}"),
                "Validation Failed: 1: " + unknownIndex("reed") + ";");
        // Set.of's refusal of a repeated name, which Elasticsearch passes on
        assertValidation(node.asElastic("PUT", "/_security/role/bad_index",
                        "{\"indices\":[{\"names\":[\"logs-*\"],\"privileges\":[\"read\",\"read\"]}]}"),
                "Validation Failed: 1: duplicate element: read;");
        assertThat(node.asElastic("GET", "/_security/role/bad_index").status()).isEqualTo(404);
    }

    @Test
    void everyFindingIsReportedInElasticsearchsOrder() throws Exception {
        String body = "{\"cluster\":[\"x\",\"monitor\",\"Y\"],\"indices\":[{\"names\":[\"a\"],\"privileges\":[\"z\"]},"
                + "{\"names\":[\"b\"],\"privileges\":[\"read\"]},{\"names\":[\"c\"],\"privileges\":[\"w\"]}],\"metadata\":{\"_k\":1}}";
        assertValidation(node.asElastic("PUT", "/_security/role/many", body),
                "Validation Failed: 1: " + unknownCluster("x") + ";2: " + unknownCluster("y") + ";3: " + unknownIndex("z") + ";4: "
                        + unknownIndex("w") + ";5: role descriptor metadata keys may not start with [_];");
    }

    @Test
    void predefinedNamesInAnyCaseAndRawActionPatternsAreAccepted() throws Exception {
        String body = "{\"cluster\":[\"MONITOR\",\"manage_own_api_key\",\"cluster:admin/xpack/security/*\",\"cluster:monitor/main\","
                + "\"indices:admin/template/get\",\"read_fleet_secrets\",\"monitor_stats\",\"manage_data_stream_global_retention\"],"
                + "\"indices\":[{\"names\":[\"a\"],\"privileges\":[\"Read\",\"indices:data/read/*\",\"internal:transport/proxy/indices:data/read/x\","
                + "\"read_failure_store\",\"manage_failure_store\",\"view_index_metadata\"]}]}";
        Response r = node.asElastic("PUT", "/_security/role/good", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // stored as given
        assertThat(node.asElastic("GET", "/_security/role/good").json().at("/good/cluster/0").asText()).isEqualTo("MONITOR");
    }

    @Test
    void apiKeyRoleDescriptorsAreCheckedTheSameWay() throws Exception {
        Response r = node.asElastic("POST", "/_security/api_key",
                "{\"name\":\"k\",\"role_descriptors\":{\"r\":{\"cluster\":[\"nonsense\"],\"indices\":[{\"names\":[\"a\"],\"privileges\":[\"q\"]}]}}}");
        assertValidation(r, "Validation Failed: 1: " + unknownCluster("nonsense") + ";2: " + unknownIndex("q") + ";");
        assertThat(node.asElastic("POST", "/_security/api_key",
                "{\"name\":\"k\",\"role_descriptors\":{\"r\":{\"cluster\":[\"monitor\"]}}}").status()).isEqualTo(200);
    }
}
