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
}
