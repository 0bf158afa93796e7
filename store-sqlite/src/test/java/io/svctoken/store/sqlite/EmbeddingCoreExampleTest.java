package io.svctoken.store.sqlite;

import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authc.Creator;
import io.svctoken.core.authc.FailureThrottle;
import io.svctoken.core.authc.ServiceAccountAuthenticator;
import io.svctoken.core.authz.Actions;
import io.svctoken.core.authz.ApiKeyRequestScope;
import io.svctoken.core.authz.Authorizer;
import io.svctoken.core.authz.RoleResolver;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.error.AuthorizationDeniedException;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.role.ReservedRoles;
import io.svctoken.core.store.IndexServiceAccountTokenStore;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How another Java service embeds core (the README's "Embedding core"): it verifies a service token and an
 * API key against a real SQLite store and asks the authorizer, without the server. Only core and a store.
 */
class EmbeddingCoreExampleTest {

    @TempDir
    Path data;

    @Test
    void verifiesAServiceTokenAndAnApiKeyAgainstTheStore() throws Exception {
        CompatibilityVersion version = CompatibilityVersion.DEFAULT;
        ExecutorService worker = Executors.newFixedThreadPool(2); // store calls and hashing run here, never on the caller's thread
        try (SqliteStore store = SqliteStore.open(data)) {
            IndexServiceAccountTokenStore tokens = new IndexServiceAccountTokenStore(store.tokens(), Hasher.PBKDF2_STRETCH, worker,
                    Clock.systemUTC(), version.versionId());
            ApiKeyService apiKeys = new ApiKeyService(store.apiKeys(), Hasher.PBKDF2, Hasher.SSHA256, Duration.ofMinutes(5), 10_000,
                    worker, Clock.systemUTC(), version.versionId());
            AuthenticationService authentication = new AuthenticationService(
                    new ServiceAccountAuthenticator(BuiltinServiceAccounts.forVersion(version), tokens), apiKeys, List.of(),
                    FailureThrottle.Settings.DEFAULT);
            Authorizer authorizer = new Authorizer(new RoleResolver(List.of(ReservedRoles.forVersion(version)::find)));

            // A service token, stored as the server's create-token API stores one (normally it exists already).
            ServiceAccountToken created = ServiceAccountToken.newToken(ServiceAccountId.fromPrincipal("elastic/fleet-server"), "example");
            String bearer = TokenCodec.encode(created).revealAsString(SecretAccess.plaintext());
            tokens.create(created, "{}").join();

            // Verify it: the header value as a client sends it; no run-as, the URI only names the request in 401 texts.
            Authentication fleet = authentication.authenticate("Bearer " + bearer, null, "/", null).join();
            assertThat(fleet.principal()).isEqualTo("elastic/fleet-server");
            // manage_own_api_key grants creating a key; the scope says what an API key request targets
            authorizer.authorize(fleet, Actions.CREATE_API_KEY, ApiKeyRequestScope.create()); // throws AuthorizationDeniedException if not
            assertThatThrownBy(() -> authorizer.authorize(fleet, Actions.PUT_USER)).isInstanceOf(AuthorizationDeniedException.class);

            // An API key owned by the service account, limited by its privileges now; its secret is shown once.
            ApiKeyService.Created key = apiKeys.create(fleet, "example-key", null, List.of(), null,
                    authorizer.effectiveDescriptors(fleet)).join();
            String apiKey = Base64.getEncoder().encodeToString((key.id() + ":" + key.secret().revealAsString(SecretAccess.plaintext())).getBytes(StandardCharsets.UTF_8));

            Authentication byKey = authentication.authenticate("ApiKey " + apiKey, null, "/", null).join();
            assertThat(byKey).isInstanceOfSatisfying(ApiKeyAuthn.class, k -> {
                assertThat(k.id()).isEqualTo(key.id());
                assertThat(k.owner()).isEqualTo("elastic/fleet-server");
            });
            assertThat(Creator.of(byKey).get("realm").asText()).isEqualTo("_es_api_key");

            // A wrong secret: the domain's AuthenticationException, with Elasticsearch's reason text.
            String wrong = Base64.getEncoder().encodeToString((key.id() + ":not-the-secret").getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> authentication.authenticate("ApiKey " + wrong, null, "/", null).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.unsuccessfulCredentials())
                            .isEqualTo("API key: invalid credentials for API key [" + key.id() + "]"));
        } finally {
            worker.shutdownNow();
        }
    }
}
