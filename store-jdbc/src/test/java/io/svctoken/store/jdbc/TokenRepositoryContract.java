package io.svctoken.store.jdbc;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.DuplicateTokenException;
import io.svctoken.core.store.Store;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.store.TokenRepository;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link TokenRepository}, for every store. */
public abstract class TokenRepositoryContract extends StoreContract {

    @Test
    void insertFindListDeleteRoundTrip() throws Exception {
        TokenRepository tokens = store.tokens();
        List<String> names = List.of("token-b", "Token-Z", "token_a", "0token", "-dash", "token-a", "tokenA", "a", "A", "z", "x_");
        for (String name : names) {
            tokens.insert(token(FLEET, name));
        }
        tokens.insert(token(KIBANA, "other"));

        TokenRecord expected = token(FLEET, "token-b");
        assertThat(tokens.find(expected.id())).contains(expected);
        assertThat(tokens.find(TokenId.of("elastic/fleet-server", "missing"))).isEmpty();
        assertThat(tokens.find(new TokenId(KIBANA, "token-b"))).isEmpty();

        // byte order, which is Java's order for these (ASCII) names: "-" < "0" < "A" < "_" < "a"
        List<String> javaSorted = new ArrayList<>(names);
        javaSorted.sort(String::compareTo);
        assertThat(tokens.tokenNames(FLEET)).containsExactlyElementsOf(javaSorted);
        assertThat(tokens.tokenNames(KIBANA)).containsExactly("other");
        assertThat(tokens.tokenNames(new ServiceAccountId("elastic", "nobody"))).isEmpty();

        assertThat(tokens.delete(expected.id())).isTrue();
        assertThat(tokens.delete(expected.id())).isFalse();
        assertThat(tokens.find(expected.id())).isEmpty();
        assertThat(tokens.tokenNames(FLEET)).doesNotContain("token-b").hasSize(names.size() - 1);
        assertThat(tokens.tokenNames(KIBANA)).containsExactly("other");
    }

    @Test
    void nullCreatorAndLongNameRoundTrip() throws Exception {
        TokenRecord r = new TokenRecord(new TokenId(FLEET, "n".repeat(256)), HASH, 0L, 0, null);
        store.tokens().insert(r);
        assertThat(store.tokens().find(r.id())).contains(r);
    }

    @Test
    void duplicateIsRejectedByTheUniqueKey() throws Exception {
        TokenRecord first = token(FLEET, "t1");
        store.tokens().insert(first);
        TokenRecord second = new TokenRecord(first.id(), "{PBKDF2_STRETCH}other", 42L, 1, null);
        assertThatThrownBy(() -> store.tokens().insert(second))
                .isInstanceOf(DuplicateTokenException.class)
                .hasMessage("token [elastic/fleet-server/t1] already exists")
                .satisfies(e -> assertThat(((DuplicateTokenException) e).tokenId()).isEqualTo(first.id()));
        assertThat(store.tokens().find(first.id())).contains(first);
        // same name under another account is a different token
        store.tokens().insert(token(KIBANA, "t1"));
        assertThat(store.tokens().tokenNames(KIBANA)).containsExactly("t1");
    }

    /** Two stores on one database (two nodes, or server and CLI): one insert of an id wins, the others are duplicates. */
    @Test
    void concurrentInsertsOfOneIdThroughTwoStoresGiveExactlyOneSuccess() throws Exception {
        List<Store> stores = List.of(store, another());
        int threads = 24;
        for (int round = 0; round < 3; round++) {
            TokenId id = new TokenId(FLEET, "same-" + round);
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Store s = stores.get(i % 2);
                String hash = "{PBKDF2_STRETCH}hash-of-thread-" + i;
                tasks.add(() -> {
                    try {
                        s.tokens().insert(new TokenRecord(id, hash, System.currentTimeMillis(), 1, null));
                        return hash;
                    } catch (DuplicateTokenException e) {
                        assertThat(e.tokenId()).isEqualTo(id);
                        return null;
                    }
                });
            }
            List<String> winners = race(tasks).stream().filter(h -> h != null).toList();
            assertThat(winners).hasSize(1);
            for (Store s : stores) {
                assertThat(s.tokens().find(id).orElseThrow().passwordHash()).isEqualTo(winners.get(0));
            }
        }
    }

    @Test
    void sqlFailuresNameTheOperationButNeverTheHash() throws Exception {
        TokenRecord bad = new TokenRecord(new TokenId(FLEET, "bad-json"), HASH, 1L, 1, "{not json");
        assertThatThrownBy(() -> store.tokens().insert(bad))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("insert token [elastic/fleet-server/bad-json]")
                .hasMessageContaining("database")
                .hasMessageNotContaining(HASH)
                .hasMessageNotContaining("c2FsdHNhbHRzYWx0c2FsdA");
        assertThat(store.tokens().find(bad.id())).isEmpty();
        // the store keeps working after a failed write
        store.tokens().insert(token(FLEET, "good"));
        assertThat(store.tokens().tokenNames(FLEET)).containsExactly("good");
        assertThat(store.tokens().find(token(FLEET, "good").id()).orElseThrow().toString()).doesNotContain(HASH);
    }

    @Test
    void lifecycleFieldsRoundTripAndListIsSortedWithThem() throws Exception {
        TokenRecord plain = token(FLEET, "b-plain");
        TokenRecord expiring = token(FLEET, "a-expiring").withLifecycle(1_800_000_000_000L, "{\"owner\":\"ops\",\"n\":[1,2]}");
        store.tokens().insert(plain);
        store.tokens().insert(expiring);
        assertThat(store.tokens().find(expiring.id())).contains(expiring);
        TokenRecord found = store.tokens().find(plain.id()).orElseThrow();
        assertThat(found).isEqualTo(plain);
        assertThat(found.enabled()).isTrue();
        assertThat(found.expiresAtMillis()).isNull();
        assertThat(found.lastUsedMillis()).isNull();
        assertThat(store.tokens().list(FLEET)).containsExactly(expiring, plain);
        assertThat(store.tokens().list(KIBANA)).isEmpty();
    }

    @Test
    void disableAndEnableKeepTheTokenAndSayWhetherItExists() {
        TokenRecord t = token(FLEET, "t");
        insert(t);
        assertThat(store.tokens().setEnabled(t.id(), false, null)).isTrue();
        assertThat(another().tokens().find(t.id()).orElseThrow().enabled()).isFalse();
        assertThat(store.tokens().setEnabled(t.id(), true, null)).isTrue();
        assertThat(store.tokens().find(t.id()).orElseThrow().enabled()).isTrue();
        assertThat(store.tokens().setEnabled(new TokenId(FLEET, "missing"), false, null)).isFalse();
        assertThat(store.tokens().find(new TokenId(FLEET, "missing"))).isEmpty();
    }

    @Test
    void rotationInsertsTheSuccessorAndShortensTheOldTokensLifeInOneStep() throws Exception {
        TokenRecord old = token(FLEET, "old");
        insert(old);
        TokenRecord next = token(FLEET, "next");
        TokenRecord after = store.tokens().rotate(old.id(), 5_000L, next, null).orElseThrow();
        assertThat(after.expiresAtMillis()).isEqualTo(5_000L);
        assertThat(after.successor()).isEqualTo("next");
        assertThat(store.tokens().find(next.id())).contains(next);
        // a sooner expiry of its own is kept
        assertThat(store.tokens().rotate(old.id(), 9_000L, token(FLEET, "third"), null).orElseThrow().expiresAtMillis()).isEqualTo(5_000L);
        // a taken successor name: nothing changes
        assertThatThrownBy(() -> store.tokens().rotate(next.id(), 1L, token(FLEET, "third"), null))
                .isInstanceOf(DuplicateTokenException.class);
        assertThat(store.tokens().find(next.id())).contains(next);
        // an unknown old token: nothing is inserted
        assertThat(store.tokens().rotate(new TokenId(FLEET, "missing"), 1L, token(FLEET, "orphan"), null)).isEmpty();
        assertThat(store.tokens().find(new TokenId(FLEET, "orphan"))).isEmpty();
    }

    @Test
    void lastUseKeepsTheNewestAcrossWritersAndSkipsDeletedTokens() {
        TokenRecord a = token(FLEET, "a");
        TokenRecord b = token(FLEET, "b");
        insert(a);
        insert(b);
        assertThat(store.tokens().recordLastUsed(java.util.Map.of(a.id(), 2_000L, b.id(), 1_000L), "node-1")).isEqualTo(2);
        // another node with an older time for a, a newer one for b, and a token that is gone
        assertThat(another().tokens().recordLastUsed(java.util.Map.of(a.id(), 1_500L, b.id(), 3_000L,
                new TokenId(FLEET, "gone"), 9_000L), "node-2")).isEqualTo(1);
        TokenRecord foundA = store.tokens().find(a.id()).orElseThrow();
        assertThat(foundA.lastUsedMillis()).isEqualTo(2_000L);
        assertThat(foundA.lastUsedNode()).isEqualTo("node-1");
        TokenRecord foundB = store.tokens().find(b.id()).orElseThrow();
        assertThat(foundB.lastUsedMillis()).isEqualTo(3_000L);
        assertThat(foundB.lastUsedNode()).isEqualTo("node-2");
        assertThat(store.tokens().recordLastUsed(java.util.Map.of(), "node-1")).isZero();
    }

    private void insert(TokenRecord r) {
        try {
            store.tokens().insert(r);
        } catch (DuplicateTokenException e) {
            throw new AssertionError(e);
        }
    }
}
