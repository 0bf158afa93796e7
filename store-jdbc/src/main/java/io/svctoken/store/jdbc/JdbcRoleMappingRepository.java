package io.svctoken.store.jdbc;

import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.RoleMappingRecord;
import io.svctoken.core.store.RoleMappingRepository;
import io.svctoken.core.store.StoreException;

import java.util.List;
import java.util.Objects;

/** Role mappings, table {@code role_mappings}: the name and the mapping's display form as JSON text. */
public final class JdbcRoleMappingRepository implements RoleMappingRepository {

    /** Rounds of update-then-insert before giving up; more than one only while others create and delete the same mapping. */
    private static final int PUT_ATTEMPTS = 100;

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcRoleMappingRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** As roles are put: update, else insert unless present, so "created" is decided by the database under concurrent writers. */
    @Override
    public boolean putMapping(RoleMappingRecord mapping, Revocation revocation) {
        Objects.requireNonNull(mapping, "mapping");
        String op = "put role mapping [" + mapping.name() + "]";
        return log.revoking(op, revocation, c -> {
            for (int attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
                if (Jdbc.update(c, "UPDATE role_mappings SET mapping = ? WHERE name = ?",
                        p -> p.text(mapping.mappingJson()).text(mapping.name())) > 0) {
                    return false;
                }
                if (Jdbc.update(c, "INSERT INTO role_mappings (name, mapping) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                        p -> p.text(mapping.name()).text(mapping.mappingJson())) > 0) {
                    return true;
                }
            }
            throw new StoreException("could not " + op + " in " + jdbc.where() + ": it was created and deleted concurrently "
                    + PUT_ATTEMPTS + " times");
        });
    }

    @Override
    public boolean deleteMapping(String name, Revocation revocation) {
        Objects.requireNonNull(name, "name");
        return log.revoking("delete role mapping [" + name + "]", revocation,
                c -> Jdbc.update(c, "DELETE FROM role_mappings WHERE name = ?", p -> p.text(name)) > 0);
    }

    @Override
    public List<RoleMappingRecord> listMappings() {
        return jdbc.list("list role mappings", "SELECT name, mapping FROM role_mappings ORDER BY name", p -> {
        }, rs -> new RoleMappingRecord(rs.getString(1), rs.getString(2)));
    }
}
