package io.svctoken.core.apikey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.EsMessages;
import io.svctoken.core.account.RoleDescriptor;
import io.svctoken.core.authc.ApiKeyAuthn;
import io.svctoken.core.authc.Authentication;
import io.svctoken.core.authc.Creator;
import io.svctoken.core.authc.RealmRef;
import io.svctoken.core.authc.StoredJson;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.error.InvalidRequestException;
import io.svctoken.core.hash.Hasher;
import io.svctoken.core.secret.Secret;
import io.svctoken.core.store.ApiKeyFilter;
import io.svctoken.core.store.ApiKeyRecord;
import io.svctoken.core.store.ApiKeyRepository;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.token.SecretGenerator;
import io.svctoken.core.token.TimeBasedIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API keys (as Elasticsearch's {@code ApiKeyService}): creation, authentication of
 * {@code Authorization: ApiKey <base64(id:key)>}, lookup and invalidation. Store calls and hashing run
 * on the worker pool. Successful authentications are cached per key id (the parsed key and a cheap
 * salted hash of the secret that worked, never the secret); invalidation through this service evicts
 * at once, and expiry is checked on every request.
 */
public final class ApiKeyService {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);

    /** An id and secret taken from the header; close it to wipe the secret. */
    public record Credentials(String id, Secret key) implements AutoCloseable {
        @Override
        public void close() {
            key.wipe();
        }
    }

    /** A new key: {@code secret} is shown once, in the create response. */
    public record Created(String id, String name, Long expirationMillis, Secret secret) {
    }

    /**
     * Authentication with an API key failed in a way Elasticsearch reports as "unsuccessful" (the chain
     * goes on and ends in the generic 401 that lists this message); never carries the secret.
     */
    public static final class Unsuccessful extends RuntimeException {
        private final boolean wrongSecret;
        private final boolean terminal;

        public Unsuccessful(String message) {
            this(message, false);
        }

        /** @param wrongSecret the key exists and its stored hash was verified against another secret */
        Unsuccessful(String message, boolean wrongSecret) {
            this(message, wrongSecret, false);
        }

        /** @param terminal Elasticsearch ends the chain with this message itself (not the generic 401) */
        Unsuccessful(String message, boolean wrongSecret, boolean terminal) {
            super(message, null, false, false);
            this.wrongSecret = wrongSecret;
            this.terminal = terminal;
        }

        /** Whether the client sees this message as the 401's reason (a key of another type than rest). */
        public boolean terminal() {
            return terminal;
        }

        /** Whether a known key was sent with a wrong secret (what the authentication throttle counts). */
        public boolean wrongSecret() {
            return wrongSecret;
        }
    }

    private record Cached(ApiKeyAuthn authn, Long expirationMillis, byte[] secretHash) {
    }

    private final ApiKeyRepository store;
    private final Hasher hasher;
    private final Hasher cacheHasher;
    private final Executor worker;
    private final Clock clock;
    private final int versionId;
    private final Cache<String, Cached> cache; // null when disabled
    /** Counts invalidations, so that an authentication that read a key before one ran does not cache it after. */
    private final AtomicLong invalidations = new AtomicLong();
    private volatile Revocations cluster = Revocations.none();

    /**
     * @param hasher      {@code xpack.security.authc.api_key.hashing.algorithm}, for new keys
     * @param cacheHasher how secrets that worked are remembered; a zero {@code cacheTtl} disables the cache
     */
    public ApiKeyService(ApiKeyRepository store, Hasher hasher, Hasher cacheHasher, Duration cacheTtl, long cacheMaxKeys, Executor worker,
                         Clock clock, int versionId) {
        this.store = store;
        this.hasher = hasher;
        this.cacheHasher = cacheHasher;
        this.worker = worker;
        this.clock = clock;
        this.versionId = versionId;
        this.cache = cacheTtl.isZero() || cacheTtl.isNegative() ? null
                : Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheMaxKeys).recordStats().build();
    }

    /** The authentication cache, for its statistics (metrics); null when disabled. */
    public Cache<?, ?> cache() {
        return cache;
    }

    // ------------------------------------------------------------------ the header

    /**
     * The credentials of an {@code ApiKey} header value (what follows {@code "ApiKey "}): standard Base64 of
     * {@code id:key}, split at the first colon, which must not be the first character.
     *
     * @throws IllegalArgumentException with Elasticsearch's message (the JDK's for bad Base64, else {@code invalid ApiKey value})
     */
    public static Credentials parseCredentials(String encoded) {
        byte[] raw = Base64.getDecoder().decode(encoded.getBytes(StandardCharsets.UTF_8));
        char[] chars;
        try {
            // Elasticsearch decodes leniently (malformed UTF-8 becomes U+FFFD), then looks for the colon
            CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw));
            chars = Arrays.copyOfRange(cb.array(), cb.position(), cb.limit());
            Arrays.fill(cb.array(), '\0');
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        try {
            int colon = -1;
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon < 1) {
                throw new IllegalArgumentException(EsMessages.INVALID_API_KEY_VALUE);
            }
            return new Credentials(new String(chars, 0, colon), Secret.copyOf(chars, colon + 1, chars.length));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    // ------------------------------------------------------------------ authentication

    /**
     * Completes with the authentication, or exceptionally with {@link Unsuccessful} (unknown id, invalidated,
     * wrong secret, expired, store failure) or a rejection of the worker pool. Does not close {@code credentials}.
     */
    public CompletableFuture<ApiKeyAuthn> authenticate(Credentials credentials) {
        String id = credentials.id();
        Cached hit = cache == null || !cluster.cachesUsable() ? null : cache.getIfPresent(id);
        if (hit != null && cacheHasher.verifyCompact(credentials.key(), hit.secretHash())) {
            try {
                return CompletableFuture.completedFuture(checkExpiry(hit));
            } catch (Unsuccessful e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(() -> {
            long generation = invalidations.get();
            Optional<ApiKeyRecord> found;
            try {
                found = store.findApiKey(id);
            } catch (RuntimeException e) {
                LOG.warn("API key authentication for id [{}] failed: {}", id, e.toString());
                throw new Unsuccessful(EsMessages.apiKeyAuthenticationFailure(id));
            }
            if (found.isEmpty()) {
                invalidateCache(id);
                throw new Unsuccessful(EsMessages.apiKeyNotFound(id));
            }
            ApiKeyRecord key = found.get();
            if (key.invalidated()) {
                invalidateCache(id);
                throw new Unsuccessful(EsMessages.apiKeyInvalidated(id));
            }
            boolean verified;
            try {
                verified = Hasher.verifyHash(credentials.key(), key.apiKeyHash());
            } catch (IllegalArgumentException e) {
                LOG.warn("the stored hash of API key [{}] cannot be read: {}", id, e.getMessage());
                throw new Unsuccessful(EsMessages.apiKeyAuthenticationFailure(id));
            }
            if (!verified) {
                // a cached success for another secret stays: wrong secrets must not push the right one back to the store
                throw new Unsuccessful(EsMessages.apiKeyInvalidCredentials(id), true);
            }
            if (!ApiKeyRecord.TYPE_REST.equals(key.type())) {
                // a cross-cluster key serves the remote cluster interface only; never cached here
                throw new Unsuccessful(EsMessages.apiKeyWrongType(id, key.type()), false, true);
            }
            Cached entry = new Cached(toAuthentication(key), key.expirationTimeMillis(), cacheHasher.hashCompact(credentials.key()));
            if (cache != null) {
                cache.put(id, entry);
                if (invalidations.get() != generation) {
                    // an invalidation ran meanwhile: what was read may be stale, do not keep it
                    cache.invalidate(id);
                }
            }
            return checkExpiry(entry);
        }, worker);
    }

    /**
     * The key {@code id} as it stands now, without its secret (a console session signed in with the key resolves it again
     * on every request): empty when it is unknown, invalidated, expired or not a REST key. From the authentication cache
     * when it holds the key (invalidations clear it), else from the store, on the worker pool.
     */
    public CompletableFuture<Optional<ApiKeyAuthn>> resolve(String id) {
        Cached hit = cache == null || !cluster.cachesUsable() ? null : cache.getIfPresent(id);
        if (hit != null) {
            return CompletableFuture.completedFuture(usable(hit));
        }
        return CompletableFuture.supplyAsync(() -> store.findApiKey(id)
                .filter(key -> !key.invalidated() && ApiKeyRecord.TYPE_REST.equals(key.type()))
                .flatMap(key -> usable(new Cached(toAuthentication(key), key.expirationTimeMillis(), null))), worker);
    }

    private Optional<ApiKeyAuthn> usable(Cached entry) {
        Long expiration = entry.expirationMillis();
        return expiration != null && expiration <= clock.millis() ? Optional.empty() : Optional.of(entry.authn());
    }

    private ApiKeyAuthn checkExpiry(Cached entry) {
        Long expiration = entry.expirationMillis();
        if (expiration != null && expiration <= clock.millis()) {
            throw new Unsuccessful(EsMessages.API_KEY_EXPIRED);
        }
        return entry.authn();
    }

    private void invalidateCache(String id) {
        if (cache != null) {
            cache.invalidate(id);
        }
    }

    /** The authentication a stored key gives: its owner, its descriptors and the owner's captured ones. */
    static ApiKeyAuthn toAuthentication(ApiKeyRecord key) {
        ObjectNode creator = object(key.creatorJson());
        return new ApiKeyAuthn(key.id(), key.name(), key.ownerUsername(), new RealmRef(key.ownerRealm(), key.ownerRealmType()), creator,
                descriptors(key.roleDescriptorsJson()), descriptors(key.limitedByJson()));
    }

    /** A {@code {"name": descriptor, ...}} object as descriptors, in its order. */
    public static List<RoleDescriptor> descriptors(String json) {
        List<RoleDescriptor> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(json).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(new RoleDescriptor(e.getKey(), e.getValue() instanceof ObjectNode o ? o : StoredJson.object()));
        }
        return out;
    }

    /** Descriptors as {@code {"name": display form, ...}}. */
    public static ObjectNode descriptorsJson(List<RoleDescriptor> descriptors) {
        ObjectNode o = StoredJson.object();
        descriptors.forEach(rd -> o.set(rd.name(), rd.toDisplayJson()));
        return o;
    }

    public static ObjectNode object(String json) {
        try {
            JsonNode n = StoredJson.read(json);
            return n instanceof ObjectNode o ? o : StoredJson.object();
        } catch (Exception e) {
            throw new IllegalStateException("stored API key JSON is not an object", e);
        }
    }

    // ------------------------------------------------------------------ owners

    /** The realm names of the caller's own keys ({@code ApiKeyService.getOwnersRealmNames}): for an API key, its owner's. */
    public static List<String> ownerRealmNames(Authentication authentication) {
        if (authentication instanceof ApiKeyAuthn k) {
            return List.of(k.ownerRealm().name());
        }
        return List.of(authentication.effectiveRealm().name());
    }

    // ------------------------------------------------------------------ management

    /**
     * Creates and stores a key owned by the effective subject of {@code authentication}.
     *
     * @param expiration  null for a key that never expires; as in Elasticsearch only whole seconds count
     * @param descriptors the key's own descriptors (may be empty)
     * @param limitedBy   the owner's descriptors now
     */
    public CompletableFuture<Created> create(Authentication authentication, String name, Duration expiration, List<RoleDescriptor> descriptors,
                                             ObjectNode metadata, List<RoleDescriptor> limitedBy) {
        return create(ApiKeyRecord.TYPE_REST, authentication, name, expiration, descriptors, metadata, limitedBy);
    }

    /**
     * A cross-cluster key: its one descriptor ({@code cross_cluster}) is all it may do, so no limited-by descriptors are
     * kept; only a user may create one, never a key.
     */
    public CompletableFuture<Created> createCrossCluster(Authentication authentication, String name, Duration expiration,
                                                         RoleDescriptor descriptor, ObjectNode metadata) {
        if (authentication instanceof ApiKeyAuthn) {
            return CompletableFuture.failedFuture(InvalidRequestException.illegalArgument(EsMessages.CROSS_CLUSTER_API_KEY_WITH_API_KEY));
        }
        return create(ApiKeyRecord.TYPE_CROSS_CLUSTER, authentication, name, expiration, List.of(descriptor), metadata, List.of());
    }

    private CompletableFuture<Created> create(String type, Authentication authentication, String name, Duration expiration,
                                              List<RoleDescriptor> descriptors, ObjectNode metadata, List<RoleDescriptor> limitedBy) {
        ObjectNode creator = Creator.of(authentication);
        RealmRef realm = new RealmRef(creator.path("realm").asText(), creator.path("realm_type").asText());
        String owner = authentication.principal();
        String descriptorsJson = descriptorsJson(descriptors).toString();
        String limitedByJson = descriptorsJson(limitedBy).toString();
        String metadataJson = (metadata == null ? StoredJson.object() : metadata).toString();
        return CompletableFuture.supplyAsync(() -> {
            Secret secret = SecretGenerator.newSecret();
            String id = TimeBasedIds.newId();
            String hash = hasher.hash(secret);
            long now = clock.millis();
            // Elasticsearch: creation + expiration.getSeconds() (whole seconds, truncated; "500ms" expires at once)
            Long expires = expiration == null ? null : now + TimeUnit.NANOSECONDS.toSeconds(expiration.toNanos()) * 1000L;
            store.insertApiKey(new ApiKeyRecord(id, name, type, hash, now, expires, false, null, owner, realm.name(),
                    realm.type(), creator.toString(), descriptorsJson, limitedByJson, metadataJson, versionId));
            return new Created(id, name, expires, secret);
        }, worker);
    }

    public CompletableFuture<List<ApiKeyRecord>> find(ApiKeyFilter filter) {
        return CompletableFuture.supplyAsync(() -> store.findApiKeys(filter), worker);
    }

    /** Invalidates the keys {@code filter} selects among those not yet invalidated; completes with the ids invalidated now. */
    public CompletableFuture<List<String>> invalidate(ApiKeyFilter filter) {
        ApiKeyFilter active = new ApiKeyFilter(filter.ids(), filter.name(), filter.username(), filter.realmNames(), true, filter.activeAt());
        Revocations cluster = this.cluster;
        record Invalidated(List<String> ids, Revocation revocation) {
        }
        return CompletableFuture.supplyAsync(() -> {
            List<String> ids = store.findApiKeys(active).stream().map(ApiKeyRecord::id).toList();
            // the event (naming the keys invalidated now) commits with the invalidation, or neither does
            Revocation revocation = cluster.revocation(InvalidationBus.API_KEYS, ids);
            List<String> done = store.invalidateApiKeys(ids, clock.millis(), revocation);
            invalidations.incrementAndGet(); // after the store write, before the evictions (see authenticate)
            done.forEach(this::invalidateCache);
            return new Invalidated(done, revocation);
        }, worker).thenCompose(i -> cluster.acknowledged(i.revocation()).thenApply(ack -> i.ids()));
    }

    /**
     * What an update did to each key asked for, as Elasticsearch's bulk update answers it: keys changed, keys
     * already as asked (noops), and refusals per id, in the order found.
     */
    public record UpdateResult(List<String> updated, List<String> noops, Map<String, InvalidRequestException> errors) {
    }

    /**
     * Updates the caller's own keys among {@code ids} (Elasticsearch's {@code ApiKeyService.updateApiKeys}): the
     * given parts replace the stored ones, the owner's descriptors now become the keys' limited-by descriptors, and
     * the creator and version are refreshed. A key with nothing to change is a noop; another owner's key or an
     * unknown id is not found; invalidated and expired keys are refused. Only a user may update keys, never a key.
     *
     * @param descriptors null: keep the stored ones
     * @param metadata    null: keep the stored metadata
     * @param expiration  null: keep the stored expiration; else it counts from now, in whole seconds, as at creation
     * @param limitedBy   the caller's descriptors now
     */
    public CompletableFuture<UpdateResult> update(Authentication authentication, List<String> ids, List<RoleDescriptor> descriptors,
                                                  ObjectNode metadata, Duration expiration, List<RoleDescriptor> limitedBy) {
        return update(ApiKeyRecord.TYPE_REST, authentication, ids, descriptors, metadata, expiration, limitedBy);
    }

    /** As {@link #update} for keys of {@code type} (cross-cluster keys: {@code limitedBy} empty, as they keep none). */
    public CompletableFuture<UpdateResult> update(String type, Authentication authentication, List<String> ids, List<RoleDescriptor> descriptors,
                                                  ObjectNode metadata, Duration expiration, List<RoleDescriptor> limitedBy) {
        if (authentication instanceof ApiKeyAuthn) {
            return CompletableFuture.failedFuture(InvalidRequestException.illegalArgument(EsMessages.API_KEY_UPDATE_WITH_API_KEY));
        }
        ObjectNode creator = Creator.of(authentication);
        ObjectNode newDescriptors = descriptors == null ? null : descriptorsJson(descriptors);
        ObjectNode newLimitedBy = descriptorsJson(limitedBy);
        Set<String> requested = new LinkedHashSet<>(ids);
        ApiKeyFilter owned = new ApiKeyFilter(List.copyOf(requested), null, authentication.principal(), ownerRealmNames(authentication),
                false, null);
        Revocations cluster = this.cluster;
        record Done(UpdateResult result, List<Revocation> revocations) {
        }
        return CompletableFuture.supplyAsync(() -> {
            List<String> updated = new ArrayList<>();
            List<String> noops = new ArrayList<>();
            Map<String, InvalidRequestException> errors = new LinkedHashMap<>();
            List<Revocation> revocations = new ArrayList<>();
            long now = clock.millis();
            Set<String> found = new LinkedHashSet<>();
            for (ApiKeyRecord key : store.findApiKeys(owned)) {
                found.add(key.id());
                InvalidRequestException refused = refusal(key, now, type);
                if (refused != null) {
                    errors.put(key.id(), refused);
                    continue;
                }
                // an if, not a ?: (its long branch would unbox a null expiration)
                Long expires = key.expirationTimeMillis();
                if (expiration != null) {
                    expires = now + TimeUnit.NANOSECONDS.toSeconds(expiration.toNanos()) * 1000L;
                }
                ApiKeyRecord next = new ApiKeyRecord(key.id(), key.name(), key.type(), key.apiKeyHash(), key.creationTimeMillis(), expires,
                        false, null, key.ownerUsername(), key.ownerRealm(), key.ownerRealmType(), creator.toString(),
                        newDescriptors == null ? key.roleDescriptorsJson() : newDescriptors.toString(), newLimitedBy.toString(),
                        metadata == null ? key.metadataJson() : metadata.toString(), versionId);
                if (isNoop(key, expiration, creator, newDescriptors, metadata, newLimitedBy)) {
                    noops.add(key.id());
                    continue;
                }
                Revocation revocation = cluster.revocation(InvalidationBus.API_KEYS, List.of(key.id()));
                if (store.updateApiKey(next, revocation)) {
                    updated.add(key.id());
                    revocations.add(revocation);
                } else {
                    errors.put(key.id(), InvalidRequestException.illegalArgument(EsMessages.cannotUpdateInvalidatedApiKey(key.id())));
                }
            }
            for (String id : requested) {
                if (!found.contains(id)) {
                    errors.put(id, InvalidRequestException.notFound(EsMessages.apiKeyNotOwned(id)));
                }
            }
            invalidations.incrementAndGet(); // after the store writes, before the evictions (see authenticate)
            updated.forEach(this::invalidateCache);
            return new Done(new UpdateResult(updated, noops, errors), revocations);
        }, worker).thenCompose(d -> CompletableFuture.allOf(d.revocations().stream().map(cluster::acknowledged)
                .toArray(CompletableFuture[]::new)).thenApply(ack -> d.result()));
    }

    /** Elasticsearch's {@code validateForUpdate}: invalidated, expired (strictly after its time) and other types are refused. */
    private static InvalidRequestException refusal(ApiKeyRecord key, long now, String type) {
        if (key.invalidated()) {
            return InvalidRequestException.illegalArgument(EsMessages.cannotUpdateInvalidatedApiKey(key.id()));
        }
        if (key.expirationTimeMillis() != null && now > key.expirationTimeMillis()) {
            return InvalidRequestException.illegalArgument(EsMessages.cannotUpdateExpiredApiKey(key.id()));
        }
        if (!type.equals(key.type())) {
            return InvalidRequestException.illegalArgument(EsMessages.cannotUpdateApiKeyType(key.type(), type));
        }
        return null;
    }

    /**
     * Elasticsearch's {@code isNoop}: same version, no expiration asked for (it counts from now, so it always
     * changes), the same creator, and descriptors, metadata and limited-by descriptors as stored (descriptors by
     * name, in any order).
     */
    private boolean isNoop(ApiKeyRecord key, Duration expiration, ObjectNode creator, ObjectNode descriptors, ObjectNode metadata,
                           ObjectNode limitedBy) {
        return key.version() == versionId
                && expiration == null
                && object(key.creatorJson()).equals(creator)
                && (metadata == null || object(key.metadataJson()).equals(metadata))
                && (descriptors == null || object(key.roleDescriptorsJson()).equals(descriptors))
                && object(key.limitedByJson()).equals(limitedBy);
    }

    /** The {@code api_keys} subscriber: forgets cached authentications of these key ids (null: all). */
    public void invalidateCached(List<String> ids) {
        invalidations.incrementAndGet(); // before the evictions, as in invalidate
        if (ids == null) {
            if (cache != null) {
                cache.invalidateAll();
            }
        } else {
            ids.forEach(this::invalidateCache);
        }
    }

    /** Where an invalidation is announced to the other nodes. */
    public ApiKeyService withCluster(Revocations c) {
        this.cluster = c;
        return this;
    }

    public long now() {
        return clock.millis();
    }
}
