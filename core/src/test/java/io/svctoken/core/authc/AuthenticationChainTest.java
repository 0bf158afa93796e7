package io.svctoken.core.authc;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.error.AuthorizationDeniedException;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.realm.FileRealm;
import io.svctoken.core.realm.RealmCacheConfig;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.InMemoryTokenRepository;
import io.svctoken.core.store.IndexServiceAccountTokenStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The authentication chain, the file realm and the authorizer as plain Java: no server, no files, no HTTP. */
class AuthenticationChainTest {

    private static final Hasher HASHER = Hasher.resolve("pbkdf2_1000");
    private static final CompatibilityVersion VERSION = CompatibilityVersion.DEFAULT;

    /** The file realm's files as a test feeds them: {@link #refreshNow()} takes in what {@code next} holds. */
    private static final class FedFiles implements FileRealm.Files {
        final FileRealm realm;
        final AtomicLong generation = new AtomicLong();
        volatile Map<String, String> next;

        FedFiles(FileRealm realm) {
            this.realm = realm;
        }

        @Override
        public void refreshNow() {
            Map<String, String> n = next;
            if (n != null && realm.users(n)) {
                generation.incrementAndGet();
            }
        }

        @Override
        public long generation() {
            return generation.get();
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static AuthenticationService chain(FileRealm realm) {
        ServiceAccountAuthenticator tokens = new ServiceAccountAuthenticator(BuiltinServiceAccounts.forVersion(VERSION),
                new IndexServiceAccountTokenStore(new InMemoryTokenRepository(), HASHER, Runnable::run, Clock.systemUTC(), VERSION.versionId()));
        return new AuthenticationService(tokens, null, List.of(realm), FailureThrottle.Settings.DISABLED);
    }

    private static AuthenticationException refusal(Runnable r) {
        try {
            r.run();
        } catch (CompletionException e) {
            return (AuthenticationException) e.getCause();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aFileRealmUserAuthenticatesAndIsAuthorizedByItsRoles() {
        FileRealm realm = new FileRealm(Runnable::run, new RealmRef("default_file", "file"), RealmCacheConfig.DEFAULT);
        realm.users(Map.of("bob", HASHER.hash(Secret.of("bob-password"))));
        realm.userRoles(Map.of("bob", List.of("superuser")));
        Authentication bob = chain(realm).authenticate(basic("bob", "bob-password"), null, "/_security/user", null).join();

        assertThat(bob).isEqualTo(UserAuthentication.of(new User("bob", List.of("superuser"), null, null, null, true),
                new RealmRef("default_file", "file")));
        assertThat(Creator.of(bob).toString()).isEqualTo(
                "{\"principal\":\"bob\",\"full_name\":null,\"email\":null,\"metadata\":{},\"realm\":\"default_file\",\"realm_type\":\"file\"}");
        new Authorizer(new RoleResolver(List.of(ReservedRoles.forVersion(VERSION)::find))).authorize(bob, Actions.PUT_USER);
    }

    @Test
    void refusalsAreDomainExceptionsWithElasticsearchsTexts() {
        FileRealm realm = new FileRealm(Runnable::run, new RealmRef("default_file", "file"), RealmCacheConfig.DEFAULT);
        realm.users(Map.of("bob", HASHER.hash(Secret.of("bob-password"))));
        AuthenticationService chain = chain(realm);

        AuthenticationException wrong = refusal(() -> chain.authenticate(basic("bob", "nope"), null, "/x", null).join());
        assertThat(wrong.kind()).isEqualTo(AuthenticationException.Kind.UNAUTHENTICATED);
        assertThat(wrong).hasMessage("unable to authenticate user [bob] for REST request [/x]");
        assertThat(refusal(() -> chain.authenticate(null, null, "/x", null).join()))
                .hasMessage("missing authentication credentials for REST request [/x]");

        // bob has no roles: the authorizer refuses with Elasticsearch's 403 text
        Authentication bob = chain.authenticate(basic("bob", "bob-password"), null, "/x", null).join();
        Authorizer authorizer = new Authorizer(new RoleResolver(List.of(ReservedRoles.forVersion(VERSION)::find)));
        assertThatThrownBy(() -> authorizer.authorize(bob, Actions.PUT_USER))
                .isInstanceOf(AuthorizationDeniedException.class)
                .hasMessageStartingWith("action [cluster:admin/xpack/security/user/put] is unauthorized for user [bob]");
    }

    @Test
    void aUserTheFilesGotSinceTheLastPollLogsInAtOnce() {
        FileRealm realm = new FileRealm(Runnable::run, new RealmRef("default_file", "file"), RealmCacheConfig.DEFAULT);
        FedFiles files = new FedFiles(realm);
        realm.readBy(files);
        files.next = Map.of("amy", HASHER.hash(Secret.of("amy-password")));

        // the poll has not read the change yet: the chain asks the files to refresh, sees a new generation, tries again
        Authentication amy = chain(realm).authenticate(basic("amy", "amy-password"), null, "/", null).join();
        assertThat(amy.principal()).isEqualTo("amy");
        assertThat(realm.generation()).isEqualTo(1);
    }
}
