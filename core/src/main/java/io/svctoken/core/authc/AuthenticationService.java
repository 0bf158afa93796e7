package io.svctoken.core.authc;

import io.svctoken.core.EsMessages;
import io.svctoken.core.Futures;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.authc.CredentialAttempt.Reason;
import io.svctoken.core.authc.CredentialAttempt.Type;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.event.AuthenticationTimer;
import io.svctoken.core.event.Handoffs;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.core.oauth2.OAuth2TokenService;
import io.svctoken.core.realm.Realm;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The authentication chain, as Elasticsearch's: a Bearer service token first (once parsed, its failure
 * is final), then a Bearer OAuth2 access token, then an API key, then Basic credentials for the realms, then the generic 401. Refusals are
 * {@link AuthenticationException}s with Elasticsearch's texts; the server adds the challenges and status.
 *
 * <p>Failed authentications have a budget per credential name and client address ({@link FailureThrottle},
 * {@code svctoken.authc.failure_throttle.*}), asked before any hashing. Counted are the failures that
 * cost a hash: a user some realm knows with a wrong password, an existing API key id with a wrong
 * secret, and any token of a built-in service account that fails (the token stores answer yes or no
 * only; token names are not secret). Unknown user names and API key ids cost no hash and are not
 * counted, so they take no memory either.
 */
public final class AuthenticationService {

    /** The run-as header of Elasticsearch. */
    public static final String RUN_AS_HEADER = "es-security-runas-user";
    private static final String API_KEY_PREFIX = "ApiKey ";
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationService.class);

    private final ServiceAccountAuthenticator serviceAccounts;
    private final ApiKeyService apiKeys;
    private final List<Realm> realms;
    private final FailureThrottle<Attempt> throttle;
    private volatile SecurityEvents events = SecurityEvents.NONE;
    private volatile OAuth2TokenService oauth2;
    private volatile AuthenticationTimer timer = AuthenticationTimer.NONE;

    /** What the throttle counts: a kind of credential, its name, and the client's address (see {@link #source}). */
    private record Attempt(Kind kind, String name, InetAddress source) {
        String what() {
            return kind.label + " [" + name + "]";
        }
    }

    private enum Kind {
        USER("user", Type.BASIC), SERVICE_TOKEN("service account token", Type.SERVICE_TOKEN), API_KEY("API key", Type.API_KEY);

        final String label;
        final Type type;

        Kind(String label, Type type) {
            this.label = label;
            this.type = type;
        }
    }

    /** @param realms asked in order for Basic credentials and for run-as lookups */
    public AuthenticationService(ServiceAccountAuthenticator serviceAccounts, List<Realm> realms) {
        this(serviceAccounts, null, realms, FailureThrottle.Settings.DEFAULT);
    }

    /**
     * @param apiKeys  null when API keys are not served ({@code ApiKey} headers then count as no credentials)
     * @param realms   asked in order for Basic credentials and for run-as lookups
     * @param throttle the budget of failed authentications per name and client address
     */
    public AuthenticationService(ServiceAccountAuthenticator serviceAccounts, ApiKeyService apiKeys, List<Realm> realms,
                                 FailureThrottle.Settings throttle) {
        this.serviceAccounts = serviceAccounts;
        this.apiKeys = apiKeys;
        this.realms = List.copyOf(realms);
        this.throttle = new FailureThrottle<>(throttle);
    }

    public List<Realm> realms() {
        return realms;
    }

    /**
     * The OAuth2 token service, which checks Bearer values that are not service tokens; set once while the node starts,
     * and only when {@code xpack.security.authc.token.enabled} (without it every such value is an invalid token).
     */
    public void oauth2(OAuth2TokenService tokens) {
        this.oauth2 = tokens;
    }

    /** Who times every authentication (metrics); set once while the node starts. */
    public void timer(AuthenticationTimer timer) {
        this.timer = timer;
    }

    /** Who hears of every authentication's outcome (the audit trail, metrics); set once while the node starts. */
    public void events(SecurityEvents events) {
        this.events = events;
    }

    /**
     * Completes with the authentication, or exceptionally with an {@link AuthenticationException}
     * ({@link AuthenticationException.Kind#THROTTLED} when the credential's failure budget from {@code client} is spent).
     *
     * @param header   the {@code Authorization} header, null when absent
     * @param runAs    the {@link #RUN_AS_HEADER} header, null when absent
     * @param uri      the request's URI, as Elasticsearch names it in its 401 texts
     * @param client   the client's address (null if unknown: such clients share one budget)
     */
    public CompletableFuture<Authentication> authenticate(String header, String runAs, String uri, InetAddress client) {
        return authenticate(header, runAs, RequestInfo.of(uri, client == null ? null : new InetSocketAddress(client, 0)));
    }

    /**
     * As {@link #authenticate(String, String, String, InetAddress)} for a request described by {@code request}
     * (its URI and client address), whose outcome the {@link #events(SecurityEvents) listeners} hear.
     */
    public CompletableFuture<Authentication> authenticate(String header, String runAs, RequestInfo request) {
        InetAddress client = request.origin() == null ? null : request.origin().getAddress();
        return observed(() -> chain(header, runAs, request.uri(), client), request);
    }

    /**
     * A user name and password given to the console's sign-in: the realms as for a Basic header (the failure budget and
     * the 401's text included: {@code unable to authenticate user [x] for REST request [uri]}); the listeners hear the
     * outcome as they hear a header's. Wipes {@code password}.
     */
    public CompletableFuture<Authentication> signIn(String username, Secret password, RequestInfo request) {
        InetAddress client = request.origin() == null ? null : request.origin().getAddress();
        return observed(() -> password(username, password, EsMessages.unableToAuthenticateUser(username, request.uri()), client)
                .thenApply(a -> (Authentication) a), request);
    }

    /**
     * An encoded API key ({@code base64(id:key)}, what an {@code ApiKey} header carries) given to the console's sign-in,
     * checked as that header is; the listeners hear the outcome.
     */
    public CompletableFuture<Authentication> signInWithApiKey(String encoded, RequestInfo request) {
        InetAddress client = request.origin() == null ? null : request.origin().getAddress();
        if (apiKeys == null) {
            return observed(() -> CompletableFuture.failedFuture(AuthenticationException.unauthenticated(
                    EsMessages.missingCredentials(request.uri())).withAttempt(CredentialAttempt.NONE)), request);
        }
        return observed(() -> apiKey(encoded, client), request);
    }

    /**
     * A user some realm still knows, enabled, by the realm's name (a console session's principal, resolved again on every
     * request, as a run-as target is looked up); empty when the realm is gone or no longer has the user.
     */
    public CompletableFuture<Optional<UserAuthentication>> lookupUser(String realmName, String username) {
        for (Realm realm : realms) {
            if (realm.ref().name().equals(realmName)) {
                return realm.lookup(username).thenApply(u -> u.filter(User::enabled).map(user -> UserAuthentication.of(user, realm.ref())));
            }
        }
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /** Runs an authentication, timed, and tells the listeners its outcome. */
    private CompletableFuture<Authentication> observed(java.util.function.Supplier<CompletableFuture<Authentication>> check, RequestInfo request) {
        AuthenticationTimer timing = timer;
        long start = timing == AuthenticationTimer.NONE ? 0 : System.nanoTime();
        long handedBefore = Handoffs.count();
        CompletableFuture<Authentication> answer;
        try {
            answer = check.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        SecurityEvents listeners = events;
        if (listeners == SecurityEvents.NONE && timing == AuthenticationTimer.NONE) {
            return answer;
        }
        // nothing handed to the worker pool: answered from a cache (or refused without hashing)
        boolean cached = Handoffs.count() == handedBefore;
        return answer.whenComplete((authn, error) -> {
            if (timing != AuthenticationTimer.NONE) {
                timing.record(cached, error == null, System.nanoTime() - start);
            }
            if (listeners == SecurityEvents.NONE) {
                return;
            }
            if (error == null) {
                listeners.authenticationSuccess(request, authn);
            } else {
                Throwable cause = Futures.unwrap(error);
                listeners.authenticationFailed(request, cause instanceof AuthenticationException ae ? ae
                        : AuthenticationException.failed(EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, cause)
                        .withAttempt(new CredentialAttempt(Type.NONE, null, null, Reason.ERROR)));
            }
        });
    }

    private CompletableFuture<Authentication> chain(String header, String runAs, String uri, InetAddress client) {
        if (header != null && startsWithIgnoreCase(header, "Bearer ") && header.length() > "Bearer ".length()) {
            Optional<ServiceAccountToken> token = TokenCodec.decode(header.substring("Bearer ".length()));
            if (token.isPresent()) {
                if (runAs != null) {
                    LOG.info("the [{}] header is ignored for service account authentication", RUN_AS_HEADER);
                }
                return serviceToken(token.get(), client);
            }
            // Not a service token: the OAuth2 token service is next in Elasticsearch's chain.
            OAuth2TokenService tokens = oauth2;
            Optional<CompletableFuture<UserAuthentication>> check = tokens == null ? Optional.empty()
                    : tokens.authenticate(header.substring("Bearer ".length()));
            if (check.isPresent()) {
                return check.get().handle((authn, error) -> {
                    if (error == null && authn != null) {
                        return authn;
                    }
                    Throwable cause = error == null ? null : Futures.unwrap(error);
                    if (cause == null) {
                        throw invalidOAuth2Token();
                    }
                    if (cause instanceof OAuth2TokenService.Expired) {
                        throw AuthenticationException.unauthenticated(EsMessages.TOKEN_EXPIRED).withChallenge(EsMessages.EXPIRED_TOKEN_CHALLENGE)
                                .withAttempt(new CredentialAttempt(Type.BEARER, null, null, Reason.EXPIRED));
                    }
                    throw AuthenticationException.failed(EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, cause)
                            .withAttempt(new CredentialAttempt(Type.BEARER, null, null, Reason.ERROR));
                }).thenCompose(authn -> runAs(runAs, authn));
            }
            return CompletableFuture.failedFuture(invalidOAuth2Token());
        }
        // Elasticsearch's chain: service token, OAuth2 token (both Bearer), then API key, then the realms.
        if (header != null && apiKeys != null && startsWithIgnoreCase(header, API_KEY_PREFIX) && header.length() > API_KEY_PREFIX.length()) {
            return apiKey(header.substring(API_KEY_PREFIX.length()), client);
        }
        if (header != null && startsWithIgnoreCase(header, "Basic ")) {
            return basic(runAs, uri, header.substring("Basic ".length()).trim(), client);
        }
        // Elasticsearch's anonymous_access_denied: no credential it reads (none, or an unknown scheme).
        return CompletableFuture.failedFuture(AuthenticationException.unauthenticated(EsMessages.missingCredentials(uri))
                .withAttempt(CredentialAttempt.NONE));
    }

    private CompletableFuture<Authentication> serviceToken(ServiceAccountToken token, InetAddress client) {
        // Only tokens that reach a store (and a hash) are counted: built-in accounts' and user-managed ones'; the throttle's
        // max_entries bounds the memory of the latter's names.
        boolean counted = serviceAccounts.reachesStore(token.accountId());
        AuthenticationException refused = counted ? refused(Kind.SERVICE_TOKEN, token.qualifiedName(), client) : null;
        if (refused != null) {
            token.close();
            return CompletableFuture.failedFuture(refused.withAttempt(
                    new CredentialAttempt(Type.SERVICE_TOKEN, token.accountId().toString(), token.tokenName(), Reason.THROTTLED)));
        }
        CredentialAttempt attempt = new CredentialAttempt(Type.SERVICE_TOKEN, token.accountId().toString(), token.tokenName(), Reason.INVALID);
        return serviceAccounts.authenticate(token).handle((authn, error) -> {
            token.close();
            if (error == null) {
                return new ServiceAccountAuthn(authn);
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof ServiceTokenAuthenticationException e) {
                if (counted && !e.isStoreError()) {
                    failed(Kind.SERVICE_TOKEN, token.qualifiedName(), client);
                }
                throw e.isStoreError()
                        ? AuthenticationException.failed(e.getMessage(), e.getCause()).withAttempt(attempt.withReason(Reason.ERROR))
                        : AuthenticationException.unauthenticated(e.getMessage()).withAttempt(attempt.withReason(tokenReason(e)));
            }
            throw AuthenticationException.failed(EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, cause).withAttempt(attempt.withReason(Reason.ERROR));
        });
    }

    /**
     * An {@code ApiKey} header: a value that cannot be decoded, and every failure of the key, are
     * "unsuccessful" in Elasticsearch's terms: the realms are asked next (they have no credentials
     * here), and the answer is the generic 401 naming the API key failure.
     */
    private CompletableFuture<Authentication> apiKey(String encoded, InetAddress client) {
        ApiKeyService.Credentials credentials;
        try {
            credentials = ApiKeyService.parseCredentials(encoded);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(apiKeyUnsuccessful(e.getMessage())
                    .withAttempt(new CredentialAttempt(Type.API_KEY, null, null, Reason.MALFORMED)));
        }
        CredentialAttempt attempt = new CredentialAttempt(Type.API_KEY, credentials.id(), null, Reason.INVALID);
        AuthenticationException refused = refused(Kind.API_KEY, credentials.id(), client);
        if (refused != null) {
            credentials.close();
            return CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<ApiKeyAuthn> result;
        try {
            result = apiKeys.authenticate(credentials);
        } catch (ApiKeyService.Unsuccessful e) {
            credentials.close();
            if (e.wrongSecret()) {
                failed(Kind.API_KEY, credentials.id(), client);
            }
            return CompletableFuture.failedFuture(apiKeyUnsuccessful(e.getMessage()).withAttempt(attempt.withReason(apiKeyReason(e))));
        } catch (RuntimeException e) {
            credentials.close();
            return CompletableFuture.failedFuture(e);
        }
        return result.handle((authn, error) -> {
            credentials.close();
            if (error == null) {
                return (Authentication) authn;
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof ApiKeyService.Unsuccessful u) {
                if (u.wrongSecret()) {
                    failed(Kind.API_KEY, credentials.id(), client);
                }
                if (u.terminal()) {
                    throw AuthenticationException.unauthenticated(u.getMessage()).withAttempt(attempt.withReason(Reason.INVALID));
                }
                throw apiKeyUnsuccessful(u.getMessage()).withAttempt(attempt.withReason(apiKeyReason(u)));
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    /** A Bearer value that is neither a service token nor a stored access token: "unsuccessful", the generic 401. */
    private static AuthenticationException invalidOAuth2Token() {
        return AuthenticationException.unsuccessful(EsMessages.UNABLE_TO_AUTHENTICATE, "oauth2 token: invalid token")
                .withAttempt(new CredentialAttempt(Type.BEARER, null, null, Reason.INVALID));
    }

    /** The right secret of an expired or disabled token: the client sees the wrong-secret text, the events the reason. */
    private static Reason tokenReason(ServiceTokenAuthenticationException e) {
        return "expired".equals(e.reason()) ? Reason.EXPIRED : "disabled".equals(e.reason()) ? Reason.DISABLED : Reason.INVALID;
    }

    /** Elasticsearch's texts tell an expired or invalidated key apart; the events say so too. */
    private static Reason apiKeyReason(ApiKeyService.Unsuccessful u) {
        String m = String.valueOf(u.getMessage());
        return m.contains("expired") ? Reason.EXPIRED : m.contains("invalidated") ? Reason.DISABLED : Reason.INVALID;
    }

    private static AuthenticationException apiKeyUnsuccessful(String message) {
        return AuthenticationException.unsuccessful(EsMessages.UNABLE_TO_AUTHENTICATE, EsMessages.API_KEY_AUTHENTICATOR + ": " + message);
    }

    private CompletableFuture<Authentication> basic(String runAs, String uri, String encoded, InetAddress client) {
        char[] decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(encoded);
            try {
                CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
                decoded = Arrays.copyOfRange(cb.array(), cb.position(), cb.limit());
                Arrays.fill(cb.array(), '\0');
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return CompletableFuture.failedFuture(AuthenticationException.unauthenticated(EsMessages.INVALID_BASIC_HEADER_ENCODING)
                    .withAttempt(new CredentialAttempt(Type.BASIC, null, null, Reason.MALFORMED)));
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            Arrays.fill(decoded, '\0');
            return CompletableFuture.failedFuture(AuthenticationException.unauthenticated(EsMessages.INVALID_BASIC_HEADER_VALUE)
                    .withAttempt(new CredentialAttempt(Type.BASIC, null, null, Reason.MALFORMED)));
        }
        String username = new String(decoded, 0, colon);
        Secret password = Secret.copyOf(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, '\0');
        return password(username, password, EsMessages.unableToAuthenticateUser(username, uri), client)
                .thenCompose(authn -> runAs(runAs, authn));
    }

    /**
     * A service token given in a request body (the {@code _user_managed_service_account} grants), checked as in a Bearer
     * header, the failure budget included; the listeners hear nothing (the request's own authentication is what they
     * hear about). Closes {@code token}.
     */
    public CompletableFuture<Authentication> authenticateServiceToken(ServiceAccountToken token, InetAddress client) {
        return serviceToken(token, client);
    }

    /**
     * A user name and password checked by the realms, as a Basic header is (the failure budget included), for the OAuth2
     * {@code password} grant. Wipes {@code password}.
     *
     * @param failure the 401's reason when no realm accepts them
     */
    public CompletableFuture<UserAuthentication> authenticatePassword(String username, Secret password, String failure, InetAddress client) {
        return password(username, password, failure, client);
    }

    /**
     * A username and password given in a request body (an API key's password grant): the realms as for Basic, then
     * {@code runAs} (null: none). Completes as {@link #authenticate} does; the listeners hear nothing (the request's
     * own authentication is what they hear about). {@code password} is wiped.
     */
    public CompletableFuture<Authentication> authenticatePassword(String username, Secret password, String runAs, RequestInfo request) {
        try {
            return password(username, password, EsMessages.unableToAuthenticateUser(username, request.uri()),
                    request.origin() == null ? null : request.origin().getAddress()).thenCompose(authn -> runAs(runAs, authn));
        } catch (RuntimeException e) {
            password.wipe();
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<UserAuthentication> password(String username, Secret password, String failure, InetAddress client) {
        AuthenticationException refused = refused(Kind.USER, username, client);
        if (refused != null) {
            password.wipe();
            return CompletableFuture.failedFuture(refused);
        }
        long seen = realmGenerations(); // before the attempt reads any realm's data
        return firstRealm(0, username, password, false).thenCompose(found -> found.authn() != null
                ? CompletableFuture.completedFuture(found)
                : refreshRealms().thenCompose(v -> realmGenerations() != seen ? firstRealm(0, username, password, found.wrongPassword())
                        : CompletableFuture.completedFuture(found))).handle((found, error) -> {
            password.wipe();
            if (error != null) {
                throw AuthenticationException.failed(EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, Futures.unwrap(error))
                        .withAttempt(new CredentialAttempt(Type.BASIC, username, null, Reason.ERROR));
            }
            if (found.authn() == null) {
                if (found.wrongPassword()) {
                    failed(Kind.USER, username, client);
                }
                throw AuthenticationException.unauthenticated(failure).withAttempt(new CredentialAttempt(Type.BASIC, username, null, Reason.INVALID));
            }
            return found.authn();
        });
    }

    /** The 429 when the budget of this name from this client is spent, else null; asked before any hashing. */
    private AuthenticationException refused(Kind kind, String name, InetAddress client) {
        if (throttle.isIdle()) {
            return null; // the common case: no key to build, nothing to look up
        }
        Attempt attempt = new Attempt(kind, name, source(client));
        long nanos = throttle.blockedNanos(attempt);
        if (nanos <= 0) {
            return null;
        }
        long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        // An authentication decision about one name and client, not an overloaded node: the server answers it as
        // security_exception, not as the es_rejected_execution_exception of a full worker pool (monitoring must tell
        // the two apart). Clients act on the status and Retry-After, which both carry.
        return AuthenticationException.throttled(EsMessages.tooManyFailedAuthentications(attempt.what(), seconds), seconds)
                .withAttempt(new CredentialAttempt(kind.type, name, null, Reason.THROTTLED));
    }

    /** Counts a failure that cost a hash. */
    private void failed(Kind kind, String name, InetAddress client) {
        if (throttle.settings().enabled()) {
            Attempt attempt = new Attempt(kind, name, source(client));
            if (throttle.failure(attempt)) {
                FailureThrottle.Settings s = throttle.settings();
                LOG.warn("{} failed authentications of {} from [{}] within [{}]: refusing it from there for [{}]", s.maxFailures(),
                        attempt.what(), attempt.source() == null ? "unknown address" : attempt.source().getHostAddress(), timeValue(s.window()),
                        timeValue(s.lockout()));
            }
        }
    }

    /** A duration as Elasticsearch writes time values ({@code 90s}, {@code 1m}, {@code 500ms}). */
    static String timeValue(Duration d) {
        long ms = d.toMillis();
        for (Object[] unit : new Object[][]{{86_400_000L, "d"}, {3_600_000L, "h"}, {60_000L, "m"}, {1_000L, "s"}}) {
            long size = (Long) unit[0];
            if (ms >= size && ms % size == 0) {
                return ms / size + (String) unit[1];
            }
        }
        return ms + "ms";
    }

    /**
     * The throttle's notion of a client: its address, an IPv6 address cut to its /64 (one host commonly
     * holds a whole /64, so single IPv6 addresses would give it any number of budgets). Never the port:
     * a new connection would be a new client. Proxy headers are not trusted: clients behind one proxy
     * share its budget.
     */
    static InetAddress source(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        byte[] b = client.getAddress();
        Arrays.fill(b, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            return client; // 16 bytes are always an address
        }
    }

    /**
     * After every realm failed: file-fed realms re-read files that changed. Whether the attempt is worth
     * one more try is decided by the realms' generations, not by whether this refresh found the change:
     * the poller may have read it while the attempt checked the old content.
     */
    private CompletableFuture<Void> refreshRealms() {
        return CompletableFuture.allOf(realms.stream().map(Realm::refresh).toArray(CompletableFuture[]::new));
    }

    /** Sum of the realms' generations: each only grows, so the sum changes whenever one does. */
    private long realmGenerations() {
        long sum = 0;
        for (Realm r : realms) {
            sum += r.generation();
        }
        return sum;
    }

    /** The realm chain's answer: the authentication, or null and whether a realm spent a hash on a wrong password. */
    private record Chain(UserAuthentication authn, boolean wrongPassword) {
    }

    /** Asks realm {@code i}, then the next ones, until one knows the user and the password. */
    private CompletableFuture<Chain> firstRealm(int i, String username, Secret password, boolean wrongPassword) {
        if (i >= realms.size()) {
            return CompletableFuture.completedFuture(new Chain(null, wrongPassword));
        }
        Realm realm = realms.get(i);
        return realm.authenticate(username, password).thenCompose(r -> r.succeeded()
                ? CompletableFuture.completedFuture(new Chain(UserAuthentication.of(r.user(), realm.ref()), false))
                : firstRealm(i + 1, username, password, wrongPassword || r.wrongPassword()));
    }

    /** Run-as: the target is looked up in the realms; authorization decides later whether it is allowed. */
    /** {@code authn} running as {@code target} (null: none), checked as the {@code es-security-runas-user} header is. */
    public CompletableFuture<Authentication> runAsFrom(String target, UserAuthentication authn) {
        return runAs(target, authn);
    }

    private CompletableFuture<Authentication> runAs(String target, UserAuthentication authn) {
        if (target == null) {
            return CompletableFuture.completedFuture(authn);
        }
        if (target.isEmpty()) {
            return CompletableFuture.failedFuture(AuthenticationException.unauthenticated("run_as header is empty, a user name is required")
                    .withAttempt(new CredentialAttempt(Type.BASIC, authn.user().username(), null, Reason.INVALID)));
        }
        return lookup(0, target).thenApply(found -> found
                .map(f -> (Authentication) new UserAuthentication(f.user(), authn.authenticationRealm(), f.realm(), authn.user(), authn.token()))
                .orElseGet(() -> new UserAuthentication(new User(target, List.of(), null, null, null, true),
                        authn.authenticationRealm(), null, authn.user(), authn.token())));
    }

    private record Found(User user, RealmRef realm) {
    }

    private CompletableFuture<Optional<Found>> lookup(int i, String username) {
        if (i >= realms.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Realm realm = realms.get(i);
        return realm.lookup(username).thenCompose(u -> u.isPresent()
                ? CompletableFuture.completedFuture(Optional.of(new Found(u.get(), realm.ref())))
                : lookup(i + 1, username));
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
