package io.svctoken.store.jdbc;

import io.svctoken.core.store.Store;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.UserRecord;
import io.svctoken.core.store.UserRepository;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link UserRepository}, for every store. */
public abstract class UserRepositoryContract extends StoreContract {

    @Test
    void usersRoundTrip() {
        UserRepository users = store.users();
        assertThat(users.findUser("elastic")).isEmpty();
        UserRecord elastic = new UserRecord("elastic", HASH, List.of("superuser"), null, null, null, true);
        assertThat(users.insertUserIfAbsent(elastic)).isTrue();
        assertThat(users.findUser("elastic")).contains(elastic);
        assertThat(users.findUser("elastic").orElseThrow().metadataJson()).isEqualTo("{}");

        UserRecord other = new UserRecord("elastic", "{PBKDF2}other", List.of(), "x", "y", "{}", false);
        assertThat(users.insertUserIfAbsent(other)).isFalse();
        assertThat(users.findUser("elastic")).contains(elastic);

        UserRecord fancy = new UserRecord("jdoe", null, List.of("a\"b", "üñí", "back\\slash", "", "x y"),
                "John \"J\" Doe", "j@example.com", "{\"n\":[1,2,{\"k\":\"v\"}],  \"a\" : 1}", false);
        users.putUser(fancy);
        assertThat(users.findUser("jdoe")).contains(fancy);
        // the JSON text comes back as it was given: key order and spacing kept
        assertThat(users.findUser("jdoe").orElseThrow().metadataJson()).isEqualTo("{\"n\":[1,2,{\"k\":\"v\"}],  \"a\" : 1}");
        UserRecord replaced = new UserRecord("jdoe", HASH, List.of("viewer"), null, null, null, true);
        users.putUser(replaced);
        assertThat(users.findUser("jdoe")).contains(replaced);

        assertThat(users.deleteUser("jdoe")).isTrue();
        assertThat(users.deleteUser("jdoe")).isFalse();
        assertThat(users.findUser("jdoe")).isEmpty();
        assertThat(users.findUser("elastic")).contains(elastic);
    }

    @Test
    void usersAreListedSortedByteWise() {
        UserRepository users = store.users();
        users.putUser(new UserRecord("zed", "h", List.of("viewer"), "Zed", "z@example.com", "{}", true));
        users.putUser(new UserRecord("amy", null, List.of(), null, null, "{\"k\":1}", false));
        users.putUser(new UserRecord("Bob", null, List.of(), null, null, null, true));
        users.putUser(new UserRecord("émile", null, List.of(), null, null, null, true));
        assertThat(users.listUsers()).extracting(UserRecord::username).containsExactly("Bob", "amy", "zed", "émile");
        UserRecord amy = users.listUsers().get(1);
        assertThat(amy.enabled()).isFalse();
        assertThat(amy.metadataJson()).isEqualTo("{\"k\":1}");
        assertThat(users.listUsers().get(2).roles()).containsExactly("viewer");
    }

    @Test
    void metadataMustBeJson() {
        assertThatThrownBy(() -> store.users().putUser(new UserRecord("x", null, List.of(), null, null, "{not json", true)))
                .isInstanceOf(StoreException.class).hasMessageContaining("put user [x]");
        assertThat(store.users().findUser("x")).isEmpty();
    }

    @Test
    void concurrentInsertIfAbsentThroughTwoStoresInsertsOnce() throws Exception {
        List<Store> stores = List.of(store, another());
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Store s = stores.get(i % 2);
            UserRecord u = new UserRecord("elastic", "{PBKDF2}hash-" + i, List.of("superuser"), null, null, null, true);
            tasks.add(() -> s.users().insertUserIfAbsent(u));
        }
        List<Boolean> inserted = race(tasks);
        assertThat(inserted.stream().filter(b -> b).count()).isEqualTo(1);
        String winner = "{PBKDF2}hash-" + inserted.indexOf(true);
        assertThat(store.users().findUser("elastic").orElseThrow().passwordHash()).isEqualTo(winner);
    }
}
