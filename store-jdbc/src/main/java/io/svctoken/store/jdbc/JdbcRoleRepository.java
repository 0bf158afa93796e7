package io.svctoken.store.jdbc;

import io.svctoken.core.store.RoleRecord;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.RoleRepository;
import io.svctoken.core.store.StoreException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Native roles, table {@code roles}: the name and the descriptor as JSON text. */
public final class JdbcRoleRepository implements RoleRepository {

    /** Rounds of update-then-insert before giving up; more than one only while others create and delete the same role. */
    private static final int PUT_ATTEMPTS = 100;

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcRoleRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Update, else insert unless present, each one atomic statement: "created" is decided by the
     * database even when several writers put the same role at once. An insert that found the role
     * already there (put by another writer in between) turns into an update.
     */
    @Override
    public boolean putRole(RoleRecord role, Revocation revocation) {
        Objects.requireNonNull(role, "role");
        String op = "put role [" + role.name() + "]";
        return log.revoking(op, revocation, c -> {
            for (int attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
                if (Jdbc.update(c, "UPDATE roles SET descriptor = ? WHERE name = ?",
                        p -> p.text(role.descriptorJson()).text(role.name())) > 0) {
                    return false;
                }
                if (Jdbc.update(c, "INSERT INTO roles (name, descriptor) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                        p -> p.text(role.name()).text(role.descriptorJson())) > 0) {
                    return true;
                }
            }
            throw new StoreException("could not " + op + " in " + jdbc.where() + ": it was created and deleted concurrently "
                    + PUT_ATTEMPTS + " times");
        });
    }

    @Override
    public Optional<RoleRecord> findRole(String name) {
        Objects.requireNonNull(name, "name");
        return jdbc.one("find role [" + name + "]", "SELECT descriptor FROM roles WHERE name = ?", p -> p.text(name),
                rs -> new RoleRecord(name, rs.getString(1)));
    }

    @Override
    public boolean deleteRole(String name, Revocation revocation) {
        Objects.requireNonNull(name, "name");
        return log.revoking("delete role [" + name + "]", revocation,
                c -> Jdbc.update(c, "DELETE FROM roles WHERE name = ?", p -> p.text(name)) > 0);
    }

    @Override
    public List<RoleRecord> listRoles() {
        return jdbc.list("list roles", "SELECT name, descriptor FROM roles ORDER BY name", p -> {
        }, rs -> new RoleRecord(rs.getString(1), rs.getString(2)));
    }
}
