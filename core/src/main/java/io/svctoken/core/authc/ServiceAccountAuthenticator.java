package io.svctoken.core.authc;

import io.svctoken.core.EsMessages;
import io.svctoken.core.Futures;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccount;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.store.ServiceAccountTokenStore;
import io.svctoken.core.store.TokenSource;
import io.svctoken.core.store.TokenUsage;
import io.svctoken.core.token.ServiceAccountToken;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Authenticates a parsed service token: namespace {@code elastic}, a known
 * built-in account, a secret of at least 10 characters, then the token store. Every rejection
 * carries the same message so the reason is never revealed.
 */
public final class ServiceAccountAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountAuthenticator.class);

    public static final String ELASTIC_NAMESPACE = "elastic";
    public static final int MIN_SECRET_LENGTH = 10;

    private final BuiltinServiceAccounts accounts;
    private final ServiceAccountTokenStore store;

    private final TokenUsage usage;

    public ServiceAccountAuthenticator(BuiltinServiceAccounts accounts, ServiceAccountTokenStore store) {
        this(accounts, store, null);
    }

    /** @param usage notes each successful use of an index token (null: none is noted) */
    public ServiceAccountAuthenticator(BuiltinServiceAccounts accounts, ServiceAccountTokenStore store, TokenUsage usage) {
        this.accounts = accounts;
        this.store = store;
        this.usage = usage;
    }

    /**
     * Completes with the authentication, or exceptionally with a {@link ServiceTokenAuthenticationException}.
     */
    public CompletableFuture<ServiceAccountAuthentication> authenticate(ServiceAccountToken token) {
        Optional<ServiceAccount> account = ELASTIC_NAMESPACE.equals(token.accountId().namespace())
                ? accounts.find(token.accountId()) : Optional.empty();
        if (account.isEmpty() || token.secret().length() < MIN_SECRET_LENGTH) {
            return CompletableFuture.failedFuture(failure(token));
        }
        CompletableFuture<ServiceAccountAuthentication> out = new CompletableFuture<>();
        store.authenticate(token).whenComplete((r, e) -> {
            if (e != null) {
                Throwable cause = Futures.unwrap(e);
                out.completeExceptionally(new ServiceTokenAuthenticationException(EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, cause));
            } else if (r.success()) {
                if (usage != null && r.source() == TokenSource.INDEX) {
                    usage.used(token.id());
                }
                out.complete(new ServiceAccountAuthentication(account.get(), token.tokenName(), r.source()));
            } else if (r.refusal() != null) {
                // the secret was right: the log says why, the client gets the wrong-secret answer
                LOG.info("service token [{}] of source [{}] refused: {}", token.qualifiedName(), r.source().esName(), r.refusal().reason());
                out.completeExceptionally(new ServiceTokenAuthenticationException(
                        EsMessages.failedToAuthenticateServiceAccount(token.accountId().asPrincipal(), token.tokenName()),
                        r.refusal().reason()));
            } else {
                out.completeExceptionally(failure(token));
            }
        });
        return out;
    }

    /** Whether tokens of {@code id} are looked up in the token store at all (a built-in account of namespace {@code elastic}). */
    public boolean isBuiltInAccount(ServiceAccountId id) {
        return ELASTIC_NAMESPACE.equals(id.namespace()) && accounts.find(id).isPresent();
    }

    /** Built only on failure: a success (the hot path) needs no message. */
    private static ServiceTokenAuthenticationException failure(ServiceAccountToken token) {
        return new ServiceTokenAuthenticationException(
                EsMessages.failedToAuthenticateServiceAccount(token.accountId().asPrincipal(), token.tokenName()));
    }
}
