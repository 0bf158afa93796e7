package io.svctoken.core.store;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshingServiceAccountTokenStoreTest {

    private static final ServiceAccountToken TOKEN = new ServiceAccountToken(TokenId.of("elastic/kibana", "t1"), Secret.of("secret-secret"));

    /** A store whose answer flips to success once {@link #known} is set, counting its calls. */
    private static final class Source implements ServiceAccountTokenStore {
        final AtomicBoolean known = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(StoreAuthenticationResult.of(known.get(), TokenSource.FILE));
        }
    }

    @Test
    void aFailureIsRetriedOnceWhenTheSourceChanged() {
        Source source = new Source();
        AtomicInteger refreshes = new AtomicInteger();
        RefreshingServiceAccountTokenStore store = new RefreshingServiceAccountTokenStore(source, () -> {
            refreshes.incrementAndGet();
            source.known.set(true); // the file now holds the token
            return CompletableFuture.completedFuture(true);
        });
        assertThat(store.authenticate(TOKEN).join().success()).isTrue();
        assertThat(source.calls).hasValue(2);
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void anUnchangedSourceMeansNoRetryAndASuccessNoRefresh() {
        Source source = new Source();
        AtomicInteger refreshes = new AtomicInteger();
        RefreshingServiceAccountTokenStore store = new RefreshingServiceAccountTokenStore(source, () -> {
            refreshes.incrementAndGet();
            return CompletableFuture.completedFuture(false);
        });
        assertThat(store.authenticate(TOKEN).join().success()).isFalse();
        assertThat(source.calls).hasValue(1);
        assertThat(refreshes).hasValue(1);

        source.known.set(true);
        assertThat(store.authenticate(TOKEN).join().success()).isTrue();
        assertThat(refreshes).as("a success never looks at the source").hasValue(1);
    }

    @Test
    void aChangedSourceThatStillLacksTheTokenGivesTheFailure() {
        Source source = new Source();
        RefreshingServiceAccountTokenStore store = new RefreshingServiceAccountTokenStore(source, () -> CompletableFuture.completedFuture(true));
        assertThat(store.authenticate(TOKEN).join()).isEqualTo(StoreAuthenticationResult.of(false, TokenSource.FILE));
        assertThat(source.calls).as("one retry, not a loop").hasValue(2);
    }
}
