package io.svctoken.core.event;

import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authc.FailureThrottle;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.realm.FileRealm;
import io.svctoken.core.realm.RealmCacheConfig;
import io.svctoken.core.secret.Secret;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The timing of each authentication: cold when it waited for the worker pool, cached when answered at once; cheap. */
class AuthenticationTimerTest {

    private static final Hasher HASHER = Hasher.resolve("pbkdf2_1000");
    private static final String BOB = "Basic " + Base64.getEncoder().encodeToString("bob:bob-password".getBytes(StandardCharsets.UTF_8));

    private static AuthenticationService chain(Executor worker) {
        FileRealm realm = new FileRealm(Handoffs.counting(worker), new RealmRef("default_file", "file"), RealmCacheConfig.DEFAULT);
        realm.users(Map.of("bob", HASHER.hash(Secret.of("bob-password"))));
        realm.userRoles(Map.of("bob", List.of("superuser")));
        return new AuthenticationService(null, null, List.of(realm), FailureThrottle.Settings.DISABLED);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void theFirstLoginIsColdAndTheCachedOnesAreCached() {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            AuthenticationService authn = chain(worker);
            List<String> heard = new ArrayList<>();
            authn.timer((cached, success, nanos) -> heard.add((cached ? "cached " : "cold ") + success + " " + (nanos > 0)));
            RequestInfo r = RequestInfo.of("/", null);
            authn.authenticate(BOB, null, r).join();
            authn.authenticate(BOB, null, r).join();
            authn.authenticate(null, null, r).exceptionally(e -> null).join();
            assertThat(heard).containsExactly("cold true true", "cached true true", "cached false true");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aLoginHashedBeforeItsAnswerIsAskedForIsStillCold() {
        // a pool that runs each task at once: the answer is done when the chain returns, yet it was hashed
        AuthenticationService authn = chain(Runnable::run);
        List<String> heard = new ArrayList<>();
        authn.timer((cached, success, nanos) -> heard.add((cached ? "cached " : "cold ") + success));
        RequestInfo r = RequestInfo.of("/", null);
        authn.authenticate(BOB, null, r).join();
        authn.authenticate(BOB, null, r).join();
        assertThat(heard).containsExactly("cold true", "cached true");
    }

    /** Bytes a cached authentication allocates on its thread, averaged. */
    private static double bytesPerCachedCheck(AuthenticationService authn) {
        RequestInfo r = RequestInfo.of("/", null);
        for (int i = 0; i < 50_000; i++) {
            authn.authenticate(BOB, null, r).join();
        }
        int n = 50_000;
        long before = allocated();
        for (int i = 0; i < n; i++) {
            authn.authenticate(BOB, null, r).join();
        }
        return (allocated() - before) / (double) n;
    }

    @Test
    void timingACachedCheckAddsLittleToWhatItAllocates() {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            AuthenticationService plain = chain(worker);
            AuthenticationService timed = chain(worker);
            timed.timer((cached, success, nanos) -> {
            });
            plain.authenticate(BOB, null, RequestInfo.of("/", null)).join();
            timed.authenticate(BOB, null, RequestInfo.of("/", null)).join();
            double without = bytesPerCachedCheck(plain);
            double with = bytesPerCachedCheck(timed);
            System.out.printf("cached Basic check: %.0f bytes without timing, %.0f bytes with%n", without, with);
            // one completion stage and its callback (the security events' listeners need the same one)
            assertThat(with - without).isLessThan(160);
        } finally {
            worker.shutdownNow();
        }
    }
}
