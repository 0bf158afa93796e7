package io.svctoken.core.store;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new token's secret is hashed ahead: each creation, beside its insert, prepares the next creation's secret and hash
 * on the worker, so that sequential creations overlap one's hash with the rest of the previous one (its insert, the
 * answer, the next request). Every creation still gets its own secret, stored hashed only.
 */
class TokenCreatedAheadTest {

    private static final ServiceAccountId FLEET = new ServiceAccountId("elastic", "fleet-server");

    /** The worker, run by the test: what was handed to it, and how many tasks ran. */
    private static final class HeldWorker implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        int ran;
        boolean full;

        @Override
        public void execute(Runnable command) {
            if (full) {
                throw new RejectedExecutionException("full");
            }
            tasks.add(command);
        }

        void runAll() {
            for (Runnable r; (r = tasks.poll()) != null; ) {
                r.run();
                ran++;
            }
        }
    }

    private final HeldWorker worker = new HeldWorker();
    private final InMemoryTokenRepository repo = new InMemoryTokenRepository();
    private final IndexServiceAccountTokenStore index =
            new IndexServiceAccountTokenStore(repo, Hasher.resolve("pbkdf2_1000"), worker, Clock.systemUTC(), 8190099);

    @Test
    void aCreationPreparesTheNextSecretAndHashOnTheWorkerAndEachCreationGetsItsOwn() throws Exception {
        CompletableFuture<ServiceAccountToken> first = index.createNew(new TokenId(FLEET, "t1"), "{}");
        assertThat(first).isNotDone(); // nothing hashed or stored on the caller's thread
        worker.runAll();
        assertThat(first).isCompleted();
        // the creation's own work, and the next creation's secret and hash
        assertThat(worker.ran).isEqualTo(2);

        Set<String> secrets = new HashSet<>();
        for (int i = 2; i <= 4; i++) {
            worker.ran = 0;
            CompletableFuture<ServiceAccountToken> next = index.createNew(new TokenId(FLEET, "t" + i), "{}");
            assertThat(worker.tasks).hasSize(1); // only the insert: the hash is ready
            worker.runAll();
            assertThat(worker.ran).isEqualTo(2);
            try (ServiceAccountToken t = next.get()) {
                assertThat(t.tokenName()).isEqualTo("t" + i);
                String secret = t.secret().revealAsString(SecretAccess.plaintext());
                assertThat(secrets.add(secret)).isTrue();
                TokenRecord r = repo.records.get(t.id());
                assertThat(r.passwordHash()).startsWith("{PBKDF2}1000$").doesNotContain(secret);
                assertThat(Hasher.verifyHash(t.secret(), r.passwordHash())).isTrue();
            }
        }
        try (ServiceAccountToken t = first.get()) {
            assertThat(secrets).doesNotContain(t.secret().revealAsString(SecretAccess.plaintext()));
        }
    }

    @Test
    void aDuplicateNameFailsAndLeavesNoSecretBehindInTheAnswer() throws Exception {
        CompletableFuture<ServiceAccountToken> first = index.createNew(new TokenId(FLEET, "t1"), "{}");
        worker.runAll();
        first.get().close();
        CompletableFuture<ServiceAccountToken> again = index.createNew(new TokenId(FLEET, "t1"), "{}");
        worker.runAll();
        assertThat(again).isCompletedExceptionally();
        assertThat(again.handle((t, e) -> e.getCause()).get()).isInstanceOf(DuplicateTokenException.class);
    }

    @Test
    void aFullWorkerFailsTheCreationAsRejectedAndTheNextOneHashesItsOwn() throws Exception {
        index.createNew(new TokenId(FLEET, "t1"), "{}");
        worker.runAll();
        worker.full = true;
        CompletableFuture<ServiceAccountToken> refused = index.createNew(new TokenId(FLEET, "t2"), "{}");
        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.handle((t, e) -> e.getCause()).get()).isInstanceOf(RejectedExecutionException.class);
        assertThat(repo.records).doesNotContainKey(new TokenId(FLEET, "t2"));

        worker.full = false;
        CompletableFuture<ServiceAccountToken> later = index.createNew(new TokenId(FLEET, "t3"), "{}");
        worker.runAll();
        try (ServiceAccountToken t = later.get()) {
            assertThat(Hasher.verifyHash(t.secret(), repo.records.get(t.id()).passwordHash())).isTrue();
        }
    }
}
