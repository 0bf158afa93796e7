package io.svctoken.store.postgresql;

import io.svctoken.core.secret.SecretAccess;
import io.svctoken.store.jdbc.PublishSignal;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * {@code LISTEN svctoken_invalidation} on a connection of its own, outside the pool (a pooled connection
 * would be handed to other work, and a listening session must stay open). Used by the node's one
 * listening thread. While the database cannot be reached it waits as the local signal does and tries
 * again at the next call; the listener polls the log in any case.
 */
final class ListenSignal implements PublishSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ListenSignal.class);

    private final PostgresqlStore.Config config;
    private final String where;
    private final PublishSignal.Local local = new PublishSignal.Local();
    private Connection connection; // the listening thread's only
    private volatile boolean closed;
    private boolean failing;

    ListenSignal(PostgresqlStore.Config config, String where) {
        this.config = config;
        this.where = where;
    }

    @Override
    public void await(long timeoutMillis) throws InterruptedException {
        Connection c = connection();
        if (c == null) {
            local.await(timeoutMillis);
            return;
        }
        try {
            c.unwrap(PGConnection.class).getNotifications((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
        } catch (SQLException e) {
            if (!closed) {
                LOG.warn("lost the LISTEN connection to {} (polling the invalidation log meanwhile): {}", where,
                        PostgresqlConnections.message(e));
                failing = true;
            }
            closeConnection();
            local.await(Math.min(timeoutMillis, 1000));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private Connection connection() {
        if (connection != null || closed) {
            return connection;
        }
        Properties p = new Properties();
        if (config.username() != null) {
            p.setProperty("user", config.username());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password().revealAsString(SecretAccess.plaintext()));
        }
        p.setProperty("connectTimeout", String.valueOf(Math.max(1, (config.connectTimeout().toMillis() + 999) / 1000)));
        p.setProperty("logServerErrorDetail", "false");
        p.setProperty("ApplicationName", "svctoken-listener");
        p.setProperty("tcpKeepAlive", "true");
        try {
            Connection c = DriverManager.getConnection(config.url(), p);
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + PostgresqlDialect.CHANNEL);
            }
            if (failing) {
                LOG.info("LISTEN connection to {} is back", where);
                failing = false;
            }
            connection = c;
        } catch (SQLException e) {
            if (!failing) {
                LOG.warn("cannot LISTEN on {} (polling the invalidation log meanwhile): {}", where, PostgresqlConnections.message(e));
                failing = true;
            }
        }
        return connection;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    @Override
    public void published() {
        local.published(); // the NOTIFY wakes the LISTEN connection; this covers a lost one
    }

    /** Stops listening; the listening thread's next wait returns at once. */
    @Override
    public void close() {
        closed = true;
        local.close();
        // closing from another thread aborts a getNotifications in progress
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }
}
