package io.svctoken.core.store;

import io.svctoken.core.secret.Secret;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshingServiceAccountTokenStoreTest {

    private static final ServiceAccountToken TOKEN = new ServiceAccountToken(TokenId.of("elastic/kibana", "t1"), Secret.of("secret-secret"));

    /** A store whose answer flips to success once {@link #known} is set, counting its calls; {@link #during} runs inside each call. */
    private static final class Source implements ServiceAccountTokenStore {
        final AtomicBoolean known = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicLong generation = new AtomicLong();
        Runnable during = () -> { };

        @Override
        public CompletableFuture<StoreAuthenticationResult> authenticate(ServiceAccountToken token) {
            calls.incrementAndGet();
            boolean result = known.get(); // the content this attempt uses
            during.run();
            return CompletableFuture.completedFuture(StoreAuthenticationResult.of(result, TokenSource.FILE));
        }

        /** What a read of a changed file does: new content in place, then the generation raised. */
        void newContent(boolean holdsToken) {
            known.set(holdsToken);
            generation.incrementAndGet();
        }
    }

    @Test
    void aFailureIsRetriedOnceWhenTheRefreshReadNewContent() {
        Source source = new Source();
        AtomicInteger refreshes = new AtomicInteger();
        RefreshingServiceAccountTokenStore store = new RefreshingServiceAccountTokenStore(source, source.generation::get, () -> {
            refreshes.incrementAndGet();
            source.newContent(true); // the file now holds the token
            return CompletableFuture.completedFuture(null);
        });
        assertThat(store.authenticate(TOKEN).join().success()).isTrue();
        assertThat(source.calls).hasValue(2);
        assertThat(refreshes).hasValue(1);
    }

    /** The race of the poller: it read the change while the attempt checked the old content; the refresh then finds nothing new. */
    @Test
    void aFailureIsRetriedWhenThePollerReadNewContentDuringTheAttempt() {
        Source source = new Source();
        AtomicBoolean once = new AtomicBoolean();
        source.during = () -> {
            if (once.compareAndSet(false, true)) {
                source.newContent(true);
            }
        };
        RefreshingServiceAccountTokenStore store = new RefreshingServiceAccountTokenStore(source, source.generation::get,
                () -> CompletableFuture.completedFuture(null)); // "unchanged since the last read"
        assertThat(store.authenticate(TOKEN).join().success()).isTrue();
        assertThat(source.calls).hasValue(2);
    }

    @Test
    void unchangedContentMeansNoRetryAndASuccessNoRefresh() {
        Source source = new Source();
        AtomicInteger refreshes = new AtomicInteger();
        RefreshingServiceAccountTokenStore store = new RefreshingServiceAccountTokenStore(source, source.generation::get, () -> {
            refreshes.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        });
        assertThat(store.authenticate(TOKEN).join().success()).isFalse();
        assertThat(source.calls).hasValue(1);
        assertThat(refreshes).hasValue(1);

        source.known.set(true);
        assertThat(store.authenticate(TOKEN).join().success()).isTrue();
        assertThat(refreshes).as("a success never looks at the source").hasValue(1);
    }

    @Test
    void newContentThatStillLacksTheTokenGivesTheFailure() {
        Source source = new Source();
        RefreshingServiceAccountTokenStore store = new RefreshingServiceAccountTokenStore(source, source.generation::get, () -> {
            source.newContent(false);
            return CompletableFuture.completedFuture(null);
        });
        assertThat(store.authenticate(TOKEN).join()).isEqualTo(StoreAuthenticationResult.of(false, TokenSource.FILE));
        assertThat(source.calls).as("one retry, not a loop").hasValue(2);
    }
}
