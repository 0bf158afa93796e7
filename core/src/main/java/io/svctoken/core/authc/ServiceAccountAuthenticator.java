package io.svctoken.core.authc;

import io.svctoken.core.EsMessages;
import io.svctoken.core.Futures;
import io.svctoken.core.account.BuiltinServiceAccounts;
import io.svctoken.core.account.ServiceAccount;
import io.svctoken.core.account.ServiceAccountId;
import io.svctoken.core.account.UserManagedServiceAccounts;
import io.svctoken.core.store.ServiceAccountTokenStore;
import io.svctoken.core.store.StoreAuthenticationResult;
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
    private volatile UserManagedServiceAccounts userManaged;
    private volatile ServiceAccountTokenStore userManagedTokens;

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
     * Also authenticates tokens of user-managed accounts (any namespace but {@code elastic}), from {@code tokens} (the
     * index store only: file tokens are for built-in accounts).
     */
    public ServiceAccountAuthenticator withUserManaged(UserManagedServiceAccounts accounts, ServiceAccountTokenStore tokens) {
        this.userManaged = accounts;
        this.userManagedTokens = tokens;
        return this;
    }

    /**
     * Completes with the authentication, or exceptionally with a {@link ServiceTokenAuthenticationException}.
     */
    public CompletableFuture<ServiceAccountAuthentication> authenticate(ServiceAccountToken token) {
        UserManagedServiceAccounts um = userManaged;
        if (um != null && !UserManagedServiceAccounts.isBuiltInNamespace(token.accountId().namespace())) {
            return authenticateUserManaged(um, token);
        }
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
            } else {
                complete(out, account.get(), token, r);
            }
        });
        return out;
    }

    /** The store's answer for {@code token} of {@code subject}, as the client sees it (and the last use noted). */
    private void complete(CompletableFuture<ServiceAccountAuthentication> out, ServiceAccount subject, ServiceAccountToken token,
                          StoreAuthenticationResult r) {
        if (r.success()) {
            if (usage != null && r.source() == TokenSource.INDEX) {
                usage.used(token.id());
            }
            out.complete(new ServiceAccountAuthentication(subject, token.tokenName(), r.source()));
        } else if (r.refusal() != null) {
            // the secret was right: the log says why, the client gets the wrong-secret answer
            LOG.info("service token [{}] of source [{}] refused: {}", token.qualifiedName(), r.source().esName(), r.refusal().reason());
            out.completeExceptionally(new ServiceTokenAuthenticationException(
                    EsMessages.failedToAuthenticateServiceAccount(token.accountId().asPrincipal(), token.tokenName()),
                    r.refusal().reason()));
        } else {
            out.completeExceptionally(failure(token));
        }
    }

    /**
     * Elasticsearch's order for a user-managed account: the secret's length, the account (cache, then store), present and
     * enabled, then the token. Every failure gives the same answer.
     */
    private CompletableFuture<ServiceAccountAuthentication> authenticateUserManaged(UserManagedServiceAccounts um, ServiceAccountToken token) {
        if (token.secret().length() < MIN_SECRET_LENGTH) {
            return CompletableFuture.failedFuture(failure(token));
        }
        CompletableFuture<ServiceAccountAuthentication> out = new CompletableFuture<>();
        um.find(token.accountId()).thenCompose(account -> {
            if (account.isEmpty() || !account.get().enabled()) {
                LOG.debug("service token [{}] refused: its account is {}", token.qualifiedName(), account.isEmpty() ? "missing" : "disabled");
                return CompletableFuture.<Checked>completedFuture(null);
            }
            ServiceAccount subject = ServiceAccount.userManaged(token.accountId(), account.get().roles());
            return userManagedTokens.authenticate(token).thenApply(r -> new Checked(subject, r));
        }).whenComplete((pair, e) -> {
            if (e != null) {
                out.completeExceptionally(new ServiceTokenAuthenticationException(EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, Futures.unwrap(e)));
                return;
            }
            if (pair == null) {
                out.completeExceptionally(failure(token));
                return;
            }
            complete(out, pair.subject(), token, pair.result());
        });
        return out;
    }

    /** A user-managed account that may authenticate, and its token's answer. */
    private record Checked(ServiceAccount subject, StoreAuthenticationResult result) {
    }

    /**
     * Whether a token of {@code id} reaches the token store (and a hash): a built-in account's, or any of a user-managed
     * account's namespace once those are served. These tokens have a budget of failures.
     */
    public boolean reachesStore(ServiceAccountId id) {
        return isBuiltInAccount(id) || (userManaged != null && !UserManagedServiceAccounts.isBuiltInNamespace(id.namespace()));
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
