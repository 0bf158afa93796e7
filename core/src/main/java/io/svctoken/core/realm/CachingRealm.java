package io.svctoken.core.realm;

/** A realm with a login cache ({@link CredentialCache}), which its invalidations clear. */
abstract class CachingRealm implements Realm {

    final CredentialCache cache;

    CachingRealm(CredentialCache cache) {
        this.cache = cache;
    }

    @Override
    public final com.github.benmanes.caffeine.cache.Cache<?, ?> loginCache() {
        return cache.caffeine();
    }

    @Override
    public final void invalidate(String username) {
        cache.invalidate(username);
    }

    @Override
    public final void invalidateAll() {
        cache.invalidateAll();
    }
}
