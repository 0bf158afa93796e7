package io.svctoken.store.jdbc;

import io.svctoken.core.store.ApplicationPrivilegeRecord;
import io.svctoken.core.store.ApplicationPrivilegeRepository;
import io.svctoken.core.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link ApplicationPrivilegeRepository}, for every store. */
public abstract class ApplicationPrivilegeRepositoryContract extends StoreContract {

    private static ApplicationPrivilegeRecord privilege(String app, String name, String action) {
        return new ApplicationPrivilegeRecord(app, name, "{\"application\":\"" + app + "\",\"name\":\"" + name
                + "\",\"actions\":[\"" + action + "\"],\"metadata\":{}}");
    }

    @Test
    void privilegesRoundTripAndSurviveReopen() {
        ApplicationPrivilegeRepository privileges = store.applicationPrivileges();
        assertThat(privileges.putPrivileges(List.of(privilege("myapp", "write", "data:write/*"), privilege("myapp", "read", "data:read/*"),
                privilege("app2", "read", "*")), null)).containsExactly(true, true, true);
        assertThat(privileges.putPrivileges(List.of(privilege("myapp", "read", "data:read/x"), privilege("myapp", "admin", "*")), null))
                .containsExactly(false, true);
        store.close();

        ApplicationPrivilegeRepository again = another().applicationPrivileges();
        assertThat(again.listPrivileges()).extracting(p -> p.application() + "/" + p.name())
                .containsExactly("app2/read", "myapp/admin", "myapp/read", "myapp/write");
        assertThat(again.listPrivileges().get(2).descriptorJson()).contains("data:read/x");
        assertThat(again.deletePrivileges("myapp", List.of("read", "nope", "admin"), null)).containsExactly("read", "admin");
        assertThat(again.deletePrivileges("myapp", List.of("read"), null)).isEmpty();
        assertThat(again.listPrivileges()).extracting(p -> p.application() + "/" + p.name()).containsExactly("app2/read", "myapp/write");
    }

    @Test
    void aPrivilegeMustBeAJsonObjectAndAPutIsAllOrNothing() {
        ApplicationPrivilegeRepository privileges = store.applicationPrivileges();
        assertThatThrownBy(() -> privileges.putPrivileges(List.of(privilege("myapp", "ok", "a:b"),
                new ApplicationPrivilegeRecord("myapp", "bad", "[1]")), null)).isInstanceOf(StoreException.class);
        assertThat(privileges.listPrivileges()).isEmpty();
    }
}
