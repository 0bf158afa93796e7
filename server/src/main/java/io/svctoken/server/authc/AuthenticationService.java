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
 * failure is final), then Basic credentials for the realms, then the generic 401.
 */
public final class AuthenticationService {

    /** Challenges sent with every 401, in the order commonly seen from Elasticsearch. */
    public static final List<String> CHALLENGES = List.of("Basic realm=\"security\", charset=\"UTF-8\"", "Bearer realm=\"security\"", "ApiKey");

    private final ServiceAccountAuthenticator serviceAccounts;
    private final ReservedRealm reservedRealm;

    public AuthenticationService(ServiceAccountAuthenticator serviceAccounts, ReservedRealm reservedRealm) {
        this.serviceAccounts = serviceAccounts;
        this.reservedRealm = reservedRealm;
    }

    /** Completes with the authentication, or exceptionally with a 401 {@link EsException}. */
    public CompletableFuture<Authentication> authenticate(RestRequest request) {
        String header = request.header("Authorization");
        if (header != null && startsWithIgnoreCase(header, "Bearer ") && header.length() > "Bearer ".length()) {
            Optional<ServiceAccountToken> token = TokenCodec.decode(header.substring("Bearer ".length()));
            if (token.isPresent()) {
                return serviceToken(token.get());
            }
            // Not a service token: the OAuth2 token service is next in Elasticsearch's chain, and rejects it.
            return CompletableFuture.failedFuture(EsErrors.unauthenticated(EsMessages.UNABLE_TO_AUTHENTICATE, CHALLENGES)
                    .withMetadata("additional_unsuccessful_credentials", "oauth2 token: invalid token"));
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
            return CompletableFuture.failedFuture(EsErrors.unauthenticated("invalid basic authentication header encoding", CHALLENGES));
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
            return CompletableFuture.failedFuture(EsErrors.unauthenticated("invalid basic authentication header value", CHALLENGES));
        }
        String username = new String(decoded, 0, colon);
        Secret password = Secret.copyOf(decoded, colon + 1, decoded.length);
        Arrays.fill(decoded, '\0');
        String failure = "unable to authenticate user [" + username + "] for REST request [" + request.uri() + "]";
        if (!reservedRealm.handles(username)) {
            password.wipe();
            return CompletableFuture.failedFuture(EsErrors.unauthenticated(failure, CHALLENGES));
        }
        return reservedRealm.authenticate(username, password).handle((user, error) -> {
            password.wipe();
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                throw new EsException(EsErrors.SECURITY_EXCEPTION, 401, EsMessages.ERROR_ATTEMPTING_TO_AUTHENTICATE, EsException.from(cause))
                        .withHeader("WWW-Authenticate", CHALLENGES);
            }
            return user.<Authentication>map(u -> u).orElseThrow(() -> EsErrors.unauthenticated(failure, CHALLENGES));
        });
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
