package io.svctoken.store.jdbc;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.store.TokenRepository;
import io.svctoken.core.token.TokenId;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** API-created service-account tokens, table {@code service_account_tokens}; {@code (principal, name)} is the key. */
public final class JdbcTokenRepository implements TokenRepository {

    private static final String COLUMNS = "name, password_hash, creation_time, version, creator, expires_at, metadata, enabled,"
            + " last_used_at, last_used_node, successor";
    private static final String INSERT = "INSERT INTO service_account_tokens (principal, name, password_hash, creation_time, version,"
            + " creator, expires_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final Jdbc jdbc;
    private final InvalidationLog log;
    private final Dialect dialect;

    JdbcTokenRepository(Jdbc jdbc, InvalidationLog log, Dialect dialect) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    @Override
    public void insert(TokenRecord record) throws DuplicateTokenException {
        Objects.requireNonNull(record, "record");
        TokenId id = record.id();
        boolean inserted = jdbc.insertUnlessDuplicate("insert token [" + id.qualifiedName() + "]", INSERT, p -> bindInsert(p, record));
        if (!inserted) {
            throw new DuplicateTokenException(id);
        }
    }

    private static void bindInsert(Params p, TokenRecord record) throws SQLException {
        TokenId id = record.id();
        p.text(id.accountId().asPrincipal()).text(id.tokenName()).text(record.passwordHash())
                .int64(record.creationTimeMillis()).int32(record.version()).text(record.creatorJson())
                .int64(record.expiresAtMillis()).text(record.metadataJson());
    }

    @Override
    public boolean delete(TokenId id, Revocation revocation) {
        Objects.requireNonNull(id, "id");
        return log.revoking("delete token [" + id.qualifiedName() + "]", revocation, c -> Jdbc.update(c,
                "DELETE FROM service_account_tokens WHERE principal = ? AND name = ?",
                p -> p.text(id.accountId().asPrincipal()).text(id.tokenName())) > 0);
    }

    @Override
    public Optional<TokenRecord> find(TokenId id) {
        Objects.requireNonNull(id, "id");
        return jdbc.one("find token [" + id.qualifiedName() + "]",
                "SELECT " + COLUMNS + " FROM service_account_tokens WHERE principal = ? AND name = ?",
                p -> p.text(id.accountId().asPrincipal()).text(id.tokenName()),
                rs -> record(id.accountId(), rs));
    }

    private static TokenRecord record(ServiceAccountId account, ResultSet rs) throws SQLException {
        return new TokenRecord(new TokenId(account, rs.getString(1)), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getString(5),
                Jdbc.nullableLong(rs, 6), rs.getString(7), rs.getBoolean(8), Jdbc.nullableLong(rs, 9), rs.getString(10), rs.getString(11));
    }

    /** Sorted in byte order: the name column compares bytes in both schemas (SQLite BINARY, PostgreSQL "C"). */
    @Override
    public List<String> tokenNames(ServiceAccountId account) {
        Objects.requireNonNull(account, "account");
        return List.copyOf(jdbc.list("list tokens of [" + account.asPrincipal() + "]",
                "SELECT name FROM service_account_tokens WHERE principal = ? ORDER BY name",
                p -> p.text(account.asPrincipal()), rs -> rs.getString(1)));
    }

    @Override
    public List<TokenRecord> list(ServiceAccountId account) {
        Objects.requireNonNull(account, "account");
        return List.copyOf(jdbc.list("list tokens of [" + account.asPrincipal() + "]",
                "SELECT " + COLUMNS + " FROM service_account_tokens WHERE principal = ? ORDER BY name",
                p -> p.text(account.asPrincipal()), rs -> record(account, rs)));
    }

    @Override
    public boolean setEnabled(TokenId id, boolean enabled, Revocation revocation) {
        Objects.requireNonNull(id, "id");
        return log.revoking((enabled ? "enable" : "disable") + " token [" + id.qualifiedName() + "]", revocation, c -> Jdbc.update(c,
                "UPDATE service_account_tokens SET enabled = ? WHERE principal = ? AND name = ?",
                p -> p.bool(enabled).text(id.accountId().asPrincipal()).text(id.tokenName())) > 0);
    }

    /** Unwinds the rotation's transaction (rolled back) to say why. */
    private static final class NotRotated extends RuntimeException {
        final boolean duplicate;

        NotRotated(boolean duplicate) {
            super(null, null, false, false);
            this.duplicate = duplicate;
        }
    }

    @Override
    public Optional<TokenRecord> rotate(TokenId old, long oldExpiresAtMillis, TokenRecord successor, Revocation revocation)
            throws DuplicateTokenException {
        Objects.requireNonNull(old, "old");
        Objects.requireNonNull(successor, "successor");
        String principal = old.accountId().asPrincipal();
        try {
            String op = "rotate token [" + old.qualifiedName() + "]";
            SqlWork<TokenRecord> work = c -> {
                int changed = Jdbc.update(c, "UPDATE service_account_tokens SET expires_at = CASE WHEN expires_at IS NOT NULL"
                                + " AND expires_at < ? THEN expires_at ELSE ? END, successor = ? WHERE principal = ? AND name = ?",
                        p -> p.int64(oldExpiresAtMillis).int64(oldExpiresAtMillis).text(successor.id().tokenName()).text(principal)
                                .text(old.tokenName()));
                if (changed == 0) {
                    throw new NotRotated(false);
                }
                try {
                    Jdbc.update(c, INSERT, p -> bindInsert(p, successor));
                } catch (SQLException e) {
                    if (dialect.isUniqueViolation(e)) {
                        throw new NotRotated(true);
                    }
                    throw e;
                }
                return Jdbc.one(c, "SELECT " + COLUMNS + " FROM service_account_tokens WHERE principal = ? AND name = ?",
                        p -> p.text(principal).text(old.tokenName()), rs -> record(old.accountId(), rs)).orElseThrow();
            };
            // one transaction with or without an event: never the successor without the old token's grace
            return Optional.of(revocation == null ? jdbc.transaction(op, work) : log.revoking(op, revocation, work));
        } catch (NotRotated e) {
            if (e.duplicate) {
                throw new DuplicateTokenException(successor.id());
            }
            return Optional.empty();
        }
    }

    @Override
    public int recordLastUsed(Map<TokenId, Long> lastUsedMillis, String nodeName) {
        if (lastUsedMillis.isEmpty()) {
            return 0;
        }
        return jdbc.transaction("record the last use of " + lastUsedMillis.size() + " tokens", c -> {
            int changed = 0;
            for (Map.Entry<TokenId, Long> e : lastUsedMillis.entrySet()) {
                TokenId id = e.getKey();
                long at = e.getValue();
                changed += Jdbc.update(c, "UPDATE service_account_tokens SET last_used_at = ?, last_used_node = ?"
                                + " WHERE principal = ? AND name = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                        p -> p.int64(at).text(nodeName).text(id.accountId().asPrincipal()).text(id.tokenName()).int64(at));
            }
            return changed;
        });
    }
}
