package io.svctoken.core.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.svctoken.core.EsMessages;
import io.svctoken.core.cluster.InvalidationBus;
import io.svctoken.core.cluster.Revocations;
import io.svctoken.core.store.Revocation;
import io.svctoken.core.store.ServiceAccountRecord;
import io.svctoken.core.store.ServiceAccountRepository;
import io.svctoken.core.store.ServiceAccountRepository.DeleteResult;
import io.svctoken.core.store.ServiceAccountRepository.PutResult;
import io.svctoken.core.user.Validation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * User-managed service accounts (Elasticsearch 9.6): kept in the store, read through a cache of accounts (as
 * Elasticsearch's account cache: {@code ttl}, {@code max_accounts}; a zero ttl disables it). Every write clears the
 * account's entry here at once and, through the invalidation bus ({@code service_accounts}), on every node.
 */
public final class UserManagedServiceAccounts {

    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_ROLES = 1000;
    /** Not confirmed from Elasticsearch's source; the role description's maximum. */
    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    private final ServiceAccountRepository repository;
    private final Executor worker;
    private final Cache<String, Optional<ServiceAccountRecord>> cache; // null when disabled
    /** Counts invalidations, so that a load that read the store before one does not cache what it read. */
    private final AtomicLong invalidations = new AtomicLong();
    private volatile Revocations cluster = Revocations.none();

    public UserManagedServiceAccounts(ServiceAccountRepository repository, Executor worker, Duration cacheTtl, long cacheMaxAccounts) {
        this.repository = repository;
        this.worker = worker;
        this.cache = cacheTtl.isZero() || cacheTtl.isNegative() ? null
                : Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheMaxAccounts).recordStats().build();
    }

    public UserManagedServiceAccounts withCluster(Revocations c) {
        this.cluster = c;
        return this;
    }

    /** The account cache, for its statistics; null when disabled. */
    public Cache<?, ?> cache() {
        return cache;
    }

    /** Whether {@code namespace} names the built-in accounts ({@code elastic} in any letter case, as Elasticsearch routes it). */
    public static boolean isBuiltInNamespace(String namespace) {
        return namespace != null && namespace.toLowerCase(Locale.ROOT).equals("elastic");
    }

    /** The account, from the cache or else the store (on the worker). */
    public CompletableFuture<Optional<ServiceAccountRecord>> find(ServiceAccountId id) {
        String key = id.asPrincipal();
        boolean usable = cache != null && cluster.cachesUsable();
        Optional<ServiceAccountRecord> hit = usable ? cache.getIfPresent(key) : null;
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        long before = invalidations.get();
        return CompletableFuture.supplyAsync(() -> {
            Optional<ServiceAccountRecord> found = repository.findAccount(id);
            if (usable) {
                cache.put(key, found);
                if (invalidations.get() != before) {
                    cache.invalidate(key); // an invalidation ran meanwhile: what was read may be stale
                }
            }
            return found;
        }, worker);
    }

    /** Every account, from the store, sorted by principal. */
    public CompletableFuture<List<ServiceAccountRecord>> list() {
        return CompletableFuture.supplyAsync(repository::listAccounts, worker);
    }

    /** Stores the account (one transaction with the event that clears every node's entry); completes once every live node did. */
    public CompletableFuture<PutResult> put(ServiceAccountRecord account) {
        String key = account.id().asPrincipal();
        Revocation revocation = cluster.revocation(InvalidationBus.SERVICE_ACCOUNTS, List.of(key));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return repository.putAccount(account, revocation);
            } finally {
                invalidate(List.of(key));
            }
        }, worker).thenCompose(r -> cluster.acknowledged(revocation).thenApply(ack -> r));
    }

    /** As {@link #put}; the account's tokens are never deleted. */
    public CompletableFuture<DeleteResult> delete(ServiceAccountId id, boolean force) {
        String key = id.asPrincipal();
        Revocation revocation = cluster.revocation(InvalidationBus.SERVICE_ACCOUNTS, List.of(key));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return repository.deleteAccount(id, force, revocation);
            } finally {
                invalidate(List.of(key));
            }
        }, worker).thenCompose(r -> cluster.acknowledged(revocation).thenApply(ack -> r));
    }

    /** The {@code service_accounts} subscriber: forgets these principals (null: all). */
    public void invalidate(List<String> principals) {
        invalidations.incrementAndGet();
        if (cache == null) {
            return;
        }
        if (principals == null) {
            cache.invalidateAll();
        } else {
            cache.invalidateAll(principals);
        }
    }

    // ------------------------------------------------------------------ validation (PUT and DELETE)

    /** Elasticsearch's findings on an account's name, in its order (empty: valid). */
    public static List<String> nameProblems(String namespace, String service) {
        List<String> errors = new ArrayList<>();
        if (isBuiltInNamespace(namespace)) {
            errors.add(EsMessages.UM_ELASTIC_NAMESPACE_RESERVED);
        }
        part(errors, "namespace", namespace, EsMessages.UM_NAMESPACE_MISSING);
        part(errors, "service name", service, EsMessages.UM_SERVICE_MISSING);
        return errors;
    }

    private static void part(List<String> errors, String what, String value, String missing) {
        if (value == null || value.isEmpty()) {
            errors.add(missing);
            return;
        }
        if (!validCharacters(value)) {
            errors.add(EsMessages.umNameCharacters(what, value));
        }
        if (value.length() > MAX_NAME_LENGTH) {
            errors.add(EsMessages.umNameTooLong(what, MAX_NAME_LENGTH, value));
        }
    }

    private static boolean validCharacters(String v) {
        if (!Character.isLetterOrDigit(v.charAt(0)) || v.charAt(0) > 127) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The findings on a PUT's body: the roles (count with duplicates, each name by the native role-name rule; reserved names allowed), the description. */
    public static List<String> bodyProblems(List<String> roles, String description) {
        List<String> errors = new ArrayList<>();
        if (roles.size() > MAX_ROLES) {
            errors.add(EsMessages.umTooManyRoles(MAX_ROLES, roles.size()));
        }
        for (String r : roles) {
            Validation.Roles.validateRoleName(r, true, n -> false).ifPresent(errors::add);
        }
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(EsMessages.umDescriptionTooLong(MAX_DESCRIPTION_LENGTH, description.length()));
        }
        return errors;
    }
}
