package io.svctoken.store.jdbc;

import io.svctoken.core.store.OAuth2TokenRecord;
import io.svctoken.core.store.OAuth2TokenRepository;
import io.svctoken.core.store.Revocation;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** OAuth2 tokens, table {@code oauth2_tokens}: one row per access token (with its refresh token), kept when invalidated. */
public final class JdbcOAuth2TokenRepository implements OAuth2TokenRepository {

    private static final String COLUMNS = "access_token_hash, refresh_token_hash, creation_time, expiration_time, access_invalidated,"
            + " refresh_invalidated, refreshed, refresh_time, superseding, username, realm, authentication, client_username, client_realm";

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcOAuth2TokenRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void insertToken(OAuth2TokenRecord t) {
        Objects.requireNonNull(t, "token");
        jdbc.write("insert OAuth2 token", c -> insert(c, t));
    }

    private static int insert(Connection c, OAuth2TokenRecord t) throws SQLException {
        return Jdbc.update(c, "INSERT INTO oauth2_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p -> p.text(t.accessTokenHash()).text(t.refreshTokenHash()).int64(t.creationTimeMillis()).int64(t.expirationTimeMillis())
                        .bool(t.accessInvalidated()).bool(t.refreshInvalidated()).bool(t.refreshed()).int64(t.refreshTimeMillis())
                        .text(t.superseding()).text(t.username()).text(t.realm()).text(t.authenticationJson()).text(t.clientUsername())
                        .text(t.clientRealm()));
    }

    @Override
    public Optional<OAuth2TokenRecord> findByAccessHash(String accessTokenHash) {
        Objects.requireNonNull(accessTokenHash, "accessTokenHash");
        return jdbc.one("find OAuth2 token", "SELECT " + COLUMNS + " FROM oauth2_tokens WHERE access_token_hash = ?",
                p -> p.text(accessTokenHash), JdbcOAuth2TokenRepository::token);
    }

    @Override
    public Optional<OAuth2TokenRecord> findByRefreshHash(String refreshTokenHash) {
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        return jdbc.one("find OAuth2 token by refresh token", "SELECT " + COLUMNS + " FROM oauth2_tokens WHERE refresh_token_hash = ?",
                p -> p.text(refreshTokenHash), JdbcOAuth2TokenRepository::token);
    }

    /** The conditional update decides who refreshed first, in the database: two nodes cannot both use one refresh token. */
    @Override
    public boolean refresh(String accessTokenHash, long refreshTimeMillis, String superseding, OAuth2TokenRecord successor) {
        Objects.requireNonNull(successor, "successor");
        return jdbc.transaction("refresh OAuth2 token", c -> {
            if (Jdbc.update(c, "UPDATE oauth2_tokens SET refreshed = TRUE, refresh_time = ?, superseding = ? WHERE access_token_hash = ?"
                    + " AND refresh_token_hash IS NOT NULL AND refreshed = FALSE AND refresh_invalidated = FALSE",
                    p -> p.int64(refreshTimeMillis).text(superseding).text(accessTokenHash)) == 0) {
                return false;
            }
            insert(c, successor);
            return true;
        });
    }

    @Override
    public Invalidated invalidateAccessTokens(Collection<String> accessTokenHashes, Revocation revocation) {
        return invalidate("access", accessTokenHashes, revocation);
    }

    @Override
    public Invalidated invalidateRefreshTokens(Collection<String> accessTokenHashes) {
        return invalidate("refresh", accessTokenHashes, null);
    }

    /**
     * One transaction; rows locked in key order (no deadlock between two writers); the lists keep the order given. A row
     * whose flag was set already is "previously invalidated", as Elasticsearch's no-op update.
     */
    private Invalidated invalidate(String which, Collection<String> hashes, Revocation revocation) {
        Objects.requireNonNull(hashes, "hashes");
        if (hashes.isEmpty()) {
            return new Invalidated(List.of(), List.of());
        }
        LinkedHashSet<String> requested = new LinkedHashSet<>(hashes);
        String flag = which + "_invalidated";
        String present = which.equals("refresh") ? " AND refresh_token_hash IS NOT NULL" : "";
        long[] seq = new long[1];
        Invalidated out = jdbc.transaction("invalidate OAuth2 " + which + " tokens", c -> {
            TreeSet<String> now = new TreeSet<>();
            TreeSet<String> before = new TreeSet<>();
            for (String h : new TreeSet<>(requested)) {
                if (Jdbc.update(c, "UPDATE oauth2_tokens SET " + flag + " = TRUE WHERE access_token_hash = ? AND " + flag + " = FALSE" + present,
                        p -> p.text(h)) > 0) {
                    now.add(h);
                } else if (Jdbc.one(c, "SELECT 1 FROM oauth2_tokens WHERE access_token_hash = ?" + present, p -> p.text(h),
                        rs -> true).isPresent()) {
                    before.add(h);
                }
            }
            List<String> done = requested.stream().filter(now::contains).toList();
            if (revocation != null && !done.isEmpty()) {
                // after the row locks: see InvalidationLog
                seq[0] = log.append(c, revocation.cache(), done, revocation.origin(), revocation.createdMillis());
            }
            return new Invalidated(done, requested.stream().filter(before::contains).toList());
        });
        if (seq[0] != 0) {
            log.committed(revocation, seq[0]);
        }
        return out;
    }

    @Override
    public List<OAuth2TokenRecord> findActiveTokens(String realm, String username, long nowMillis, long refreshLifetimeMillis) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM oauth2_tokens WHERE ((access_invalidated = FALSE"
                + " AND expiration_time >= ?) OR (refresh_token_hash IS NOT NULL AND refresh_invalidated = FALSE AND creation_time >= ?))");
        List<String> args = new ArrayList<>();
        if (realm != null) {
            sql.append(" AND realm = ?");
            args.add(realm);
        }
        if (username != null) {
            sql.append(" AND username = ?");
            args.add(username);
        }
        sql.append(" ORDER BY creation_time, access_token_hash");
        return jdbc.list("find active OAuth2 tokens", sql.toString(), p -> {
            p.int64(nowMillis).int64(nowMillis - refreshLifetimeMillis);
            for (String a : args) {
                p.text(a);
            }
        }, JdbcOAuth2TokenRepository::token);
    }

    @Override
    public int deleteTokensCreatedBefore(long cutoffMillis) {
        return jdbc.update("delete old OAuth2 tokens", "DELETE FROM oauth2_tokens WHERE creation_time <= ?", p -> p.int64(cutoffMillis));
    }

    private static OAuth2TokenRecord token(ResultSet rs) throws SQLException {
        return new OAuth2TokenRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5), rs.getBoolean(6),
                rs.getBoolean(7), Jdbc.nullableLong(rs, 8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getString(14));
    }
}
