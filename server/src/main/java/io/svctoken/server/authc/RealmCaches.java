package io.svctoken.server.authc;

import io.svctoken.core.realm.RealmCacheConfig;
import io.svctoken.server.settings.RealmSettings;

/** A realm's cache settings, as core's realms take them. */
public final class RealmCaches {

    private RealmCaches() {
    }

    public static RealmCacheConfig config(RealmSettings.Cache settings) {
        return new RealmCacheConfig(settings.ttl(), settings.maxUsers(), settings.hasher());
    }
}
