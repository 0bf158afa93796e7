package io.svctoken.core.authz.index;

import io.svctoken.core.account.RoleDescriptor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.svctoken.core.authz.index.IndexAuthorizationTest.role;
import static org.assertj.core.api.Assertions.assertThat;

class IndexPermissionTest {

    private static final String SEARCH = RestRequests.SEARCH;

    @Test
    void aDescriptorIsCompiledOnceAndReusedForTheNextRequest() {
        RoleDescriptor reader = role("logs_reader", "{'indices':[{'names':['logs-*','/app-[0-9]+/'],'privileges':['read']}]}");

        IndexPermission first = IndexPermission.of(List.of(reader));
        IndexPermission second = IndexPermission.of(List.of(reader));

        assertThat(second).isSameAs(first);
        assertThat(second.covers(SEARCH, "app-12", false)).isTrue();
    }

    @Test
    void aChangedRoleIsANewDescriptorAndTakesEffectAtOnce() {
        // a role change (native, file or an API key read again) always builds a new descriptor under the same name
        RoleDescriptor before = role("logs_reader", "{'indices':[{'names':['logs-*'],'privileges':['read']}]}");
        assertThat(IndexPermission.of(List.of(before)).covers(SEARCH, "logs-1", false)).isTrue();

        RoleDescriptor after = role("logs_reader", "{'indices':[{'names':['metrics-*'],'privileges':['read']}]}");
        IndexPermission now = IndexPermission.of(List.of(after));

        assertThat(now.covers(SEARCH, "logs-1", false)).isFalse();
        assertThat(now.covers(SEARCH, "metrics-1", false)).isTrue();
        assertThat(IndexPermission.of(List.of(before)).covers(SEARCH, "logs-1", false)).isTrue();
    }

    @Test
    void severalDescriptorsAreUnionedFromTheirCompiledGroups() {
        RoleDescriptor logs = role("logs", "{'indices':[{'names':['logs-*'],'privileges':['read']}]}");
        RoleDescriptor metrics = role("metrics", "{'indices':[{'names':['metrics-*'],'privileges':['write']},"
                + "{'names':['/bad'],'privileges':['read']}]}");

        IndexPermission both = IndexPermission.of(List.of(logs, metrics));

        assertThat(both.covers(SEARCH, "logs-1", false)).isTrue();
        assertThat(both.covers(SEARCH, "metrics-1", false)).isFalse();
        assertThat(both.covers("indices:data/write/index", "metrics-1", false)).isTrue();
        assertThat(((IndexPermission.Groups) both).refusedNames()).hasSize(1);
        assertThat(IndexPermission.of(List.of())).isInstanceOf(IndexPermission.Groups.class);
    }
}
