package io.svctoken.server;

import io.svctoken.core.store.Store;
import io.svctoken.server.settings.NodeSettings;
import io.svctoken.server.settings.StoreSettings;
import io.svctoken.store.postgresql.PostgresqlStore;
import io.svctoken.store.sqlite.SqliteStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Map;

/** Opens the store {@code svctoken.store.type} names. The one place of the server that knows the concrete stores. */
public final class StoreFactory {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFactory.class);

    private StoreFactory() {
    }

    /**
     * @param env the node's environment (the PostgreSQL password may come from it)
     * @throws io.svctoken.core.store.StoreException when the store cannot be opened
     * @throws io.svctoken.server.settings.SettingsException when the PostgreSQL password file cannot be read
     */
    public static Store open(NodeSettings settings, Map<String, String> env) {
        StoreSettings s = settings.store();
        Store store = switch (s.type()) {
            case SQLITE -> SqliteStore.open(settings.dataPath());
            case POSTGRESQL -> postgresql(s.postgresql().orElseThrow(), env);
        };
        LOG.info("store: {}", store);
        return store;
    }

    /**
     * True when the store certainly holds nothing yet, asked before it opens: SQLite without its database file (a
     * first start). PostgreSQL: false (another node may have filled it).
     */
    public static boolean certainlyEmpty(NodeSettings settings) {
        return settings.store().type() == StoreSettings.Type.SQLITE
                && !Files.exists(settings.dataPath().resolve(SqliteStore.DB_FILE_NAME), LinkOption.NOFOLLOW_LINKS);
    }

    private static Store postgresql(StoreSettings.Postgresql pg, Map<String, String> env) {
        return PostgresqlStore.open(new PostgresqlStore.Config(pg.url(), pg.username().orElse(null), pg.password(env).orElse(null),
                pg.poolMaxSize(), pg.connectTimeout()));
    }
}
