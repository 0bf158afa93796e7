package io.svctoken.server;

import io.svctoken.core.store.Store;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.store.sqlite.SqliteStore;

import java.util.Map;

/** Opens the node's store. The one place of the server that knows the concrete stores. */
public final class StoreFactory {

    private StoreFactory() {
    }

    /**
     * @param env the node's environment
     * @throws io.svctoken.core.store.StoreException when the store cannot be opened
     */
    public static Store open(NodeSettings settings, Map<String, String> env) {
        return SqliteStore.open(settings.dataPath());
    }
}
