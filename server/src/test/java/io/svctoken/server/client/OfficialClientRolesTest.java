package io.svctoken.server.client;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch.security.BulkDeleteRoleResponse;
import co.elastic.clients.elasticsearch.security.BulkPutRoleResponse;
import co.elastic.clients.elasticsearch.security.DeleteRoleMappingResponse;
import co.elastic.clients.elasticsearch.security.GetRoleMappingResponse;
import co.elastic.clients.elasticsearch.security.PutRoleMappingResponse;
import co.elastic.clients.elasticsearch.security.QueryRoleResponse;
import co.elastic.clients.elasticsearch.security.RoleMapping;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.util.NamedValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The official Java client's role mapping and bulk role methods against a real node, decoded strictly. */
class OfficialClientRolesTest extends OfficialClientBase {

    @Test
    void roleMappings() throws IOException {
        PutRoleMappingResponse put = elastic.security().putRoleMapping(b -> b.name("ldap-admins").enabled(true).roles("superuser")
                .rules(r -> r.all(List.of(
                        co.elastic.clients.elasticsearch.security.RoleMappingRule.of(f -> f.field(
                                NamedValue.of("groups", List.of(FieldValue.of("cn=admins,dc=example,dc=com"))))),
                        co.elastic.clients.elasticsearch.security.RoleMappingRule.of(e -> e.except(x -> x.field(
                                NamedValue.of("realm.name", List.of(FieldValue.of("file1"), FieldValue.of("native1")))))))))
                .metadata("version", JsonData.of(1)));
        assertThat(put.roleMapping().created()).isTrue();
        GetRoleMappingResponse got = elastic.security().getRoleMapping(b -> b.name("ldap-admins"));
        RoleMapping m = got.get("ldap-admins");
        assertThat(m.enabled()).isTrue();
        assertThat(m.roles()).containsExactly("superuser");
        assertThat(m.rules().all()).hasSize(2);
        assertThat(m.metadata().get("version").to(Integer.class)).isEqualTo(1);
        assertThat(elastic.security().getRoleMapping().roleMappings()).containsKey("ldap-admins");
        DeleteRoleMappingResponse deleted = elastic.security().deleteRoleMapping(b -> b.name("ldap-admins"));
        assertThat(deleted.found()).isTrue();
    }

    @Test
    void bulkRoles() throws IOException {
        BulkPutRoleResponse put = elastic.security().bulkPutRole(b -> b
                .roles("bulk_reader", r -> r.cluster("monitor").indices(i -> i.names("logs-*").privileges("read")))
                .roles("bulk_bad", r -> r.cluster("nonsense")));
        assertThat(put.created()).containsExactly("bulk_reader");
        assertThat(put.errors().count()).isEqualTo(1);
        assertThat(put.errors().details().get("bulk_bad").type()).isEqualTo("action_request_validation_exception");
        BulkPutRoleResponse again = elastic.security().bulkPutRole(b -> b
                .roles("bulk_reader", r -> r.cluster("monitor").indices(i -> i.names("logs-*").privileges("read"))));
        assertThat(again.noop()).containsExactly("bulk_reader");
        BulkDeleteRoleResponse deleted = elastic.security().bulkDeleteRole(b -> b.names("bulk_reader", "bulk_none"));
        assertThat(deleted.deleted()).containsExactly("bulk_reader");
        assertThat(deleted.notFound()).containsExactly("bulk_none");
    }

    @Test
    void queryRole() throws IOException {
        elastic.security().bulkPutRole(b -> b.roles("q_one", r -> r.cluster("monitor")).roles("q_two", r -> r.cluster("monitor"))
                .roles("other", r -> r.cluster("monitor")));
        QueryRoleResponse r = elastic.security().queryRole(b -> b.query(q -> q.prefix(p -> p.field("name").value("q_")))
                .sort(s -> s.field(f -> f.field("name").order(co.elastic.clients.elasticsearch._types.SortOrder.Desc))).size(1));
        assertThat(r.total()).isEqualTo(2);
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.roles().get(0).name()).isEqualTo("q_two");
        assertThat(r.roles().get(0).sort().get(0).stringValue()).isEqualTo("q_two");
        elastic.security().bulkDeleteRole(b -> b.names("q_one", "q_two", "other"));
    }
}
