package io.svctoken.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.ServiceAccountRecord;
import io.svctoken.core.store.ServiceAccountRepository;
import io.svctoken.core.store.StoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * User-managed service accounts, table {@code service_accounts}; {@code roles} holds a JSON array of names. Whether
 * the account's name has tokens is read from {@code service_account_tokens} in the write's transaction.
 */
public final class JdbcServiceAccountRepository implements ServiceAccountRepository {

    private static final String COLUMNS = "principal, roles, enabled, description, creator, created_at, editor, edited_at";

    /** Loaded on first use, so that opening the store does not pay for Jackson. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
        };
    }

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcServiceAccountRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** A replacement keeps the creator and creation time and records this write's author as the editor. */
    @Override
    public PutResult putAccount(ServiceAccountRecord a, Revocation revocation) {
        Objects.requireNonNull(a, "account");
        String principal = a.id().asPrincipal();
        return inOneTransaction("put service account [" + principal + "]", revocation, c -> {
            if (Jdbc.update(c, "UPDATE service_accounts SET roles = ?, enabled = ?, description = ?, editor = ?, edited_at = ?"
                    + " WHERE principal = ?", p -> p.text(rolesJson(a.roles())).bool(a.enabled()).text(a.description())
                    .text(a.creatorJson()).int64(a.createdAtMillis()).text(principal)) > 0) {
                return PutResult.REPLACED;
            }
            if (hasTokens(c, principal)) {
                return PutResult.LEFTOVER_TOKENS;
            }
            // a concurrent insert of the same new account fails this put (a store error, nothing written)
            Jdbc.update(c, "INSERT INTO service_accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    p -> p.text(principal).text(rolesJson(a.roles())).bool(a.enabled()).text(a.description()).text(a.creatorJson())
                            .int64(a.createdAtMillis()).text(null).int64(null));
            return PutResult.CREATED;
        });
    }

    @Override
    public Optional<ServiceAccountRecord> findAccount(ServiceAccountId id) {
        Objects.requireNonNull(id, "id");
        return jdbc.one("find service account [" + id + "]", "SELECT " + COLUMNS + " FROM service_accounts WHERE principal = ?",
                p -> p.text(id.asPrincipal()), this::account);
    }

    @Override
    public DeleteResult deleteAccount(ServiceAccountId id, boolean force, Revocation revocation) {
        Objects.requireNonNull(id, "id");
        String principal = id.asPrincipal();
        return inOneTransaction("delete service account [" + principal + "]", revocation, c -> {
            if (!force && hasTokens(c, principal)) {
                boolean exists = Jdbc.one(c, "SELECT 1 FROM service_accounts WHERE principal = ?", p -> p.text(principal),
                        rs -> true).isPresent();
                if (exists) {
                    return DeleteResult.HAS_TOKENS;
                }
            }
            return Jdbc.update(c, "DELETE FROM service_accounts WHERE principal = ?", p -> p.text(principal)) > 0
                    ? DeleteResult.DELETED : DeleteResult.NOT_FOUND;
        });
    }

    @Override
    public List<ServiceAccountRecord> listAccounts() {
        return jdbc.list("list service accounts", "SELECT " + COLUMNS + " FROM service_accounts ORDER BY principal", p -> {
        }, this::account);
    }

    private static boolean hasTokens(Connection c, String principal) throws SQLException {
        return Jdbc.one(c, "SELECT 1 FROM service_account_tokens WHERE principal = ? LIMIT 1", p -> p.text(principal), rs -> true)
                .isPresent();
    }

    private <T> T inOneTransaction(String op, Revocation revocation, SqlWork<T> work) {
        return revocation == null ? jdbc.transaction(op, work) : log.revoking(op, revocation, work);
    }

    private ServiceAccountRecord account(ResultSet rs) throws SQLException {
        String principal = rs.getString(1);
        return new ServiceAccountRecord(ServiceAccountId.fromPrincipal(principal), parseRoles(rs.getString(2), principal),
                rs.getBoolean(3), rs.getString(4), rs.getString(5), Jdbc.nullableLong(rs, 6), rs.getString(7), Jdbc.nullableLong(rs, 8));
    }

    private static String rolesJson(List<String> roles) {
        try {
            return Json.MAPPER.writeValueAsString(roles);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a list of strings as JSON", e);
        }
    }

    private List<String> parseRoles(String json, String principal) {
        try {
            List<String> roles = Json.MAPPER.readValue(json, Json.STRING_LIST);
            if (roles.contains(null)) {
                throw new StoreException("could not read service account [" + principal + "] from " + jdbc.where() + ": roles hold a null");
            }
            return roles;
        } catch (JsonProcessingException e) {
            throw new StoreException("could not read service account [" + principal + "] from " + jdbc.where()
                    + ": roles are not a JSON array of strings", e);
        }
    }
}
