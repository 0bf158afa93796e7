package io.svctoken.core.store;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.authc.ServiceAccountAuthenticator;
import io.svctoken.core.authc.ServiceTokenAuthenticationException;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.token.ServiceAccountToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expiry and disabling of index tokens: through the store, through its cache, and as the authenticator reports them. */
class TokenLifecycleAuthenticationTest {

    private static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");
    private static final long T0 = 1_800_000_000_000L;

    private final ExecutorService worker = Executors.newFixedThreadPool(2);
    private final InMemoryTokenRepository repo = new InMemoryTokenRepository();
    private final ManualClock clock = new ManualClock(T0);
    private final IndexServiceAccountTokenStore index =
            new IndexServiceAccountTokenStore(repo, Hasher.resolve("pbkdf2_1000"), worker, clock, 8190099);
    private final CachingServiceAccountTokenStore cache =
            new CachingServiceAccountTokenStore(index, Duration.ofMinutes(20), 1000, Hasher.resolve("ssha256"), worker, () -> true, clock);
    private final ServiceAccountAuthenticator authenticator =
            new ServiceAccountAuthenticator(BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19), cache);

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    private ServiceAccountToken created(String name, Long expiresAt) throws Exception {
        ServiceAccountToken t = ServiceAccountToken.newToken(FLEET, name);
        index.create(t, "{}", expiresAt, null).get(10, TimeUnit.SECONDS);
        return t;
    }

    @Test
    void aTokenWorksUntilTheMillisecondBeforeItsExpiryAndNotAtIt() throws Exception {
        ServiceAccountToken t = created("t", T0 + 1000);
        clock.set(T0 + 999);
        assertThat(index.authenticate(t).get().success()).isTrue();
        clock.set(T0 + 1000);
        StoreAuthenticationResult r = index.authenticate(t).get();
        assertThat(r.success()).isFalse();
        assertThat(r.refusal()).isEqualTo(StoreAuthenticationResult.Refusal.EXPIRED);
    }

    @Test
    void aCachedSuccessEndsAtTheExpiryWithoutAskingTheStore() throws Exception {
        ServiceAccountToken t = created("t", T0 + 1000);
        assertThat(cache.authenticate(t).get().success()).isTrue();
        int finds = repo.finds.get();
        clock.set(T0 + 999);
        assertThat(cache.authenticate(t).get().success()).isTrue();
        assertThat(repo.finds.get()).isEqualTo(finds); // served by the cache
        clock.set(T0 + 1000);
        StoreAuthenticationResult r = cache.authenticate(t).get();
        assertThat(r.success()).isFalse();
        assertThat(r.refusal()).isEqualTo(StoreAuthenticationResult.Refusal.EXPIRED);
    }

    @Test
    void aTokenWithoutExpiryNeverExpires() throws Exception {
        ServiceAccountToken t = created("t", null);
        clock.set(Long.MAX_VALUE / 2);
        assertThat(cache.authenticate(t).get()).isEqualTo(StoreAuthenticationResult.success(TokenSource.INDEX));
    }

    @Test
    void aDisabledTokenIsRefusedAndAnEnabledOneWorksAgain() throws Exception {
        ServiceAccountToken t = created("t", null);
        repo.setEnabled(t.id(), false, null);
        StoreAuthenticationResult r = index.authenticate(t).get();
        assertThat(r.success()).isFalse();
        assertThat(r.refusal()).isEqualTo(StoreAuthenticationResult.Refusal.DISABLED);
        repo.setEnabled(t.id(), true, null);
        assertThat(index.authenticate(t).get().success()).isTrue();
    }

    @Test
    void aWrongSecretOfAnExpiredOrDisabledTokenSaysNothingAboutItsState() throws Exception {
        ServiceAccountToken t = created("t", T0 + 1);
        repo.setEnabled(t.id(), false, null);
        clock.set(T0 + 5);
        StoreAuthenticationResult r = index.authenticate(new ServiceAccountToken(t.id(), Secret.of("wrong-secret-value"))).get();
        assertThat(r.success()).isFalse();
        assertThat(r.refusal()).isNull();
    }

    /** Elasticsearch's message for a wrong secret, word for word; only the exception's reason (for the log) says why. */
    @Test
    void theAuthenticatorRefusesAnExpiredOrDisabledTokenWithTheWrongSecretMessage() throws Exception {
        ServiceAccountToken expired = created("expired", T0 + 1);
        ServiceAccountToken disabled = created("disabled", null);
        repo.setEnabled(disabled.id(), false, null);
        clock.set(T0 + 1);
        String esText = "failed to authenticate service account [elastic/fleet-server] with token name [%s]";
        assertThatThrownBy(() -> authenticator.authenticate(expired).get())
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(ServiceTokenAuthenticationException.class).hasMessage(esText.formatted("expired"))
                .satisfies(e -> assertThat(((ServiceTokenAuthenticationException) e).reason()).isEqualTo("expired"));
        assertThatThrownBy(() -> authenticator.authenticate(disabled).get())
                .cause().hasMessage(esText.formatted("disabled"))
                .satisfies(e -> assertThat(((ServiceTokenAuthenticationException) e).reason()).isEqualTo("disabled"));
        assertThatThrownBy(() -> authenticator.authenticate(new ServiceAccountToken(expired.id(), Secret.of("wrong-secret-value"))).get())
                .cause().hasMessage(esText.formatted("expired"))
                .satisfies(e -> assertThat(((ServiceTokenAuthenticationException) e).reason()).isNull());
    }

    @Test
    void aSuccessfulIndexTokenIsNotedAsUsedAndAFailedOneIsNot() throws Exception {
        TokenUsage usage = new TokenUsage(Duration.ofMinutes(5), clock);
        ServiceAccountAuthenticator noting =
                new ServiceAccountAuthenticator(BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19), cache, usage);
        ServiceAccountToken t = created("t", null);
        ServiceAccountToken off = created("off", null);
        repo.setEnabled(off.id(), false, null);
        noting.authenticate(t).get();
        assertThatThrownBy(() -> noting.authenticate(off).get()).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> noting.authenticate(new ServiceAccountToken(t.id(), Secret.of("wrong-secret-value"))).get())
                .isInstanceOf(ExecutionException.class);
        assertThat(usage.pending()).isEqualTo(1);
        assertThat(usage.flush(repo, "node-1")).isEqualTo(1);
        assertThat(repo.find(t.id()).orElseThrow().lastUsedMillis()).isEqualTo(T0);
        assertThat(repo.find(off.id()).orElseThrow().lastUsedMillis()).isNull();
    }
}
