package io.svctoken.core.authc;

import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.CompatibilityVersion;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.ServiceAccountTokenStore;
import io.svctoken.core.store.StoreAuthenticationResult;
import io.svctoken.core.store.StoreException;
import io.svctoken.core.store.TokenSource;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenId;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceAccountAuthenticatorTest {

    private final AtomicInteger storeCalls = new AtomicInteger();
    private final BuiltinServiceAccounts accounts = BuiltinServiceAccounts.forVersion(CompatibilityVersion.V8_19);

    private ServiceAccountAuthenticator with(ServiceAccountTokenStore store) {
        return new ServiceAccountAuthenticator(accounts, token -> {
            storeCalls.incrementAndGet();
            return store.authenticate(token);
        });
    }

    private static ServiceAccountToken token(String principal, String name, String secret) {
        return new ServiceAccountToken(TokenId.of(principal, name), Secret.of(secret));
    }

    private static final ServiceAccountTokenStore YES = t -> CompletableFuture.completedFuture(StoreAuthenticationResult.success(TokenSource.FILE));
    private static final ServiceAccountTokenStore NO = t -> CompletableFuture.completedFuture(StoreAuthenticationResult.failure(TokenSource.INDEX));

    @Test
    void success() throws Exception {
        ServiceAccountAuthentication a = with(YES).authenticate(token("elastic/fleet-server", "t1", "0123456789")).get();
        assertThat(a.account().principal()).isEqualTo("elastic/fleet-server");
        assertThat(a.account().fullName()).isEqualTo("Service account - elastic/fleet-server");
        assertThat(a.tokenName()).isEqualTo("t1");
        assertThat(a.source().tokenType()).isEqualTo("_service_account_file");
    }

    @Test
    void onlyBuiltInAccountsOfTheElasticNamespaceAreBuiltIn() {
        ServiceAccountAuthenticator a = with(YES);
        assertThat(a.isBuiltInAccount(TokenId.of("elastic/fleet-server", "t1").accountId())).isTrue();
        assertThat(a.isBuiltInAccount(TokenId.of("elastic/unknown", "t1").accountId())).isFalse();
        assertThat(a.isBuiltInAccount(TokenId.of("other/fleet-server", "t1").accountId())).isFalse();
    }

    @Test
    void everyRejectionHasTheSameMessageAndTheStoreIsNotAskedNeedlessly() {
        String[][] cases = {
                {"other/fleet-server", "t1", "0123456789"},  // namespace not elastic
                {"elastic/unknown", "t1", "0123456789"},     // unknown account
                {"elastic/fleet-server", "t1", "012345678"}, // secret < 10 chars
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> with(YES).authenticate(token(c[0], c[1], c[2])).get())
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ServiceTokenAuthenticationException.class)
                    .hasMessage("failed to authenticate service account [" + c[0] + "] with token name [t1]");
        }
        assertThat(storeCalls.get()).isZero();
        assertThatThrownBy(() -> with(NO).authenticate(token("elastic/fleet-server", "t1", "0123456789")).get())
                .cause().hasMessage("failed to authenticate service account [elastic/fleet-server] with token name [t1]")
                .hasMessageNotContaining("0123456789");
        assertThat(storeCalls.get()).isEqualTo(1);
    }

    @Test
    void storeErrorsAreAuthenticationErrorsWithTheCause() {
        ServiceAccountTokenStore broken = t -> CompletableFuture.failedFuture(new StoreException("no such index [.security]"));
        assertThatThrownBy(() -> with(broken).authenticate(token("elastic/kibana", "t1", "0123456789")).get())
                .cause().isInstanceOf(ServiceTokenAuthenticationException.class)
                .hasMessage("error attempting to authenticate request")
                .hasRootCauseMessage("no such index [.security]");
    }
}
