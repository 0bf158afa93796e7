package io.svctoken.core.authz.index;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IndexPrivilegesTest {

    /** The granted-by lists of Elasticsearch's denials (its tests and the privilege definitions). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "indices:data/read/search; read,all",
            "indices:data/read/get; read,all",
            "indices:data/read/mget; read,all",
            "indices:data/read/msearch; read,all",
            "indices:data/write/index; create_doc,create,index,write,all",
            "indices:data/write/index:op_type/create; create_doc,create,index,write,all",
            "indices:data/write/index:op_type/index; create,index,write,all",
            "indices:data/write/update; index,write,all",
            "indices:data/write/delete; delete,write,all",
            "indices:data/write/bulk; create_doc,create,delete,index,write,all",
            "indices:data/write/bulk[s]; create_doc,create,delete,index,write,all",
            "indices:monitor/stats; monitor,cross_cluster_replication,manage,all",
            "indices:admin/refresh; maintenance,manage,all",
            "indices:admin/flush; maintenance,manage,all",
            "indices:admin/create; create_index,manage,all",
            "indices:admin/auto_create; auto_configure,create_index,manage,all",
            "indices:admin/mapping/auto_put; auto_configure,manage,write,all",
            "indices:admin/get; view_index_metadata,manage,all",
            "indices:admin/mappings/get; view_index_metadata,manage,all",
            "indices:admin/aliases/get; view_index_metadata,manage,all",
            "indices:admin/data_stream/get; view_index_metadata,manage,all",
            "indices:data/read/field_caps; view_index_metadata,manage,read,all",
            "indices:admin/resolve/index; view_index_metadata,manage,read,all",
            "indices:monitor/settings/get; monitor,view_index_metadata,manage,all",
            "indices:admin/mapping/put; manage,all",
            "indices:admin/settings/update; manage,all",
            "indices:admin/aliases; manage,all",
            "indices:admin/delete; delete_index,manage,all",
    })
    void grantingPrivilegesInElasticsearchOrder(String action, String expected) {
        assertThat(String.join(",", IndexPrivileges.grantingPrivileges(action))).isEqualTo(expected);
    }

    @Test
    void namedPrivilegesAndRawActionsGrant() {
        assertThat(IndexPrivileges.grants(List.of("read"), "indices:data/read/search")).isTrue();
        assertThat(IndexPrivileges.grants(List.of("READ"), "indices:data/read/search")).isTrue();
        assertThat(IndexPrivileges.grants(List.of("create_doc"), "indices:data/write/index:op_type/index")).isFalse();
        assertThat(IndexPrivileges.grants(List.of("create_doc"), "indices:data/write/index:op_type/create")).isTrue();
        // a raw action means <action>*
        assertThat(IndexPrivileges.grants(List.of("indices:admin/mapping/put"), "indices:admin/mapping/put")).isTrue();
        assertThat(IndexPrivileges.grants(List.of("indices:data/read/*"), "indices:data/read/search")).isTrue();
        assertThat(IndexPrivileges.grants(List.of("indices:admin/delete"), "indices:admin/delete")).isTrue();
        assertThat(IndexPrivileges.grants(List.of("indices:admin/delete"), "indices:data/write/delete")).isFalse();
        // unknown names and cluster actions grant nothing on indices
        assertThat(IndexPrivileges.grants(List.of("monitor_ml", "cluster:monitor/*"), "indices:monitor/stats")).isFalse();
        assertThat(IndexPrivileges.grants(List.of("read_failure_store"), "indices:data/read/search")).isFalse();
    }

    @Test
    void implicationByWitnesses() {
        assertThat(IndexPrivileges.implies(IndexPrivileges.patterns("write").orElseThrow(), IndexPrivileges.patterns("index").orElseThrow())).isTrue();
        assertThat(IndexPrivileges.implies(IndexPrivileges.patterns("index").orElseThrow(), IndexPrivileges.patterns("write").orElseThrow())).isFalse();
        assertThat(IndexPrivileges.implies(IndexPrivileges.patterns("manage").orElseThrow(),
                IndexPrivileges.patterns("view_index_metadata").orElseThrow())).isTrue();
    }
}
