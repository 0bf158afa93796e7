package io.svctoken.store.jdbc;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.store.TokenRepository;
import io.svctoken.core.token.TokenId;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** API-created service-account tokens, table {@code service_account_tokens}; {@code (principal, name)} is the key. */
public final class JdbcTokenRepository implements TokenRepository {

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcTokenRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void insert(TokenRecord record) throws DuplicateTokenException {
        Objects.requireNonNull(record, "record");
        TokenId id = record.id();
        boolean inserted = jdbc.insertUnlessDuplicate("insert token [" + id.qualifiedName() + "]",
                "INSERT INTO service_account_tokens (principal, name, password_hash, creation_time, version, creator)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                p -> p.text(id.accountId().asPrincipal()).text(id.tokenName()).text(record.passwordHash())
                        .int64(record.creationTimeMillis()).int32(record.version()).text(record.creatorJson()));
        if (!inserted) {
            throw new DuplicateTokenException(id);
        }
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
                "SELECT password_hash, creation_time, version, creator FROM service_account_tokens WHERE principal = ? AND name = ?",
                p -> p.text(id.accountId().asPrincipal()).text(id.tokenName()),
                rs -> new TokenRecord(id, rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
    }

    /** Sorted in byte order: the name column compares bytes in both schemas (SQLite BINARY, PostgreSQL "C"). */
    @Override
    public List<String> tokenNames(ServiceAccountId account) {
        Objects.requireNonNull(account, "account");
        return List.copyOf(jdbc.list("list tokens of [" + account.asPrincipal() + "]",
                "SELECT name FROM service_account_tokens WHERE principal = ? ORDER BY name",
                p -> p.text(account.asPrincipal()), rs -> rs.getString(1)));
    }
}
