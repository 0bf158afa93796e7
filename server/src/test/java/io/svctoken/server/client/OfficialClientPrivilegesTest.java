package io.svctoken.server.client;

import co.elastic.clients.elasticsearch.security.ClearCachedPrivilegesResponse;
import co.elastic.clients.elasticsearch.security.DeletePrivilegesResponse;
import co.elastic.clients.elasticsearch.security.GetPrivilegesResponse;
import co.elastic.clients.elasticsearch.security.GetUserPrivilegesResponse;
import co.elastic.clients.elasticsearch.security.HasPrivilegesResponse;
import co.elastic.clients.elasticsearch.security.PutPrivilegesResponse;
import co.elastic.clients.elasticsearch.security.put_privileges.Actions;
import co.elastic.clients.json.JsonData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official Java client's privilege methods against a real node: {@code hasPrivileges} (the call that reached
 * put-user before), {@code getUserPrivileges}, and the application privilege APIs, decoded strictly.
 */
class OfficialClientPrivilegesTest extends OfficialClientBase {

    @Test
    void hasPrivilegesAndTheCallersPrivileges() throws IOException {
        HasPrivilegesResponse r = elastic.security().hasPrivileges(b -> b.cluster("monitor", "manage_security")
                .index(i -> i.names("logs-*").privileges("read"))
                .application(a -> a.application("myapp").privileges("read").resources("*")));
        assertThat(r.username()).isEqualTo("elastic");
        assertThat(r.hasAllRequested()).as(r.toString()).isTrue();
        assertThat(r.cluster()).containsEntry("monitor", true).containsEntry("manage_security", true);
        assertThat(r.index().get("logs-*")).containsEntry("read", true);
        assertThat(r.application().get("myapp").get("*")).containsEntry("read", true);
        HasPrivilegesResponse own = elastic.security().hasPrivileges(b -> b.user("elastic").cluster("all"));
        assertThat(own.cluster()).containsEntry("all", true);

        GetUserPrivilegesResponse mine = elastic.security().getUserPrivileges();
        assertThat(mine.cluster()).contains("all");
        assertThat(mine.runAs()).contains("*");
        assertThat(mine.indices()).isNotEmpty();
    }

    @Test
    void applicationPrivileges() throws IOException {
        PutPrivilegesResponse put = elastic.security().putPrivileges(b -> b.privileges("clientapp", Map.of(
                "read", Actions.of(a -> a.actions("data:read/*", "action:login").metadata("k", JsonData.of("v"))))));
        assertThat(put.get("clientapp").get("read").created()).isTrue();
        GetPrivilegesResponse got = elastic.security().getPrivileges(b -> b.application("clientapp").name("read"));
        assertThat(got.get("clientapp").get("read").actions()).containsExactly("data:read/*", "action:login");
        assertThat(got.get("clientapp").get("read").metadata().get("k").to(String.class)).isEqualTo("v");
        ClearCachedPrivilegesResponse cleared = elastic.security().clearCachedPrivileges(b -> b.application("clientapp"));
        assertThat(cleared.nodeStats().failed()).isZero();
        DeletePrivilegesResponse deleted = elastic.security().deletePrivileges(b -> b.application("clientapp").name("read"));
        assertThat(deleted.get("clientapp").get("read").found()).isTrue();
    }
}
