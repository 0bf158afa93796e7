package io.svctoken.server.rest;


import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.store.CachingServiceAccountTokenStore;
import io.svctoken.core.store.IndexServiceAccountTokenStore;
import io.svctoken.core.token.TokenId;
import io.svctoken.server.ServiceTokens;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.server.http.Endpoint;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.RestResponse;
import io.svctoken.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Enrollments in the same millisecond, on the real SQLite store with a frozen clock. */
class EnrollmentEndpointsTest {

    @TempDir
    Path data;

    @Test
    void enrollmentsInTheSameMillisecondAllSucceedWithDistinctTokens() throws Exception {
        ExecutorService worker = Executors.newFixedThreadPool(4);
        try (SqliteStore store = SqliteStore.open(data)) {
            BuiltinServiceAccounts accounts = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19);
            IndexServiceAccountTokenStore index = new IndexServiceAccountTokenStore(store, Hasher.resolve("pbkdf2_stretch_1000"), worker,
                    Clock.systemUTC(), 8190099);
            CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(index, Duration.ofMinutes(1), 100,
                    Hasher.resolve("ssha256"), worker);
            ServiceTokens tokens = new ServiceTokens(accounts, index, cache, List.of(cache), a -> Map.of());
            ReservedRoles reserved = ReservedRoles.forVersion(CompatibilityVersion.V8_19);
            Authorizer authorizer = new Authorizer(new RoleResolver(List.of(reserved::find)));
            Clock frozen = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
            Endpoint<?> handler = new EnrollmentEndpoints(tokens, () -> Optional.of(new byte[]{1, 2, 3}), frozen,
                    data.toString(), true).endpoints().get(0);
            UserAuthentication elastic = UserAuthentication.of(new User("elastic", List.of("superuser"), null, null, null, true), RealmRef.RESERVED);

            List<CompletableFuture<RestResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                RestRequest request = new RestRequest("GET", "/_security/enroll/kibana", "/_security/enroll/kibana", Map.of(),
                        RestRequest.Headers.NONE, new byte[0]);
                answers.add(handler.run(request, elastic, authorizer));
            }
            List<String> names = new ArrayList<>();
            for (CompletableFuture<RestResponse> a : answers) {
                RestResponse r = a.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body().get("http_ca").asText()).isEqualTo("AQID");
                names.add(r.body().at("/token/name").asText());
            }
            assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("enroll-process-token-17000000000\\d\\d"));
            assertThat(names).contains("enroll-process-token-1700000000000");
            assertThat(store.tokenNames(accounts.find("elastic/kibana").orElseThrow().id())).hasSize(5);
            for (String n : names) {
                assertThat(store.find(TokenId.of("elastic/kibana", n))).isPresent();
            }
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void theEnrollmentTokenIsASecurityChangeForTheAuditTrail() throws Exception {
        ExecutorService worker = Executors.newFixedThreadPool(2);
        try (SqliteStore store = SqliteStore.open(data)) {
            BuiltinServiceAccounts accounts = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19);
            IndexServiceAccountTokenStore index = new IndexServiceAccountTokenStore(store, Hasher.resolve("pbkdf2_stretch_1000"), worker,
                    Clock.systemUTC(), 8190099);
            CachingServiceAccountTokenStore cache = new CachingServiceAccountTokenStore(index, Duration.ofMinutes(1), 100,
                    Hasher.resolve("ssha256"), worker);
            ServiceTokens tokens = new ServiceTokens(accounts, index, cache, List.of(cache), a -> Map.of());
            Authorizer authorizer = new Authorizer(new RoleResolver(List.of(ReservedRoles.forVersion(CompatibilityVersion.V8_19)::find)));
            Endpoint<?> handler = new EnrollmentEndpoints(tokens, () -> Optional.of(new byte[]{1, 2, 3}), Clock.systemUTC(),
                    data.toString(), true).endpoints().get(0);
            UserAuthentication elastic = UserAuthentication.of(new User("elastic", List.of("superuser"), null, null, null, true), RealmRef.RESERVED);
            List<SecurityEvents.ConfigChange> changes = new CopyOnWriteArrayList<>();
            SecurityEvents events = new SecurityEvents() {
                @Override
                public void securityConfigChange(RequestInfo request, SecurityEvents.ConfigChange change) {
                    changes.add(change);
                }
            };
            RestRequest request = new RestRequest("GET", "/_security/enroll/kibana", "/_security/enroll/kibana", Map.of(),
                    RestRequest.Headers.NONE, new byte[0]);
            RestResponse r = handler.run(request, elastic, authorizer, events).get(30, TimeUnit.SECONDS);
            String name = r.body().at("/token/name").asText();
            assertThat(changes).hasSize(1);
            assertThat(changes.get(0).action()).isEqualTo("create_service_token");
            assertThat(changes.get(0).kind()).isEqualTo("create");
            assertThat(changes.get(0).object().toString())
                    .isEqualTo("{\"service_token\":{\"namespace\":\"elastic\",\"service\":\"kibana\",\"name\":\"" + name + "\"}}");
        } finally {
            worker.shutdownNow();
        }
    }
}
