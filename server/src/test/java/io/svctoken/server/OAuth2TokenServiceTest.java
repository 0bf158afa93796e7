package io.svctoken.server;

import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.oauth2.OAuth2TokenService;
import io.svctoken.core.oauth2.OAuth2TokenService.Issued;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token service's time rules over a real SQLite store, with a clock the test moves: Elasticsearch's edges, to the millisecond. */
class OAuth2TokenServiceTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final UserAuthentication BOB = UserAuthentication.of(new User("bob", List.of("viewer"), "Bob", null, null, true),
            new RealmRef("default_native", "native"));
    private static final UserAuthentication KIBANA_CLIENT = UserAuthentication.of(new User("kibana_system", List.of(), null, null, null, true),
            RealmRef.RESERVED);

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicLong now = new AtomicLong(T0);

        @Override
        public long millis() {
            return now.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @TempDir
    Path dir;
    SqliteStore store;
    TestClock clock = new TestClock();
    OAuth2TokenService tokens;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        tokens = new OAuth2TokenService(store.oauth2Tokens(), Duration.ofMinutes(20), Runnable::run, clock, 8190099);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static String value(Secret s) {
        return s.revealAsString(SecretAccess.plaintext());
    }

    private static String refreshFailure(CompletableFuture<Issued> f) {
        Throwable t = assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).actual().getCause();
        assertThat(t).isInstanceOf(OAuth2TokenService.InvalidGrant.class);
        return t.getMessage();
    }

    @Test
    void anAccessTokenIsValidUntilItsExpirationTimeHasPassed() {
        Issued t = tokens.create(BOB, KIBANA_CLIENT, true).join();
        String access = value(t.accessToken());
        clock.now.set(T0 + Duration.ofMinutes(20).toMillis());
        assertThat(tokens.authenticate(access).orElseThrow().join().user().username()).isEqualTo("bob");
        clock.now.incrementAndGet();
        // from the cache, then from the store
        assertThatThrownBy(() -> tokens.authenticate(access).orElseThrow().join()).hasCauseInstanceOf(OAuth2TokenService.Expired.class);
        tokens.invalidateCached(null);
        assertThatThrownBy(() -> tokens.authenticate(access).orElseThrow().join()).hasCauseInstanceOf(OAuth2TokenService.Expired.class);
        assertThat(tokens.authenticate(access.substring(1)).isPresent()).isFalse();
    }

    @Test
    void aRepeatedRefreshGetsTheSamePairForThirtySecondsThenIsRefused() {
        Issued t = tokens.create(BOB, KIBANA_CLIENT, true).join();
        Secret refresh = Secret.of(value(t.refreshToken()));
        clock.now.set(T0 + 1000);
        Issued first = tokens.refresh(refresh, KIBANA_CLIENT).join();
        assertThat(first.authentication().token()).isTrue();
        clock.now.set(T0 + 1000 + 30_000);
        Issued again = tokens.refresh(refresh, KIBANA_CLIENT).join();
        assertThat(value(again.accessToken())).isEqualTo(value(first.accessToken()));
        assertThat(value(again.refreshToken())).isEqualTo(value(first.refreshToken()));
        clock.now.set(T0 + 1000 + 30_001);
        assertThat(refreshFailure(tokens.refresh(refresh, KIBANA_CLIENT)))
                .isEqualTo("token has already been refreshed more than 30 seconds in the past");
        clock.now.set(T0 + 1000 - 30_001);
        assertThat(refreshFailure(tokens.refresh(refresh, KIBANA_CLIENT)))
                .isEqualTo("token has been refreshed more than 30 seconds in the future, clock skew too great");
        assertThat(refreshFailure(tokens.refresh(refresh, BOB))).isEqualTo("tokens must be refreshed by the creating client");
    }

    @Test
    void aRefreshTokenLivesTwentyFourHours() {
        Issued t = tokens.create(BOB, KIBANA_CLIENT, true).join();
        Secret refresh = Secret.of(value(t.refreshToken()));
        clock.now.set(T0 + Duration.ofHours(24).toMillis() + 1);
        assertThat(refreshFailure(tokens.refresh(refresh, KIBANA_CLIENT))).isEqualTo("token document has expired");
        clock.now.set(T0 + Duration.ofHours(24).toMillis());
        assertThat(tokens.refresh(refresh, KIBANA_CLIENT).join().authentication().principal()).isEqualTo("bob");
    }

    @Test
    void theStoreHoldsHashesOnlyAndNothingPrintsAToken() throws Exception {
        Issued t = tokens.create(BOB, KIBANA_CLIENT, true).join();
        String access = value(t.accessToken());
        String refresh = value(t.refreshToken());
        assertThat(t.toString()).doesNotContain(access).doesNotContain(refresh);
        assertThat(t.accessToken().toString()).doesNotContain(access);
        store.close();
        byte[] db = Files.readAllBytes(dir.resolve(SqliteStore.DB_FILE_NAME));
        String all = new String(db, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (Path wal : List.of(dir.resolve(SqliteStore.DB_FILE_NAME + "-wal"))) {
            if (Files.exists(wal)) {
                all += new String(Files.readAllBytes(wal), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
        assertThat(all).doesNotContain(access).doesNotContain(refresh);
        store = SqliteStore.open(dir);
        tokens = new OAuth2TokenService(store.oauth2Tokens(), Duration.ofMinutes(20), Runnable::run, clock, 8190099);
        assertThat(tokens.authenticate(access).orElseThrow().join().user().username()).isEqualTo("bob");
    }

    @Test
    void tokensMadeTwentyFourHoursAgoAreRemoved() {
        String old = value(tokens.create(BOB, KIBANA_CLIENT, true).join().accessToken());
        clock.now.set(T0 + 1);
        String young = value(tokens.create(BOB, KIBANA_CLIENT, false).join().accessToken());
        clock.now.set(T0 + Duration.ofHours(24).toMillis() - 1);
        assertThat(tokens.removeExpired()).isZero();
        clock.now.set(T0 + Duration.ofHours(24).toMillis());
        assertThat(tokens.removeExpired()).isEqualTo(1);
        tokens.invalidateCached(null);
        assertThat(tokens.authenticate(old).orElseThrow().join()).as("no such token any more").isNull();
        assertThat(tokens.invalidateAccessToken(Secret.of(young)).join().notFound()).isFalse();
    }
}
