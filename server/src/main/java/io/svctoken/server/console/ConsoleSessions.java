package io.svctoken.server.console;

import io.svctoken.core.Futures;
import io.svctoken.core.apikey.ApiKeyService;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.AuthenticationService;
import io.svctoken.core.authc.CredentialAttempt;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.error.AuthenticationException;
import io.svctoken.core.event.RequestInfo;
import io.svctoken.core.event.SecurityEvents;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.secret.SecretAccess;
import io.svctoken.core.store.ConsoleSessionRecord;
import io.svctoken.core.store.ConsoleSessionStore;
import io.svctoken.server.ServerEsMessages;
import io.svctoken.server.http.EsErrors;
import io.svctoken.server.http.EsException;
import io.svctoken.server.http.RestRequest;
import io.svctoken.server.http.SessionCookies;
import io.svctoken.server.settings.ConsoleSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The management console's sessions: sign-in (through the same realm chain and API-key service as an
 * {@code Authorization} header), the cookie's authentication of later requests, sign-out, and the removal of ended
 * sessions. A session id is 32 random bytes, base64url, held by the browser in the {@code svctoken_session} cookie and
 * stored only as its SHA-256 hash; the principal is resolved again on every request (a realm user through its realm's
 * lookup, an API key by its id), so a disabled or deleted user, or an invalidated key, ends the session.
 * {@code last_seen} is written at most once a minute (more often only when the idle timeout is under two minutes, so an
 * active session never looks idle). Store calls run on the worker pool.
 */
public final class ConsoleSessions implements SessionCookies {

    public static final String COOKIE = "svctoken_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The credential headers a request may carry instead of the cookie; any of them and the cookie is not read. */
    private static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", AuthenticationService.RUN_AS_HEADER,
            "es-secondary-authorization", "ES-Client-Authentication");
    private static final long TOUCH_MAX_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsoleSessionStore store;
    private final AuthenticationService authentication;
    private final ApiKeyService apiKeys;
    private final Executor worker;
    private final Clock clock;
    private final ConsoleSettings settings;
    private final boolean https;
    private final SecurityEvents events;
    private final long touchMillis;

    /** A live session and who it stands for now. */
    public record Session(ConsoleSessionRecord record, Authentication authentication) {
    }

    /** A new session and the cookie that carries its id (shown once, in {@link #setCookie}). */
    public record Started(Session session, Secret id) {
    }

    /**
     * @param https  whether the node serves HTTPS (the cookie is then {@code Secure})
     * @param events who hears the cookie's authentications (the sign-in's are told by the authentication service)
     */
    public ConsoleSessions(ConsoleSessionStore store, AuthenticationService authentication, ApiKeyService apiKeys, Executor worker,
                           Clock clock, ConsoleSettings settings, boolean https, SecurityEvents events) {
        this.store = store;
        this.authentication = authentication;
        this.apiKeys = apiKeys;
        this.worker = worker;
        this.clock = clock;
        this.settings = settings;
        this.https = https;
        this.events = events;
        this.touchMillis = Math.min(TOUCH_MAX_MILLIS, settings.idleTimeout().toMillis() / 2);
    }

    public ConsoleSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ sign-in and sign-out

    /**
     * Signs in with a user name and password (any realm) or an encoded API key ({@code apiKey} non-null), as the
     * {@code Authorization} header would authenticate them, then stores a new session. Wipes the secrets.
     */
    public CompletableFuture<Started> signIn(String username, Secret password, Secret apiKey, RequestInfo request) {
        CompletableFuture<Authentication> who;
        if (apiKey != null) {
            String encoded = apiKey.revealAsString(SecretAccess.plaintext());
            apiKey.wipe();
            who = authentication.signInWithApiKey(encoded, request);
        } else {
            who = authentication.signIn(username, password, request);
        }
        return who.thenCompose(authn -> {
            ConsoleSessionRecord record;
            Secret id = randomValue();
            long now = clock.millis();
            String csrf = randomValue().revealAsString(SecretAccess.plaintext());
            String hash = hash(id.revealAsString(SecretAccess.plaintext()));
            long expires = now + settings.maxLifetime().toMillis();
            if (authn instanceof ApiKeyAuthn k) {
                record = new ConsoleSessionRecord(hash, ConsoleSessionRecord.API_KEY, k.owner(), k.ownerRealm().name(), k.id(), csrf, now,
                        now, expires);
            } else if (authn instanceof UserAuthentication u && !u.isRunAs()) {
                record = new ConsoleSessionRecord(hash, ConsoleSessionRecord.REALM, u.user().username(), u.authenticationRealm().name(),
                        null, csrf, now, now, expires);
            } else {
                throw new IllegalStateException("a console sign-in authenticated neither a user nor an API key");
            }
            return CompletableFuture.runAsync(() -> store.insertSession(record), worker)
                    .thenApply(v -> new Started(new Session(record, authn), id));
        });
    }

    /** The session of this cookie value (null: none), refreshed: 401 when there is none usable. */
    public CompletableFuture<Session> current(String cookie) {
        return load(cookie);
    }

    /** Ends the session of this cookie value on every node, after the CSRF check. */
    public CompletableFuture<Void> signOut(String cookie, String csrfToken) {
        return load(cookie).thenCompose(s -> {
            checkCsrf(s, csrfToken);
            return CompletableFuture.runAsync(() -> store.deleteSession(s.record().idHash()), worker);
        });
    }

    /** The {@code Set-Cookie} value that gives the browser a new session's id. */
    public String setCookie(Secret id) {
        return COOKIE + "=" + id.revealAsString(SecretAccess.plaintext()) + attributes();
    }

    /** The {@code Set-Cookie} value that removes the cookie. */
    public String clearCookie() {
        return COOKIE + "=; Max-Age=0" + attributes();
    }

    private String attributes() {
        return "; Path=/; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    /** Deletes the sessions that ended (run periodically); a failure is logged and the next run tries again. */
    public int removeExpired() {
        try {
            return store.deleteExpiredSessions(clock.millis(), settings.idleTimeout().toMillis());
        } catch (RuntimeException e) {
            LOG.warn("could not delete ended console sessions: {}", e.toString());
            return 0;
        }
    }

    // ------------------------------------------------------------------ the cookie on every request

    @Override
    public boolean consoleServed() {
        return true;
    }

    @Override
    public CompletableFuture<Authentication> authenticate(RestRequest request) {
        for (String h : CREDENTIAL_HEADERS) {
            if (request.header(h) != null) {
                return null;
            }
        }
        String cookie = cookieValue(request);
        if (cookie == null) {
            return null;
        }
        boolean change = !request.method().equals("GET") && !request.method().equals("HEAD");
        return load(cookie).handle((session, error) -> {
            if (error != null) {
                events.authenticationFailed(request.info(), AuthenticationException.unauthenticated(ServerEsMessages.CONSOLE_SESSION_EXPIRED)
                        .withAttempt(new CredentialAttempt(CredentialAttempt.Type.NONE, null, null, CredentialAttempt.Reason.EXPIRED)));
                throw Futures.unwrap(error) instanceof RuntimeException re ? re : expired();
            }
            if (change) {
                try {
                    checkCsrf(session, request.header(CSRF_HEADER));
                } catch (EsException e) {
                    events.authenticationFailed(request.info(), AuthenticationException.unauthenticated(ServerEsMessages.CONSOLE_CSRF_INVALID)
                            .withAttempt(new CredentialAttempt(CredentialAttempt.Type.NONE, session.record().username(), null,
                                    CredentialAttempt.Reason.INVALID)));
                    throw e;
                }
            }
            events.authenticationSuccess(request.info(), session.authentication());
            return session.authentication();
        });
    }

    /** The value of the request's first {@code svctoken_session} cookie, else null. */
    public static String cookieValue(RestRequest request) {
        return cookieValue(request.headers("Cookie"));
    }

    /** The value of the first {@code svctoken_session} cookie in these {@code Cookie} headers, else null. */
    static String cookieValue(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return null;
        }
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    /** The stored session of this id, still within both timeouts, with its principal resolved again; else a 401. */
    private CompletableFuture<Session> load(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return CompletableFuture.failedFuture(expired());
        }
        String hash = hash(cookie);
        return CompletableFuture.supplyAsync(() -> store.findSession(hash), worker).thenCompose(found -> {
            long now = clock.millis();
            if (found.isEmpty()) {
                return CompletableFuture.failedFuture(expired());
            }
            ConsoleSessionRecord s = found.get();
            if (now >= s.expiresMillis() || now - s.lastSeenMillis() > settings.idleTimeout().toMillis()) {
                return end(hash);
            }
            return principal(s).thenCompose(authn -> {
                if (authn.isEmpty()) {
                    return end(hash); // the user was disabled or deleted, the key invalidated or expired
                }
                ConsoleSessionRecord seen = s;
                if (now - s.lastSeenMillis() >= touchMillis) {
                    seen = s.seenAt(now);
                    CompletableFuture.runAsync(() -> store.touchSession(hash, now), worker).exceptionally(e -> {
                        LOG.debug("could not note a console session's last request: {}", e.toString());
                        return null;
                    });
                }
                return CompletableFuture.completedFuture(new Session(seen, authn.get()));
            });
        });
    }

    private CompletableFuture<Optional<Authentication>> principal(ConsoleSessionRecord s) {
        if (s.kind().equals(ConsoleSessionRecord.API_KEY)) {
            return apiKeys.resolve(s.apiKeyId()).thenApply(k -> k.map(a -> (Authentication) a));
        }
        return authentication.lookupUser(s.realm(), s.username()).thenApply(u -> u.map(a -> (Authentication) a));
    }

    private <T> CompletableFuture<T> end(String hash) {
        return CompletableFuture.runAsync(() -> store.deleteSession(hash), worker).thenCompose(v -> CompletableFuture.failedFuture(expired()));
    }

    private static void checkCsrf(Session s, String presented) {
        byte[] want = s.record().csrfToken().getBytes(StandardCharsets.UTF_8);
        byte[] got = presented == null ? new byte[0] : presented.getBytes(StandardCharsets.UTF_8);
        if (presented == null || !MessageDigest.isEqual(want, got)) {
            throw EsErrors.forbidden(ServerEsMessages.CONSOLE_CSRF_INVALID);
        }
    }

    /** The 401 of a missing, unknown or ended session: no {@code WWW-Authenticate}, so no browser asks for a password. */
    private static EsException expired() {
        return new EsException(EsErrors.SECURITY_EXCEPTION, 401, ServerEsMessages.CONSOLE_SESSION_EXPIRED);
    }

    private static Secret randomValue() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        try {
            return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** base64url SHA-256 of a session id: what the store keeps and looks sessions up by. */
    static String hash(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
