package io.svctoken.store.jdbc;

import io.svctoken.core.store.RoleMappingRecord;
import io.svctoken.core.store.RoleMappingRepository;
import io.svctoken.core.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link RoleMappingRepository}, for every store. */
public abstract class RoleMappingRepositoryContract extends StoreContract {

    private static RoleMappingRecord mapping(String name, String role) {
        return new RoleMappingRecord(name, "{\"enabled\":true,\"roles\":[\"" + role + "\"],\"rules\":{\"field\":{\"username\":\"*\"}},\"metadata\":{}}");
    }

    @Test
    void mappingsRoundTripAndSurviveReopen() {
        RoleMappingRepository mappings = store.roleMappings();
        assertThat(mappings.putMapping(mapping("ldap-admins", "superuser"), null)).isTrue();
        assertThat(mappings.putMapping(mapping("everyone", "viewer"), null)).isTrue();
        assertThat(mappings.putMapping(mapping("everyone", "editor"), null)).isFalse();
        store.close();

        RoleMappingRepository again = another().roleMappings();
        assertThat(again.listMappings()).extracting(RoleMappingRecord::name).containsExactly("everyone", "ldap-admins");
        assertThat(again.listMappings().get(0).mappingJson()).contains("editor");
        assertThat(again.deleteMapping("everyone", null)).isTrue();
        assertThat(again.deleteMapping("everyone", null)).isFalse();
        assertThat(again.listMappings()).extracting(RoleMappingRecord::name).containsExactly("ldap-admins");
    }

    @Test
    void aMappingMustBeAJsonObject() {
        RoleMappingRepository mappings = store.roleMappings();
        assertThatThrownBy(() -> mappings.putMapping(new RoleMappingRecord("bad", "[1]"), null)).isInstanceOf(StoreException.class);
        assertThat(mappings.listMappings()).isEmpty();
    }
}
