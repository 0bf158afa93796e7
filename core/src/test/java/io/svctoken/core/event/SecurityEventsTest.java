package io.svctoken.core.event;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authc.CredentialAttempt;
import io.svctoken.core.authc.FailureThrottle;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.ServiceAccountAuthenticator;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.realm.FileRealm;
import io.svctoken.core.realm.RealmCacheConfig;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.InMemoryTokenRepository;
import io.svctoken.core.store.IndexServiceAccountTokenStore;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every authentication's outcome reaches the listeners once, with the credential tried and never its secret. */
class SecurityEventsTest {

    private static final Hasher HASHER = Hasher.resolve("pbkdf2_1000");
    private static final CompatibilityVersion VERSION = CompatibilityVersion.DEFAULT;

    /** What a listener heard, as text. */
    private static final class Heard implements SecurityEvents {
        final List<String> events = new ArrayList<>();
        final List<RequestInfo> requests = new ArrayList<>();

        @Override
        public void authenticationSuccess(RequestInfo request, Authentication authentication) {
            requests.add(request);
            events.add("success " + authentication.principal());
        }

        @Override
        public void authenticationFailed(RequestInfo request, AuthenticationException failure) {
            requests.add(request);
            CredentialAttempt a = failure.attempt();
            events.add("failed " + a.type() + " " + a.principal() + " " + a.tokenName() + " " + a.reason());
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static AuthenticationService chain() {
        FileRealm realm = new FileRealm(Runnable::run, new RealmRef("default_file", "file"), RealmCacheConfig.DEFAULT);
        realm.users(Map.of("bob", HASHER.hash(Secret.of("bob-password"))));
        realm.userRoles(Map.of("bob", List.of("superuser")));
        ServiceAccountAuthenticator tokens = new ServiceAccountAuthenticator(BuiltinServiceAccounts.forVersion(VERSION),
                new IndexServiceAccountTokenStore(new InMemoryTokenRepository(), HASHER, Runnable::run, Clock.systemUTC(), VERSION.versionId()));
        return new AuthenticationService(tokens, null, List.of(realm), FailureThrottle.Settings.DISABLED);
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException expected) {
            // the refusal itself is the chain's business; the listener's view is checked
        }
    }

    @Test
    void eachOutcomeIsHeardOnceWithTheCredentialTriedAndNoSecret() {
        AuthenticationService authn = chain();
        Heard heard = new Heard();
        authn.events(heard);
        RequestInfo request = new RequestInfo("r1", "GET", "/_security/_authenticate", new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000),
                "opaque", null, null, false);

        authn.authenticate(basic("bob", "bob-password"), null, request).join();
        quietly(() -> authn.authenticate(basic("bob", "wrong-password"), null, request).join());
        quietly(() -> authn.authenticate(null, null, request).join());
        quietly(() -> authn.authenticate("Basic %%%", null, request).join());
        quietly(() -> authn.authenticate("Bearer not-a-service-token", null, request).join());
        quietly(() -> authn.authenticate("Bearer AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuMTpzZWNyZXQtdmFsdWU", null, request).join());

        assertThat(heard.events).containsExactly(
                "success bob",
                "failed BASIC bob null INVALID",
                "failed NONE null null MISSING",
                "failed BASIC null null MALFORMED",
                "failed BEARER null null INVALID",
                "failed SERVICE_TOKEN elastic/fleet-server token1 INVALID");
        assertThat(heard.requests).allSatisfy(r -> assertThat(r).isSameAs(request));
        assertThat(String.join("\n", heard.events)).doesNotContain("wrong-password", "secret-value");
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthersNorTheAuthentication() {
        AuthenticationService authn = chain();
        Heard heard = new Heard();
        SecurityEvents throwing = new SecurityEvents() {
            @Override
            public void authenticationSuccess(RequestInfo request, Authentication authentication) {
                throw new IllegalStateException("listener bug");
            }
        };
        authn.events(SecurityEvents.of(List.of(throwing, heard)));

        Authentication bob = authn.authenticate(basic("bob", "bob-password"), null, RequestInfo.of("/", null)).join();

        assertThat(bob.principal()).isEqualTo("bob");
        assertThat(heard.events).containsExactly("success bob");
    }

    @Test
    void noListenerMeansNoneAndOneListenerIsItself() {
        Heard one = new Heard();
        assertThat(SecurityEvents.of(List.of())).isSameAs(SecurityEvents.NONE);
        assertThat(SecurityEvents.of(List.of(SecurityEvents.NONE, one))).isSameAs(one);
    }

    @Test
    void requestInfoSplitsPathAndQueryAndMakesDistinctIds() {
        RequestInfo r = RequestInfo.of("/_search?q=a&size=1", null);
        assertThat(r.path()).isEqualTo("/_search");
        assertThat(r.query()).isEqualTo("q=a&size=1");
        assertThat(RequestInfo.of("/", null).query()).isNull();
        assertThat(r.id()).hasSize(22).isNotEqualTo(RequestInfo.of("/", null).id());
    }
}
