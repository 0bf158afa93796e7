package io.svctoken.core.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.EsMessages;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.StoredJson;
import io.svctoken.core.authc.User;
import io.svctoken.core.authc.UserAuthentication;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.OAuth2TokenRecord;
import io.svctoken.core.store.OAuth2TokenRepository;
import io.svctoken.core.store.OAuth2TokenRepository.Invalidated;
import io.svctoken.core.store.Revocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OAuth2 access and refresh tokens, as Elasticsearch's {@code TokenService}: creation for a subject, use as
 * {@code Authorization: Bearer}, single-use refresh, and invalidation. Tokens are random and stored hashed
 * ({@link OAuth2TokenCodec}); an access token represents the subject captured when it was made. Checked access tokens
 * are cached by hash on this node; an invalidation evicts them here and, through the invalidation bus
 * ({@value InvalidationBus#OAUTH2_TOKENS}), on every node. Store work runs on the worker pool.
 */
public final class OAuth2TokenService {

    /** {@code xpack.security.authc.token.timeout}: default and bounds (Elasticsearch's). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(20);
    public static final Duration MIN_LIFETIME = Duration.ofSeconds(1);
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);
    /** A refresh token is usable for 24 hours after its token was made (Elasticsearch's maximum token lifetime). */
    public static final long REFRESH_LIFETIME_MILLIS = Duration.ofHours(24).toMillis();
    /** A refresh token used again within 30 seconds answers the same new pair (Elasticsearch's concurrent refreshes). */
    public static final long REFRESH_REPEAT_MILLIS = Duration.ofSeconds(30).toMillis();

    private static final Logger LOG = LoggerFactory.getLogger(OAuth2TokenService.class);
    private static final byte[] SUPERSEDING_KEY_LABEL = "svctoken oauth2 superseding tokens".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CACHE_MAX_TOKENS = 100_000;

    /** A new pair: the values are shown once, to the client that asked. Close to wipe them. */
    public record Issued(Secret accessToken, Secret refreshToken, UserAuthentication authentication, long expiresInSeconds)
            implements AutoCloseable {
        @Override
        public void close() {
            accessToken.wipe();
            if (refreshToken != null) {
                refreshToken.wipe();
            }
        }

        @Override
        public String toString() {
            return "Issued[" + authentication.principal() + "]";
        }
    }

    /** Elasticsearch's {@code invalid_grant}: a 400 in OAuth2's error form, with this description. */
    public static final class InvalidGrant extends RuntimeException {
        public InvalidGrant(String description) {
            super(description, null, false, false);
        }
    }

    /** What an invalidation request did (Elasticsearch's {@code TokensInvalidationResult}); {@code notFound}: 404. */
    public record Invalidation(int invalidated, int previouslyInvalidated, boolean notFound) {
        static final Invalidation NOT_FOUND = new Invalidation(0, 0, true);
        static final Invalidation NOTHING = new Invalidation(0, 0, false);
    }

    private record Cached(UserAuthentication authn, long expirationMillis) {
    }

    private final OAuth2TokenRepository store;
    private final Duration lifetime;
    private final Executor worker;
    private final Clock clock;
    private final int versionId;
    private final Cache<String, Cached> cache;
    /** Counts invalidations, so that a check that read a token before one ran does not cache it after. */
    private final AtomicLong invalidations = new AtomicLong();
    private volatile Revocations cluster = Revocations.none();

    /**
     * @param lifetime  how long an access token is valid ({@code xpack.security.authc.token.timeout})
     * @param versionId the version number written into new tokens
     */
    public OAuth2TokenService(OAuth2TokenRepository store, Duration lifetime, Executor worker, Clock clock, int versionId) {
        this.store = store;
        this.lifetime = lifetime;
        this.worker = worker;
        this.clock = clock;
        this.versionId = versionId;
        // an entry is never needed after its token expired
        this.cache = Caffeine.newBuilder().expireAfterWrite(lifetime).maximumSize(CACHE_MAX_TOKENS).recordStats().build();
    }

    /** The authentication cache, for its statistics (metrics). */
    public Cache<?, ?> cache() {
        return cache;
    }

    /** Elasticsearch's {@code expires_in}: the configured lifetime in whole seconds. */
    public long expiresInSeconds() {
        return lifetime.toSeconds();
    }

    /** Where an invalidation is announced to the other nodes. */
    public OAuth2TokenService withCluster(Revocations c) {
        this.cluster = c;
        return this;
    }

    // ------------------------------------------------------------------ creation

    /**
     * A new access token (and refresh token if asked) representing {@code subject}, asked for by {@code client} (who alone
     * may refresh it).
     */
    public CompletableFuture<Issued> create(UserAuthentication subject, Authentication client, boolean withRefreshToken) {
        String authenticationJson = write(subject).toString();
        String clientName = client.principal();
        String clientRealm = clientRealm(client);
        return CompletableFuture.supplyAsync(() -> {
            byte[] access = OAuth2TokenCodec.newRaw();
            byte[] refresh = withRefreshToken ? OAuth2TokenCodec.newRaw() : null;
            try {
                long now = clock.millis();
                store.insertToken(OAuth2TokenRecord.issued(OAuth2TokenCodec.hash(access), refresh == null ? null : OAuth2TokenCodec.hash(refresh),
                        now, now + lifetime.toMillis(), subject.principal(), subject.effectiveRealm().name(), authenticationJson,
                        clientName, clientRealm));
                return issued(access, refresh, subject);
            } finally {
                wipe(access, refresh);
            }
        }, worker);
    }

    private Issued issued(byte[] access, byte[] refresh, UserAuthentication subject) {
        return new Issued(OAuth2TokenCodec.encode(versionId, access), refresh == null ? null : OAuth2TokenCodec.encode(versionId, refresh),
                subject, expiresInSeconds());
    }

    /** Who asked for a token, as the refresh check compares it: an API key is its own client. */
    private static String clientRealm(Authentication client) {
        return client instanceof ApiKeyAuthn k ? ApiKeyAuthn.REALM + "/" + k.id() : client.effectiveRealm().name();
    }

    // ------------------------------------------------------------------ refresh

    /**
     * Uses a refresh token for a new pair representing the same subject ({@code authentication} shows it as a token
     * authentication). Fails with {@link InvalidGrant} as Elasticsearch: unknown, older than 24 hours, invalidated, asked
     * for by another client, or already used more than 30 seconds ago; used within 30 seconds answers that refresh's pair.
     */
    public CompletableFuture<Issued> refresh(Secret refreshToken, Authentication client) {
        Optional<byte[]> decoded = OAuth2TokenCodec.decode(refreshToken);
        if (decoded.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidGrant(EsMessages.COULD_NOT_REFRESH_TOKEN));
        }
        byte[] presented = decoded.get();
        String clientName = client.principal();
        String clientRealm = clientRealm(client);
        return CompletableFuture.supplyAsync(() -> {
            try {
                String hash = OAuth2TokenCodec.hash(presented);
                for (int attempt = 0; attempt < 3; attempt++) {
                    OAuth2TokenRecord token = store.findByRefreshHash(hash).orElseThrow(() -> new InvalidGrant(EsMessages.COULD_NOT_REFRESH_TOKEN));
                    long now = clock.millis();
                    checkRefreshable(token, now, clientName, clientRealm);
                    UserAuthentication subject = read(token.authenticationJson()).asToken();
                    if (token.refreshed()) {
                        return superseding(token, presented, subject);
                    }
                    byte[] access = OAuth2TokenCodec.newRaw();
                    byte[] refresh = OAuth2TokenCodec.newRaw();
                    try {
                        OAuth2TokenRecord successor = OAuth2TokenRecord.issued(OAuth2TokenCodec.hash(access), OAuth2TokenCodec.hash(refresh), now,
                                now + lifetime.toMillis(), token.username(), token.realm(), token.authenticationJson(), token.clientUsername(),
                                token.clientRealm());
                        if (store.refresh(token.accessTokenHash(), now, seal(presented, access, refresh), successor)) {
                            return issued(access, refresh, subject);
                        }
                    } finally {
                        wipe(access, refresh);
                    }
                    // another refresh of this token won meanwhile: read it again and answer as a repeat
                }
                throw new InvalidGrant(EsMessages.COULD_NOT_REFRESH_TOKEN);
            } finally {
                Arrays.fill(presented, (byte) 0);
            }
        }, worker);
    }

    /** Elasticsearch's checks, in its order. */
    private static void checkRefreshable(OAuth2TokenRecord token, long now, String clientName, String clientRealm) {
        if (now > token.creationTimeMillis() + REFRESH_LIFETIME_MILLIS) {
            throw new InvalidGrant(EsMessages.TOKEN_DOCUMENT_EXPIRED);
        }
        if (token.refreshInvalidated()) {
            throw new InvalidGrant(EsMessages.TOKEN_INVALIDATED);
        }
        if (!token.clientUsername().equals(clientName) || !token.clientRealm().equals(clientRealm)) {
            LOG.warn("an OAuth2 token created by [{}] was refreshed by [{}]", token.clientUsername(), clientName);
            throw new InvalidGrant(EsMessages.TOKEN_WRONG_CLIENT);
        }
        if (token.refreshed()) {
            long at = token.refreshTimeMillis() == null ? 0 : token.refreshTimeMillis();
            if (now > at + REFRESH_REPEAT_MILLIS) {
                throw new InvalidGrant(EsMessages.TOKEN_REFRESHED_IN_THE_PAST);
            }
            if (now < at - REFRESH_REPEAT_MILLIS) {
                throw new InvalidGrant(EsMessages.TOKEN_REFRESHED_IN_THE_FUTURE);
            }
        }
    }

    /** The pair a refresh issued, opened with the refresh token that was used for it. */
    private Issued superseding(OAuth2TokenRecord token, byte[] presented, UserAuthentication subject) {
        byte[] pair = null;
        try {
            byte[] sealed = Base64.getDecoder().decode(token.superseding());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, supersedingKey(presented), new GCMParameterSpec(128, sealed, 0, 12));
            pair = cipher.doFinal(sealed, 12, sealed.length - 12);
            if (pair.length != 2 * OAuth2TokenCodec.RAW_LENGTH) {
                throw new InvalidGrant(EsMessages.COULD_NOT_REFRESH_TOKEN);
            }
            byte[] access = Arrays.copyOfRange(pair, 0, OAuth2TokenCodec.RAW_LENGTH);
            byte[] refresh = Arrays.copyOfRange(pair, OAuth2TokenCodec.RAW_LENGTH, pair.length);
            try {
                if (store.findByAccessHash(OAuth2TokenCodec.hash(access)).isEmpty()) {
                    throw new InvalidGrant(EsMessages.COULD_NOT_REFRESH_TOKEN);
                }
                return issued(access, refresh, subject);
            } finally {
                wipe(access, refresh);
            }
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            LOG.warn("the tokens a refresh issued cannot be read again: {}", e.getClass().getSimpleName());
            throw new InvalidGrant(EsMessages.COULD_NOT_REFRESH_TOKEN);
        } finally {
            if (pair != null) {
                Arrays.fill(pair, (byte) 0);
            }
        }
    }

    /** The new pair, encrypted with a key only the used refresh token gives (the store alone cannot open it). */
    private static String seal(byte[] presented, byte[] access, byte[] refresh) {
        byte[] pair = new byte[access.length + refresh.length];
        try {
            System.arraycopy(access, 0, pair, 0, access.length);
            System.arraycopy(refresh, 0, pair, access.length, refresh.length);
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, supersedingKey(presented), new GCMParameterSpec(128, iv));
            byte[] ct = cipher.doFinal(pair);
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        } finally {
            Arrays.fill(pair, (byte) 0);
        }
    }

    /** A key from the refresh token's random bytes (192 bits: no slow derivation needed), apart from its stored hash. */
    private static SecretKeySpec supersedingKey(byte[] refresh) {
        byte[] k = OAuth2TokenCodec.sha256(SUPERSEDING_KEY_LABEL, refresh);
        try {
            return new SecretKeySpec(k, "AES");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    // ------------------------------------------------------------------ authentication

    /**
     * The check of a {@code Bearer} value that is not a service token: empty when it is no access token of this form (the
     * chain reports {@code oauth2 token: invalid token}), else completes with the subject, with null when no such token
     * is stored, or fails with {@link Expired} when it expired or was invalidated.
     */
    public Optional<CompletableFuture<UserAuthentication>> authenticate(String bearer) {
        return check(OAuth2TokenCodec.decode(bearer));
    }

    /**
     * Who an access token given in a request body stands for (an API key's {@code access_token} grant): empty when it is
     * no token of this form, not stored, expired or invalidated. Wipes {@code token}.
     */
    public CompletableFuture<Optional<UserAuthentication>> subjectOf(Secret token) {
        Optional<byte[]> raw;
        try {
            raw = OAuth2TokenCodec.decode(token);
        } finally {
            token.wipe();
        }
        return check(raw).map(f -> f.handle((authn, error) -> error != null ? Optional.<UserAuthentication>empty()
                : Optional.ofNullable(authn))).orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
    }

    private Optional<CompletableFuture<UserAuthentication>> check(Optional<byte[]> raw) {
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String hash = OAuth2TokenCodec.hash(raw.get());
        Arrays.fill(raw.get(), (byte) 0);
        Cached hit = cluster.cachesUsable() ? cache.getIfPresent(hash) : null;
        if (hit != null) {
            return Optional.of(hit.expirationMillis() < clock.millis() ? CompletableFuture.failedFuture(new Expired())
                    : CompletableFuture.completedFuture(hit.authn()));
        }
        return Optional.of(CompletableFuture.supplyAsync(() -> {
            long generation = invalidations.get();
            Optional<OAuth2TokenRecord> found = store.findByAccessHash(hash);
            if (found.isEmpty()) {
                return null;
            }
            OAuth2TokenRecord token = found.get();
            // Elasticsearch: valid until its expiration time has passed
            if (token.accessInvalidated() || token.expirationTimeMillis() < clock.millis()) {
                throw new Expired();
            }
            UserAuthentication authn = read(token.authenticationJson()).asToken();
            cache.put(hash, new Cached(authn, token.expirationTimeMillis()));
            if (invalidations.get() != generation) {
                cache.invalidate(hash); // an invalidation ran meanwhile: what was read may be stale
            }
            return authn;
        }, worker));
    }

    /** An access token that expired or was invalidated: Elasticsearch answers both as {@code token expired}. */
    public static final class Expired extends RuntimeException {
        Expired() {
            super(EsMessages.TOKEN_EXPIRED, null, false, false);
        }
    }

    // ------------------------------------------------------------------ invalidation

    /** {@code DELETE /_security/oauth2/token} with {@code token}: an unknown token is a 404 with zeros. */
    public CompletableFuture<Invalidation> invalidateAccessToken(Secret accessToken) {
        Optional<byte[]> raw = OAuth2TokenCodec.decode(accessToken);
        if (raw.isEmpty()) {
            return CompletableFuture.completedFuture(Invalidation.NOT_FOUND);
        }
        String hash = OAuth2TokenCodec.hash(raw.get());
        Arrays.fill(raw.get(), (byte) 0);
        return CompletableFuture.supplyAsync(() -> store.findByAccessHash(hash).isPresent(), worker).thenCompose(found -> found
                ? invalidateAccess(List.of(hash), null) : CompletableFuture.completedFuture(Invalidation.NOT_FOUND));
    }

    /** With {@code refresh_token}: only the refresh token is invalidated (its access token stays valid until it expires). */
    public CompletableFuture<Invalidation> invalidateRefreshToken(Secret refreshToken) {
        Optional<byte[]> raw = OAuth2TokenCodec.decode(refreshToken);
        if (raw.isEmpty()) {
            return CompletableFuture.completedFuture(Invalidation.NOT_FOUND);
        }
        String hash = OAuth2TokenCodec.hash(raw.get());
        Arrays.fill(raw.get(), (byte) 0);
        return CompletableFuture.supplyAsync(() -> {
            Optional<OAuth2TokenRecord> token = store.findByRefreshHash(hash);
            if (token.isEmpty()) {
                return Invalidation.NOT_FOUND;
            }
            Invalidated r = store.invalidateRefreshTokens(List.of(token.get().accessTokenHash()));
            return new Invalidation(r.invalidated().size(), r.previouslyInvalidated().size(), false);
        }, worker);
    }

    /**
     * With {@code realm_name} and/or {@code username}: every token with something still usable, refresh tokens first
     * (so that none mints new access tokens meanwhile), then access tokens; each invalidated field counts, as in
     * Elasticsearch. Nothing to do is a 200 with zeros.
     */
    public CompletableFuture<Invalidation> invalidateFor(String realm, String username) {
        return CompletableFuture.supplyAsync(() -> store.findActiveTokens(realm, username, clock.millis(), REFRESH_LIFETIME_MILLIS), worker)
                .thenCompose(tokens -> {
                    if (tokens.isEmpty()) {
                        return CompletableFuture.completedFuture(Invalidation.NOTHING);
                    }
                    List<String> withRefresh = tokens.stream().filter(OAuth2TokenRecord::hasRefreshToken).map(OAuth2TokenRecord::accessTokenHash)
                            .toList();
                    List<String> all = tokens.stream().map(OAuth2TokenRecord::accessTokenHash).toList();
                    return CompletableFuture.supplyAsync(() -> store.invalidateRefreshTokens(withRefresh), worker)
                            .thenCompose(refreshed -> invalidateAccess(all, refreshed));
                });
    }

    /** Invalidates access tokens here and on every node (the event commits with the change); adds {@code before}'s counts. */
    private CompletableFuture<Invalidation> invalidateAccess(List<String> hashes, Invalidated before) {
        Revocations cluster = this.cluster;
        record Done(Invalidated result, Revocation revocation) {
        }
        return CompletableFuture.supplyAsync(() -> {
            Revocation revocation = cluster.revocation(InvalidationBus.OAUTH2_TOKENS, hashes);
            Invalidated r = store.invalidateAccessTokens(hashes, revocation);
            invalidations.incrementAndGet(); // after the store write, before the evictions (see authenticate)
            r.invalidated().forEach(cache::invalidate);
            return new Done(r, revocation);
        }, worker).thenCompose(d -> cluster.acknowledged(d.revocation()).thenApply(ack -> {
            int invalidated = d.result().invalidated().size() + (before == null ? 0 : before.invalidated().size());
            int previously = d.result().previouslyInvalidated().size() + (before == null ? 0 : before.previouslyInvalidated().size());
            return new Invalidation(invalidated, previously, false);
        }));
    }

    /**
     * Deletes the tokens made 24 hours ago or earlier, whose access and refresh tokens can no longer be used (Elasticsearch's
     * expired-token remover); blocking, for a background thread.
     *
     * @return how many were deleted
     */
    public int removeExpired() {
        return store.deleteTokensCreatedBefore(clock.millis() - REFRESH_LIFETIME_MILLIS);
    }

    /** The {@value InvalidationBus#OAUTH2_TOKENS} subscriber: forgets the cached checks of these token hashes (null: all). */
    public void invalidateCached(List<String> hashes) {
        invalidations.incrementAndGet();
        if (hashes == null) {
            cache.invalidateAll();
        } else {
            hashes.forEach(cache::invalidate);
        }
    }

    // ------------------------------------------------------------------ the stored subject

    static ObjectNode write(UserAuthentication a) {
        ObjectNode o = StoredJson.object();
        o.set("user", user(a.user()));
        o.set("authentication_realm", realm(a.authenticationRealm()));
        if (a.lookupRealm() != null) {
            o.set("lookup_realm", realm(a.lookupRealm()));
        }
        if (a.authenticatingUser() != null) {
            o.set("authenticating_user", user(a.authenticatingUser()));
        }
        return o;
    }

    static UserAuthentication read(String json) {
        JsonNode o;
        try {
            o = StoredJson.read(json);
        } catch (Exception e) {
            throw new IllegalStateException("stored OAuth2 token subject is not JSON", e);
        }
        return new UserAuthentication(user(o.path("user")), realm(o.path("authentication_realm")),
                o.has("lookup_realm") ? realm(o.path("lookup_realm")) : null,
                o.has("authenticating_user") ? user(o.path("authenticating_user")) : null);
    }

    private static ObjectNode user(User u) {
        ObjectNode o = StoredJson.object();
        o.put("username", u.username());
        u.roles().forEach(o.putArray("roles")::add);
        o.put("full_name", u.fullName());
        o.put("email", u.email());
        o.set("metadata", u.metadata());
        o.put("enabled", u.enabled());
        return o;
    }

    private static User user(JsonNode o) {
        List<String> roles = new ArrayList<>();
        o.path("roles").forEach(r -> roles.add(r.asText()));
        return new User(o.path("username").asText(), roles, text(o, "full_name"), text(o, "email"),
                o.get("metadata") instanceof ObjectNode m ? m : null, o.path("enabled").asBoolean(true));
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static ObjectNode realm(RealmRef r) {
        ObjectNode o = StoredJson.object();
        o.put("name", r.name());
        o.put("type", r.type());
        return o;
    }

    private static RealmRef realm(JsonNode o) {
        return new RealmRef(o.path("name").asText(), o.path("type").asText());
    }

    private static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

}
