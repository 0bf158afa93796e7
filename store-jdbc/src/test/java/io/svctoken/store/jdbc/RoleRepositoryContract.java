package io.svctoken.store.jdbc;

import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.RoleRepository;
import io.svctoken.core.store.Store;
import io.svctoken.core.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link RoleRepository}, for every store. */
public abstract class RoleRepositoryContract extends StoreContract {

    @Test
    void rolesRoundTripAndSurviveReopen() {
        RoleRepository roles = store.roles();
        assertThat(roles.putRole(new RoleRecord("b-role", "{\"cluster\":[\"monitor\"]}"))).isTrue();
        assertThat(roles.putRole(new RoleRecord("a-role", "{\"cluster\":[]}"))).isTrue();
        assertThat(roles.putRole(new RoleRecord("b-role", "{\"cluster\":[\"all\"], \"indices\" : []}"))).isFalse();
        assertThat(roles.findRole("b-role").orElseThrow().descriptorJson()).isEqualTo("{\"cluster\":[\"all\"], \"indices\" : []}");
        assertThat(roles.findRole("nope")).isEmpty();
        store.close();

        RoleRepository again = another().roles();
        assertThat(again.listRoles()).extracting(RoleRecord::name).containsExactly("a-role", "b-role");
        assertThat(again.deleteRole("a-role")).isTrue();
        assertThat(again.deleteRole("a-role")).isFalse();
        assertThat(again.listRoles()).extracting(RoleRecord::name).containsExactly("b-role");
    }

    @Test
    void aRoleMustBeAJsonObject() {
        assertThatThrownBy(() -> store.roles().putRole(new RoleRecord("x", "[1]"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.roles().putRole(new RoleRecord("x", "not json"))).isInstanceOf(StoreException.class);
        assertThat(store.roles().putRole(new RoleRecord("y", "{}"))).isTrue();
        assertThatThrownBy(() -> store.roles().putRole(new RoleRecord("y", "[]"))).isInstanceOf(StoreException.class);
        assertThat(store.roles().listRoles()).containsExactly(new RoleRecord("y", "{}"));
    }

    /** "Created" is decided by the database: of several writers putting one new role at once, exactly one created it. */
    @Test
    void concurrentPutsOfOneNewRoleThroughTwoStoresCreateItOnce() throws Exception {
        List<Store> stores = List.of(store, another());
        for (int round = 0; round < 3; round++) {
            String name = "role-" + round;
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Store s = stores.get(i % 2);
                RoleRecord r = new RoleRecord(name, "{\"cluster\":[\"c" + i + "\"]}");
                tasks.add(() -> s.roles().putRole(r));
            }
            List<Boolean> created = race(tasks);
            assertThat(created.stream().filter(b -> b).count()).as("round " + round).isEqualTo(1);
            assertThat(store.roles().findRole(name)).isPresent();
        }
    }
}
