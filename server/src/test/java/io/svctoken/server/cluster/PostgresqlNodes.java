package io.svctoken.server.cluster;

import io.svctoken.store.postgresql.EmbeddedPostgresql;

import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** What the cluster tests share: a node's settings for one embedded PostgreSQL database, and raw SQL on it. */
final class PostgresqlNodes {

    private PostgresqlNodes() {
    }

    /** The store settings of a node named {@code name} on database {@code db}, as a map the test may add to. */
    static Map<String, String> settings(String db, String user, String password, String name) {
        return new HashMap<>(Map.of("svctoken.store.type", "postgresql",
                "svctoken.store.postgresql.url", EmbeddedPostgresql.url(db),
                "svctoken.store.postgresql.username", user,
                "svctoken.store.postgresql.password", password,
                "node.name", name));
    }

    /** The same, as the database's owner role. */
    static Map<String, String> settings(String db, String name) {
        return settings(db, EmbeddedPostgresql.ROLE, EmbeddedPostgresql.PASSWORD, name);
    }

    /** As {@link #settings(String, String)}, with a small pool and the cluster's timings short enough for a test (200ms, ack 5s). */
    static Map<String, String> quickCluster(String db, String name) {
        Map<String, String> s = settings(db, name);
        s.put("svctoken.store.postgresql.pool.max_size", "4");
        s.put("svctoken.cluster.heartbeat_interval", "200ms");
        s.put("svctoken.cluster.poll_interval", "200ms");
        s.put("svctoken.cluster.ack_timeout", "5s");
        return s;
    }

    /** Runs one statement as the superuser, outside any node (to break or inspect the store on purpose). */
    static void sql(String db, String statement) throws Exception {
        try (Connection c = EmbeddedPostgresql.superuser(db); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }
}
