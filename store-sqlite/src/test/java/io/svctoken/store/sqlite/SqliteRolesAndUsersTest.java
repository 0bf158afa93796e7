package io.svctoken.store.sqlite;

import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.UserRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteRolesAndUsersTest {

    @TempDir
    Path dir;

    @Test
    void rolesRoundTripAndSurviveReopen() {
        try (SqliteStore s = SqliteStore.open(dir)) {
            assertThat(s.putRole(new RoleRecord("b-role", "{\"cluster\":[\"monitor\"]}"))).isTrue();
            assertThat(s.putRole(new RoleRecord("a-role", "{\"cluster\":[]}"))).isTrue();
            assertThat(s.putRole(new RoleRecord("b-role", "{\"cluster\":[\"all\"]}"))).isFalse();
            assertThat(s.findRole("b-role").orElseThrow().descriptorJson()).isEqualTo("{\"cluster\":[\"all\"]}");
            assertThat(s.findRole("nope")).isEmpty();
        }
        try (SqliteStore s = SqliteStore.open(dir)) {
            assertThat(s.listRoles()).extracting(RoleRecord::name).containsExactly("a-role", "b-role");
            assertThat(s.deleteRole("a-role")).isTrue();
            assertThat(s.deleteRole("a-role")).isFalse();
            assertThat(s.listRoles()).extracting(RoleRecord::name).containsExactly("b-role");
        }
    }

    @Test
    void aRoleMustBeAJsonObject() {
        try (SqliteStore s = SqliteStore.open(dir)) {
            assertThatThrownBy(() -> s.putRole(new RoleRecord("x", "[1]"))).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> s.putRole(new RoleRecord("x", "not json"))).isInstanceOf(StoreException.class);
            assertThat(s.listRoles()).isEmpty();
        }
    }

    @Test
    void usersAreListedSorted() {
        try (SqliteStore s = SqliteStore.open(dir)) {
            s.putUser(new UserRecord("zed", "h", List.of("viewer"), "Zed", "z@example.com", "{}", true));
            s.putUser(new UserRecord("amy", null, List.of(), null, null, "{\"k\":1}", false));
            assertThat(s.listUsers()).extracting(UserRecord::username).containsExactly("amy", "zed");
            UserRecord amy = s.listUsers().get(0);
            assertThat(amy.enabled()).isFalse();
            assertThat(amy.metadataJson()).isEqualTo("{\"k\":1}");
            assertThat(s.listUsers().get(1).roles()).containsExactly("viewer");
        }
    }
}
