package io.svctoken.store.jdbc;

import io.svctoken.core.store.OAuth2TokenRecord;
import io.svctoken.core.store.OAuth2TokenRepository;
import io.svctoken.core.store.OAuth2TokenRepository.Invalidated;
import io.svctoken.core.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link OAuth2TokenRepository}, for every store. */
public abstract class OAuth2TokenRepositoryContract extends StoreContract {

    private static final long NOW = 1_800_000_000_000L;
    private static final long DAY = 24 * 3600_000L;
    private static final String AUTHN = "{\"user\":{\"username\":\"bob\"}}";

    private static OAuth2TokenRecord token(String access, String refresh, String user, String realm, long created) {
        return OAuth2TokenRecord.issued(access, refresh, created, created + 1_200_000, user, realm, AUTHN, "elastic", "reserved");
    }

    @Test
    void tokensAreFoundByTheirHashesAndSurviveReopen() {
        store.oauth2Tokens().insertToken(token("a1", "r1", "bob", "native1", NOW));
        store.oauth2Tokens().insertToken(token("a2", null, "bob", "native1", NOW));
        store.close();

        OAuth2TokenRepository again = another().oauth2Tokens();
        OAuth2TokenRecord found = again.findByAccessHash("a1").orElseThrow();
        assertThat(found).isEqualTo(token("a1", "r1", "bob", "native1", NOW));
        assertThat(again.findByRefreshHash("r1")).contains(found);
        assertThat(again.findByAccessHash("a2").orElseThrow().hasRefreshToken()).isFalse();
        assertThat(again.findByAccessHash("r1")).isEmpty();
        assertThat(again.findByRefreshHash("a1")).isEmpty();
        assertThat(found.toString()).doesNotContain("a1").doesNotContain("r1");
    }

    @Test
    void aHashIsUniqueAndTheSubjectMustBeAJsonObject() {
        OAuth2TokenRepository tokens = store.oauth2Tokens();
        tokens.insertToken(token("a1", "r1", "bob", "native1", NOW));
        assertThatThrownBy(() -> tokens.insertToken(token("a1", "r2", "bob", "native1", NOW))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> tokens.insertToken(token("a2", "r1", "bob", "native1", NOW))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> tokens.insertToken(OAuth2TokenRecord.issued("a3", null, NOW, NOW, "bob", "native1", "[1]", "bob",
                "native1"))).isInstanceOf(StoreException.class);
    }

    @Test
    void aRefreshTokenIsUsedOnceAndItsSuccessorIsWrittenWithIt() {
        OAuth2TokenRepository tokens = store.oauth2Tokens();
        tokens.insertToken(token("a1", "r1", "bob", "native1", NOW));
        assertThat(tokens.refresh("a1", NOW + 5, "sealed", token("a2", "r2", "bob", "native1", NOW + 5))).isTrue();
        assertThat(tokens.refresh("a1", NOW + 6, "other", token("a3", "r3", "bob", "native1", NOW + 6))).isFalse();
        OAuth2TokenRecord used = tokens.findByRefreshHash("r1").orElseThrow();
        assertThat(used.refreshed()).isTrue();
        assertThat(used.refreshTimeMillis()).isEqualTo(NOW + 5);
        assertThat(used.superseding()).isEqualTo("sealed");
        assertThat(tokens.findByAccessHash("a2")).isPresent();
        assertThat(tokens.findByAccessHash("a3")).isEmpty();

        tokens.insertToken(token("b1", "s1", "bob", "native1", NOW));
        assertThat(tokens.invalidateRefreshTokens(List.of("b1")).invalidated()).containsExactly("b1");
        assertThat(tokens.refresh("b1", NOW, "x", token("b2", "s2", "bob", "native1", NOW))).isFalse();
        tokens.insertToken(token("c1", null, "bob", "native1", NOW));
        assertThat(tokens.refresh("c1", NOW, "x", token("c2", "t2", "bob", "native1", NOW))).isFalse();
        assertThat(tokens.findByAccessHash("b2")).isEmpty();
        assertThat(tokens.findByAccessHash("c2")).isEmpty();
    }

    @Test
    void twoNodesRefreshingOneTokenAtOnceGiveOneSuccessor() throws Exception {
        store.oauth2Tokens().insertToken(token("a1", "r1", "bob", "native1", NOW));
        OAuth2TokenRepository other = another().oauth2Tokens();
        List<Callable<Boolean>> both = List.of(
                () -> store.oauth2Tokens().refresh("a1", NOW, "x", token("n1", "m1", "bob", "native1", NOW)),
                () -> other.refresh("a1", NOW, "y", token("n2", "m2", "bob", "native1", NOW)));
        List<Boolean> results;
        try {
            results = race(both);
        } catch (java.util.concurrent.ExecutionException e) {
            // a store may refuse the loser with a serialization failure instead of a no-op: still one winner
            assertThat(e.getCause()).isInstanceOf(StoreException.class);
            results = List.of(true, false);
        }
        assertThat(results).containsOnlyOnce(true);
        assertThat(store.oauth2Tokens().findByAccessHash("n1").isPresent() ^ store.oauth2Tokens().findByAccessHash("n2").isPresent()).isTrue();
    }

    @Test
    void invalidationTellsNewFromPreviousAndIgnoresUnknownTokens() {
        OAuth2TokenRepository tokens = store.oauth2Tokens();
        tokens.insertToken(token("a1", "r1", "bob", "native1", NOW));
        tokens.insertToken(token("a2", null, "bob", "native1", NOW));
        assertThat(tokens.invalidateAccessTokens(List.of("a2", "nope", "a1"), null))
                .isEqualTo(new Invalidated(List.of("a2", "a1"), List.of()));
        assertThat(tokens.invalidateAccessTokens(List.of("a1"), null)).isEqualTo(new Invalidated(List.of(), List.of("a1")));
        assertThat(tokens.invalidateRefreshTokens(List.of("a1", "a2", "nope"))).isEqualTo(new Invalidated(List.of("a1"), List.of()));
        assertThat(tokens.invalidateRefreshTokens(List.of("a1"))).isEqualTo(new Invalidated(List.of(), List.of("a1")));
        OAuth2TokenRecord a1 = tokens.findByAccessHash("a1").orElseThrow();
        assertThat(a1.accessInvalidated()).isTrue();
        assertThat(a1.refreshInvalidated()).isTrue();
        assertThat(tokens.invalidateAccessTokens(List.of(), null)).isEqualTo(new Invalidated(List.of(), List.of()));
    }

    @Test
    void activeTokensAreThoseWithAUsableAccessOrRefreshToken() {
        OAuth2TokenRepository tokens = store.oauth2Tokens();
        tokens.insertToken(token("live", "r1", "bob", "native1", NOW));
        tokens.insertToken(token("other-realm", null, "bob", "file1", NOW + 1));
        tokens.insertToken(token("alice", null, "alice", "native1", NOW + 2));
        // access expired, refresh token still within its 24 hours
        tokens.insertToken(token("refreshable", "r2", "bob", "native1", NOW - DAY + 10));
        // access expired, refresh token older than 24 hours
        tokens.insertToken(token("old", "r3", "bob", "native1", NOW - DAY - 10));
        // both invalidated
        tokens.insertToken(token("dead", "r4", "bob", "native1", NOW));
        tokens.invalidateAccessTokens(List.of("dead"), null);
        tokens.invalidateRefreshTokens(List.of("dead"));

        assertThat(tokens.findActiveTokens(null, "bob", NOW, DAY)).extracting(OAuth2TokenRecord::accessTokenHash)
                .containsExactly("refreshable", "live", "other-realm");
        assertThat(tokens.findActiveTokens("native1", null, NOW, DAY)).extracting(OAuth2TokenRecord::accessTokenHash)
                .containsExactly("refreshable", "live", "alice");
        assertThat(tokens.findActiveTokens("native1", "alice", NOW, DAY)).extracting(OAuth2TokenRecord::accessTokenHash)
                .containsExactly("alice");
        assertThat(tokens.findActiveTokens("nope", null, NOW, DAY)).isEmpty();
    }

    @Test
    void tokensCreatedLongEnoughAgoAreDeleted() {
        OAuth2TokenRepository tokens = store.oauth2Tokens();
        tokens.insertToken(token("old", "r1", "bob", "native1", NOW - DAY - 1));
        tokens.insertToken(token("edge", null, "bob", "native1", NOW - DAY));
        tokens.insertToken(token("young", "r3", "bob", "native1", NOW - DAY + 1));
        assertThat(tokens.deleteTokensCreatedBefore(NOW - DAY)).isEqualTo(2);
        assertThat(tokens.findByAccessHash("old")).isEmpty();
        assertThat(tokens.findByRefreshHash("r1")).isEmpty();
        assertThat(tokens.findByAccessHash("edge")).isEmpty();
        assertThat(tokens.findByAccessHash("young")).isPresent();
        assertThat(tokens.deleteTokensCreatedBefore(NOW - DAY)).isZero();
    }
}
