package io.svctoken.store.jdbc;

import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.ServiceAccountRecord;
import io.svctoken.core.store.ServiceAccountRepository;
import io.svctoken.core.store.ServiceAccountRepository.DeleteResult;
import io.svctoken.core.store.ServiceAccountRepository.PutResult;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract of {@link ServiceAccountRepository}, for every store. */
public abstract class ServiceAccountRepositoryContract extends StoreContract {

    private static final ServiceAccountId APPS = new ServiceAccountId("apps", "svc_1");
    private static final ServiceAccountId OTHER = new ServiceAccountId("apps", "svc-0");
    private static final String EDITOR = "{\"username\":\"admin\",\"realm\":\"native\",\"realm_type\":\"native\"}";

    @Test
    void accountsRoundTripAndSurviveReopenWithRolesSortedOnce() {
        ServiceAccountRepository accounts = store.serviceAccounts();
        assertThat(accounts.putAccount(ServiceAccountRecord.written(APPS, List.of("b", "a", "b"), true, "first", CREATOR, 1_000L), null))
                .isEqualTo(PutResult.CREATED);
        assertThat(accounts.putAccount(ServiceAccountRecord.written(OTHER, List.of(), false, null, null, 2_000L), null))
                .isEqualTo(PutResult.CREATED);
        store.close();

        ServiceAccountRepository again = another().serviceAccounts();
        assertThat(again.listAccounts()).extracting(a -> a.id().asPrincipal()).containsExactly("apps/svc-0", "apps/svc_1");
        assertThat(again.findAccount(APPS)).contains(new ServiceAccountRecord(APPS, List.of("a", "b"), true, "first", CREATOR,
                1_000L, null, null));
        assertThat(again.findAccount(OTHER).orElseThrow().enabled()).isFalse();
        assertThat(again.findAccount(new ServiceAccountId("apps", "nope"))).isEmpty();
    }

    /** A replacement sets every field but keeps who created the account when; its author is the editor. */
    @Test
    void aReplacementKeepsTheCreatorAndRecordsTheEditor() {
        ServiceAccountRepository accounts = store.serviceAccounts();
        accounts.putAccount(ServiceAccountRecord.written(APPS, List.of("a"), false, "first", CREATOR, 1_000L), null);
        assertThat(accounts.putAccount(ServiceAccountRecord.written(APPS, List.of("c"), true, null, EDITOR, 5_000L), null))
                .isEqualTo(PutResult.REPLACED);
        assertThat(accounts.findAccount(APPS)).contains(new ServiceAccountRecord(APPS, List.of("c"), true, null, CREATOR, 1_000L,
                EDITOR, 5_000L));
    }

    @Test
    void leftoverTokensRefuseACreateButNotAReplacement() throws Exception {
        ServiceAccountRepository accounts = store.serviceAccounts();
        store.tokens().insert(token(APPS, "t1"));
        assertThat(accounts.putAccount(ServiceAccountRecord.written(APPS, List.of("a"), true, null, CREATOR, 1L), null))
                .isEqualTo(PutResult.LEFTOVER_TOKENS);
        assertThat(accounts.findAccount(APPS)).isEmpty();
        store.tokens().delete(new TokenId(APPS, "t1"), null);
        assertThat(accounts.putAccount(ServiceAccountRecord.written(APPS, List.of("a"), true, null, CREATOR, 1L), null))
                .isEqualTo(PutResult.CREATED);
        store.tokens().insert(token(APPS, "t2"));
        assertThat(accounts.putAccount(ServiceAccountRecord.written(APPS, List.of("b"), true, null, CREATOR, 2L), null))
                .isEqualTo(PutResult.REPLACED);
    }

    /** Without force an account with tokens stays; with force only the account goes, its tokens stay stored. */
    @Test
    void aDeleteKeepsAnAccountWithTokensUnlessForcedAndNeverDeletesTokens() throws Exception {
        ServiceAccountRepository accounts = store.serviceAccounts();
        assertThat(accounts.deleteAccount(APPS, false, null)).isEqualTo(DeleteResult.NOT_FOUND);
        accounts.putAccount(ServiceAccountRecord.written(APPS, List.of("a"), true, null, CREATOR, 1L), null);
        store.tokens().insert(token(APPS, "t1"));
        assertThat(accounts.deleteAccount(APPS, false, null)).isEqualTo(DeleteResult.HAS_TOKENS);
        assertThat(accounts.findAccount(APPS)).isPresent();
        assertThat(accounts.deleteAccount(APPS, true, null)).isEqualTo(DeleteResult.DELETED);
        assertThat(accounts.findAccount(APPS)).isEmpty();
        assertThat(store.tokens().tokenNames(APPS)).containsExactly("t1");
        assertThat(accounts.deleteAccount(APPS, true, null)).isEqualTo(DeleteResult.NOT_FOUND);
        // tokens left by a forced delete do not make a delete of a missing account a refusal
        assertThat(accounts.deleteAccount(APPS, false, null)).isEqualTo(DeleteResult.NOT_FOUND);
        accounts.putAccount(ServiceAccountRecord.written(OTHER, List.of(), true, null, null, 1L), null);
        assertThat(accounts.deleteAccount(OTHER, false, null)).isEqualTo(DeleteResult.DELETED);
    }

    /** "Created" is decided by the database: of several writers putting one new account at once, at most one created it. */
    @Test
    void concurrentPutsOfOneNewAccountThroughTwoStoresCreateItOnce() throws Exception {
        List<io.svctoken.core.store.Store> stores = List.of(store, another());
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            io.svctoken.core.store.Store s = stores.get(i % 2);
            ServiceAccountRecord r = ServiceAccountRecord.written(APPS, List.of("r" + i), true, null, null, i);
            tasks.add(() -> {
                try {
                    return s.serviceAccounts().putAccount(r, null) == PutResult.CREATED;
                } catch (io.svctoken.core.store.StoreException e) {
                    return false; // the losing insert of a race: nothing written
                }
            });
        }
        assertThat(race(tasks).stream().filter(b -> b).count()).isEqualTo(1);
        assertThat(store.serviceAccounts().findAccount(APPS)).isPresent();
    }
}
