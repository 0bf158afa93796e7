package io.svctoken.store.jdbc;

import io.svctoken.core.store.Store;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.TokenRecord;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every store does as a whole: keeps the data across close and open, and fails clearly once closed. */
public abstract class StoreLifecycleContract extends StoreContract {

    @Test
    void dataSurvivesCloseAndReopen() throws Exception {
        TokenRecord r = token(FLEET, "durable");
        UserRecord u = new UserRecord("elastic", HASH, List.of("superuser"), null, null, null, true);
        store.tokens().insert(r);
        store.users().insertUserIfAbsent(u);
        store.metadata().putMetadataIfAbsent("cluster_uuid", "abc");
        store.close();

        Store again = another();
        assertThat(again.tokens().find(r.id())).contains(r);
        assertThat(again.tokens().tokenNames(FLEET)).containsExactly("durable");
        assertThat(again.users().findUser("elastic")).contains(u);
        assertThat(again.metadata().getMetadata("cluster_uuid")).contains("abc");
    }

    @Test
    void aWriteIsSeenAtOnceThroughAnotherStore() throws Exception {
        Store other = another();
        store.tokens().insert(token(FLEET, "t"));
        assertThat(other.tokens().tokenNames(FLEET)).containsExactly("t");
        assertThat(other.tokens().delete(new TokenId(FLEET, "t"))).isTrue();
        assertThat(store.tokens().find(new TokenId(FLEET, "t"))).isEmpty();
    }

    @Test
    void closedStoreFailsWithStoreException() {
        store.close();
        store.close(); // idempotent
        assertThatThrownBy(() -> store.tokens().find(new TokenId(FLEET, "x")))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.tokens().insert(token(FLEET, "x")))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.metadata().putMetadataIfAbsent("k", "v"))
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.users().listUsers())
                .isInstanceOf(StoreException.class).hasMessageContaining("is closed");
    }
}
