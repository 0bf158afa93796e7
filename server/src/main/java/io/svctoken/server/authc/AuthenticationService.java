package io.svctoken.server.authc;

import io.svctoken.core.Futures;
import io.svctoken.core.EsMessages;
import io.svctoken.core.authc.ServiceAccountAuthenticator;
import io.svctoken.core.authc.ServiceTokenAuthenticationException;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.token.ServiceAccountToken;
import io.svctoken.core.token.TokenCodec;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.RestRequest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The authentication chain (rest-api §2.2, §10): a Bearer service token first (once parsed, its
 * failure is final), then an API key, then Basic credentials for the realms, then the generic 401.
 */
public final class AuthenticationService {

    /** Challenges sent with every 401, in the order commonly seen from Elasticsearch. */
    public static final List<String> CHALLENGES = List.of("Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey");

    /** The run-as header of Elasticsearch. */
    public static final String RUN_AS_HEADER = "es-security-runas-user";
    private static final String API_KEY_PREFIX = "ApiKey ";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuthenticationService.class);

    private final ServiceAccountAuthenticator serviceAccounts;
    private final ApiKeyService apiKeys;
    private final List<Realm> realms;

    /** @param realms asked in order for Basic credentials and for run-as lookups */
    public AuthenticationService(ServiceAccountAuthenticator serviceAccounts, List<Realm> realms) {
        this(serviceAccounts, null, realms);
    }

    /**
     * @param apiKeys null when API keys are not served ({@code ApiKey} headers then count as no credentials)
     * @param realms  asked in order for Basic credentials and for run-as lookups
     */
    public AuthenticationService(ServiceAccountAuthenticator serviceAccounts, ApiKeyService apiKeys, List<Realm> realms) {
        this.serviceAccounts = serviceAccounts;
        this.apiKeys = apiKeys;
        this.realms = List.copyOf(realms);
    }

    public List<Realm> realms() {
        return realms;
    }

    /** Completes with the authentication, or exceptionally with a 401 {@link EsException}. */
    public CompletableFuture<Authentication> authenticate(RestRequest request) {
        String header = request.header("Authorization");
        if (header != null && startsWithIgnoreCase(header, "Bearer ") && header.length() > "Bearer ".length()) {
            Optional<ServiceAccountToken> token = TokenCodec.decode(header.substring("Bearer ".length()));
            if (token.isPresent()) {
                if (request.header(RUN_AS_HEADER) != null) {
                    LOG.info("the [{}] header is ignored for service account authentication", RUN_AS_HEADER);
                }
                return serviceToken(token.get());
            }
            // Not a service token: the OAuth2 token service is next in Elasticsearch's chain, and rejects it.
            return CompletableFuture.failedFuture(EsErrors.unauthenticated(EsMessages.UNABLE_TO_AUTHENTICATE, CHALLENGES)
                    .withMetadata("additional_unsuccessful_credentials", "oauth2 token: invalid token"));
        }
        // Elasticsearch's chain: service token, OAuth2 token (both Bearer), then API key, then the realms.
        if (header != null && apiKeys != null && startsWithIgnoreCase(header, API_KEY_PREFIX) && header.length() > API_KEY_PREFIX.length()) {
            return apiKey(header.substring(API_KEY_PREFIX.length()));
        }
        if (header != null && startsWithIgnoreCase(header, "Basic ")) {
            return basic(request, header.substring("Basic ".length()).trim());
        }
        return CompletableFuture.failedFuture(EsErrors.unauthenticated(EsMessages.missingCredentials(request.uri()), CHALLENGES));
    }

    private CompletableFuture<Authentication> serviceToken(ServiceAccountToken token) {
        return serviceAccounts.authenticate(token).handle((authn, error) -> {
            token.close();
            if (error == null) {
                return new ServiceAccountAuthn(authn);
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof ServiceTokenAuthenticationException e) {
                EsException out = e.isStoreError()
                        ? new EsException(EsErrors.SECURITY_EXCEPTION, 401, e.getMessage(), EsException.from(e.getCause()))
                        : new EsException(EsErrors.SECURITY_EXCEPTION, 401, e.getMessage());
                throw out.withHeader("WWW-Authenticate", CHALLENGES);
            }
            throw new EsException(EsErrors.SECURITY_EXCEPTION, 401, EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, EsException.from(cause))
                    .withHeader("WWW-Authenticate", CHALLENGES);
        });
    }

    /**
     * An {@code ApiKey} header: a value that cannot be decoded, and every failure of the key, are
     * "unsuccessful" in Elasticsearch's terms: the realms are asked next (they have no credentials
     * here), and the answer is the generic 401 naming the API key failure.
     */
    private CompletableFuture<Authentication> apiKey(String encoded) {
        ApiKeyService.Credentials credentials;
        try {
            credentials = ApiKeyService.parseCredentials(encoded);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(apiKeyUnsuccessful(e.getMessage()));
        }
        CompletableFuture<ApiKeyAuthn> result;
        try {
            result = apiKeys.authenticate(credentials);
        } catch (ApiKeyService.Unsuccessful e) {
            credentials.close();
            return CompletableFuture.failedFuture(apiKeyUnsuccessful(e.getMessage()));
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
                throw apiKeyUnsuccessful(u.getMessage());
            }
            throw cause instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(cause);
        });
    }

    private static EsException apiKeyUnsuccessful(String message) {
        return EsErrors.unauthenticated(EsMessages.UNABLE_TO_AUTHENTICATE, CHALLENGES)
                .withMetadata("additional_unsuccessful_credentials", EsMessages.API_KEY_AUTHENTICATOR + ": " + message);
    }

    private CompletableFuture<Authentication> basic(RestRequest request, String encoded) {
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
            return CompletableFuture.failedFuture(EsErrors.unauthenticated(EsMessages.INVALID_BASIC_HEADER_ENCODING, CHALLENGES));
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
            return CompletableFuture.failedFuture(EsErrors.unauthenticated(EsMessages.INVALID_BASIC_HEADER_VALUE, CHALLENGES));
        }
        String username = new String(decoded, 0, colon);
        Secret password = Secret.copyOf(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, '\0');
        String failure = EsMessages.unableToAuthenticateUser(username, request.uri());
        long seen = realmGenerations(); // before the attempt reads any realm's data
        return firstRealm(0, username, password).thenCompose(found -> found.isPresent()
                ? CompletableFuture.completedFuture(found)
                : refreshRealms().thenCompose(v -> realmGenerations() != seen ? firstRealm(0, username, password)
                        : CompletableFuture.completedFuture(found))).handle((found, error) -> {
            password.wipe();
            if (error != null) {
                throw new EsException(EsErrors.SECURITY_EXCEPTION, 401, EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE,
                        EsException.from(Futures.unwrap(error))).withHeader("WWW-Authenticate", CHALLENGES);
            }
            return found.orElseThrow(() -> EsErrors.unauthenticated(failure, CHALLENGES));
        }).thenCompose(authn -> runAs(request, authn));
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

    /** Asks realm {@code i}, then the next ones, until one knows the user and the password. */
    private CompletableFuture<Optional<UserAuthentication>> firstRealm(int i, String username, Secret password) {
        if (i >= realms.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Realm realm = realms.get(i);
        return realm.authenticate(username, password).thenCompose(user -> user.isPresent()
                ? CompletableFuture.completedFuture(Optional.of(UserAuthentication.of(user.get(), realm.ref())))
                : firstRealm(i + 1, username, password));
    }

    /** Run-as: the target is looked up in the realms; authorization decides later whether it is allowed. */
    private CompletableFuture<Authentication> runAs(RestRequest request, UserAuthentication authn) {
        String target = request.header(RUN_AS_HEADER);
        if (target == null) {
            return CompletableFuture.completedFuture(authn);
        }
        if (target.isEmpty()) {
            return CompletableFuture.failedFuture(EsErrors.unauthenticated("run_as header is empty, a user name is required", CHALLENGES));
        }
        return lookup(0, target).thenApply(found -> found
                .map(f -> (Authentication) new UserAuthentication(f.user(), authn.authenticationRealm(), f.realm(), authn.user()))
                .orElseGet(() -> new UserAuthentication(new User(target, List.of(), null, null, null, true),
                        authn.authenticationRealm(), null, authn.user())));
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
