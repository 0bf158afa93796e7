package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.token.TokenId;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test repository (the real ones are tested in the store modules); counts lookups. */
public class InMemoryTokenRepository implements TokenRepository {

    final ConcurrentMap<TokenId, TokenRecord> records = new ConcurrentHashMap<>();
    final AtomicInteger finds = new AtomicInteger();
    volatile RuntimeException failWith;

    @Override
    public void insert(TokenRecord record) throws DuplicateTokenException {
        if (records.putIfAbsent(record.id(), record) != null) {
            throw new DuplicateTokenException(record.id());
        }
    }

    @Override
    public boolean delete(TokenId id, Revocation revocation) {
        return records.remove(id) != null;
    }

    @Override
    public Optional<TokenRecord> find(TokenId id) {
        finds.incrementAndGet();
        if (failWith != null) {
            throw failWith;
        }
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public List<String> tokenNames(ServiceAccountId account) {
        return records.keySet().stream().filter(k -> k.accountId().equals(account)).map(TokenId::tokenName).sorted().toList();
    }

    @Override
    public List<TokenRecord> list(ServiceAccountId account) {
        return records.values().stream().filter(r -> r.id().accountId().equals(account))
                .sorted(java.util.Comparator.comparing(r -> r.id().tokenName())).toList();
    }

    @Override
    public boolean setEnabled(TokenId id, boolean enabled, Revocation revocation) {
        return records.computeIfPresent(id, (k, r) -> new TokenRecord(r.id(), r.passwordHash(), r.creationTimeMillis(), r.version(),
                r.creatorJson(), r.expiresAtMillis(), r.metadataJson(), enabled, r.lastUsedMillis(), r.lastUsedNode(), r.successor())) != null;
    }

    @Override
    public synchronized Optional<TokenRecord> rotate(TokenId old, long oldExpiresAtMillis, TokenRecord successor, Revocation revocation)
            throws DuplicateTokenException {
        TokenRecord r = records.get(old);
        if (r == null) {
            return Optional.empty();
        }
        insert(successor);
        long expires = r.expiresAtMillis() != null && r.expiresAtMillis() < oldExpiresAtMillis ? r.expiresAtMillis() : oldExpiresAtMillis;
        TokenRecord after = new TokenRecord(r.id(), r.passwordHash(), r.creationTimeMillis(), r.version(), r.creatorJson(), expires,
                r.metadataJson(), r.enabled(), r.lastUsedMillis(), r.lastUsedNode(), successor.id().tokenName());
        records.put(old, after);
        return Optional.of(after);
    }

    final AtomicInteger lastUsedWrites = new AtomicInteger();

    @Override
    public int recordLastUsed(java.util.Map<TokenId, Long> lastUsedMillis, String nodeName) {
        lastUsedWrites.incrementAndGet();
        int changed = 0;
        for (var e : lastUsedMillis.entrySet()) {
            TokenRecord r = records.get(e.getKey());
            if (r != null && (r.lastUsedMillis() == null || r.lastUsedMillis() < e.getValue())) {
                records.put(r.id(), new TokenRecord(r.id(), r.passwordHash(), r.creationTimeMillis(), r.version(), r.creatorJson(),
                        r.expiresAtMillis(), r.metadataJson(), r.enabled(), e.getValue(), nodeName, r.successor()));
                changed++;
            }
        }
        return changed;
    }
}
