package io.svctoken.store.jdbc;

import io.svctoken.core.store.ApplicationPrivilegeRecord;
import io.svctoken.core.store.ApplicationPrivilegeRepository;
import io.svctoken.core.store.Revocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Application privileges, table {@code application_privileges}: application, name and the display form as JSON text. */
public final class JdbcApplicationPrivilegeRepository implements ApplicationPrivilegeRepository {

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcApplicationPrivilegeRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Update, else insert unless present, each one atomic statement (as roles are put): "created" is decided by the
     * database. All privileges of one request in one transaction, so a put is all or nothing.
     */
    @Override
    public List<Boolean> putPrivileges(List<ApplicationPrivilegeRecord> privileges, Revocation revocation) {
        List<ApplicationPrivilegeRecord> all = List.copyOf(privileges);
        return inOneTransaction("put application privileges", revocation, c -> {
            List<Boolean> created = new ArrayList<>();
            for (ApplicationPrivilegeRecord p : all) {
                if (Jdbc.update(c, "UPDATE application_privileges SET descriptor = ? WHERE application = ? AND name = ?",
                        b -> b.text(p.descriptorJson()).text(p.application()).text(p.name())) > 0) {
                    created.add(false);
                } else {
                    // a concurrent insert of the same new privilege fails this put as a whole (a store error, nothing written)
                    Jdbc.update(c, "INSERT INTO application_privileges (application, name, descriptor) VALUES (?, ?, ?)",
                            b -> b.text(p.application()).text(p.name()).text(p.descriptorJson()));
                    created.add(true);
                }
            }
            return created;
        });
    }

    @Override
    public List<String> deletePrivileges(String application, List<String> names, Revocation revocation) {
        Objects.requireNonNull(application, "application");
        List<String> wanted = List.copyOf(names);
        return inOneTransaction("delete application privileges of [" + application + "]", revocation, c -> {
            List<String> found = new ArrayList<>();
            for (String n : wanted) {
                if (Jdbc.update(c, "DELETE FROM application_privileges WHERE application = ? AND name = ?",
                        b -> b.text(application).text(n)) > 0) {
                    found.add(n);
                }
            }
            return found;
        });
    }

    /** Several statements as one transaction, with the revocation's event when there is one. */
    private <T> T inOneTransaction(String op, Revocation revocation, SqlWork<T> work) {
        return revocation == null ? jdbc.transaction(op, work) : log.revoking(op, revocation, work);
    }

    @Override
    public List<ApplicationPrivilegeRecord> listPrivileges() {
        return jdbc.list("list application privileges",
                "SELECT application, name, descriptor FROM application_privileges ORDER BY application, name", p -> {
                }, rs -> new ApplicationPrivilegeRecord(rs.getString(1), rs.getString(2), rs.getString(3)));
    }
}
