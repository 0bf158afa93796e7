package io.svctoken.store.jdbc;

import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.ApiKeyRepository;
import io.svctoken.core.store.Revocation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** API keys, table {@code api_keys}: one row per key, kept when invalidated. */
public final class JdbcApiKeyRepository implements ApiKeyRepository {

    private static final String COLUMNS = "id, name, type, api_key_hash, creation_time, expiration_time, invalidated,"
            + " invalidation_time, owner_username, owner_realm, owner_realm_type, creator, role_descriptors,"
            + " limited_by_role_descriptors, metadata, version";

    private final Jdbc jdbc;
    private final InvalidationLog log;

    JdbcApiKeyRepository(Jdbc jdbc, InvalidationLog log) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void insertApiKey(ApiKeyRecord key) {
        Objects.requireNonNull(key, "key");
        jdbc.update("insert API key [" + key.id() + "]",
                "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p -> p.text(key.id()).text(key.name()).text(key.type()).text(key.apiKeyHash()).int64(key.creationTimeMillis())
                        .int64(key.expirationTimeMillis()).bool(key.invalidated()).int64(key.invalidationTimeMillis())
                        .text(key.ownerUsername()).text(key.ownerRealm()).text(key.ownerRealmType()).text(key.creatorJson())
                        .text(key.roleDescriptorsJson()).text(key.limitedByJson()).text(key.metadataJson()).int32(key.version()));
    }

    @Override
    public Optional<ApiKeyRecord> findApiKey(String id) {
        Objects.requireNonNull(id, "id");
        return jdbc.one("find API key [" + id + "]", "SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", p -> p.text(id),
                JdbcApiKeyRepository::apiKey);
    }

    @Override
    public List<ApiKeyRecord> findApiKeys(ApiKeyFilter filter) {
        Objects.requireNonNull(filter, "filter");
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM api_keys WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.ids() != null && !filter.ids().isEmpty()) {
            sql.append(" AND id IN (").append("?, ".repeat(filter.ids().size() - 1)).append("?)");
            args.addAll(filter.ids());
        }
        if (!filter.anyName()) {
            if (filter.name().endsWith("*")) {
                // a prefix, compared byte-wise (no LIKE: its wildcards and case folding are not Elasticsearch's)
                String prefix = filter.name().substring(0, filter.name().length() - 1);
                sql.append(" AND substr(name, 1, ?) = ?");
                args.add(prefix.codePointCount(0, prefix.length()));
                args.add(prefix);
            } else {
                sql.append(" AND name = ?");
                args.add(filter.name());
            }
        }
        if (filter.username() != null && !filter.username().isEmpty()) {
            sql.append(" AND owner_username = ?");
            args.add(filter.username());
        }
        if (filter.realmNames() != null && !filter.realmNames().isEmpty()) {
            sql.append(" AND owner_realm IN (").append("?, ".repeat(filter.realmNames().size() - 1)).append("?)");
            args.addAll(filter.realmNames());
        }
        if (filter.excludeInvalidated()) {
            sql.append(" AND invalidated = FALSE");
        }
        if (filter.activeAt() != null) {
            sql.append(" AND invalidated = FALSE AND (expiration_time IS NULL OR expiration_time > ?)");
            args.add(filter.activeAt());
        }
        sql.append(" ORDER BY creation_time, id");
        return jdbc.list("find API keys", sql.toString(), p -> {
            for (Object a : args) {
                if (a instanceof Long l) {
                    p.int64(l);
                } else if (a instanceof Integer i) {
                    p.int32(i);
                } else {
                    p.text((String) a);
                }
            }
        }, JdbcApiKeyRepository::apiKey);
    }

    /**
     * One transaction. The rows are locked in id order, so that two writers invalidating overlapping
     * sets (two nodes on one PostgreSQL) cannot deadlock; the answer keeps the order of {@code ids}.
     */
    @Override
    public List<String> invalidateApiKeys(Collection<String> ids, long timeMillis, Revocation revocation) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return List.of();
        }
        Set<String> requested = new LinkedHashSet<>(ids);
        long[] seq = new long[1];
        List<String> invalidated = jdbc.transaction("invalidate API keys", c -> {
            Set<String> done = new TreeSet<>();
            for (String id : new TreeSet<>(requested)) {
                if (Jdbc.update(c, "UPDATE api_keys SET invalidated = TRUE, invalidation_time = ? WHERE id = ? AND invalidated = FALSE",
                        p -> p.int64(timeMillis).text(id)) > 0) {
                    done.add(id);
                }
            }
            List<String> out = requested.stream().filter(done::contains).toList();
            if (revocation != null && !out.isEmpty()) {
                // after the row locks: see InvalidationLog
                seq[0] = log.append(c, revocation.cache(), out, revocation.origin(), revocation.createdMillis());
            }
            return out;
        });
        if (seq[0] != 0) {
            log.committed(revocation, seq[0]);
        }
        return invalidated;
    }

    @Override
    public boolean updateApiKey(ApiKeyRecord k, Revocation revocation) {
        Objects.requireNonNull(k, "updated");
        long[] seq = new long[1];
        boolean updated = jdbc.transaction("update API key [" + k.id() + "]", c -> {
            int rows = Jdbc.update(c, "UPDATE api_keys SET role_descriptors = ?, limited_by_role_descriptors = ?, metadata = ?,"
                            + " expiration_time = ?, creator = ?, version = ? WHERE id = ? AND invalidated = FALSE",
                    p -> p.text(k.roleDescriptorsJson()).text(k.limitedByJson()).text(k.metadataJson()).int64(k.expirationTimeMillis())
                            .text(k.creatorJson()).int32(k.version()).text(k.id()));
            if (rows > 0 && revocation != null) {
                // after the row lock: see InvalidationLog
                seq[0] = log.append(c, revocation.cache(), List.of(k.id()), revocation.origin(), revocation.createdMillis());
            }
            return rows > 0;
        });
        if (seq[0] != 0) {
            log.committed(revocation, seq[0]);
        }
        return updated;
    }

    private static ApiKeyRecord apiKey(ResultSet rs) throws SQLException {
        return new ApiKeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                Jdbc.nullableLong(rs, 6), rs.getBoolean(7), Jdbc.nullableLong(rs, 8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getInt(16));
    }
}
