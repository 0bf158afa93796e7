package io.svctoken.store.postgresql;

import io.svctoken.core.secret.Secret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests (from Maven jars: no install, runs as root), started once per test JVM on
 * first use and stopped when the JVM exits. Each caller gets a fresh database of its own.
 *
 * <p>As in production, svctoken logs in as an ordinary role with a password (scram-sha-256, checked by
 * the server); only the tests' own superuser {@code postgres} is trusted.
 */
public final class EmbeddedPostgresql {

    /** The role svctoken logs in as; it owns the test databases. */
    public static final String ROLE = "svctoken_app";
    public static final String PASSWORD = "test-db-password-3f1a9c";
    private static final String SUPERUSER = "postgres";

    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private EmbeddedPostgresql() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath().resolve("pg_hba.conf")))
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .start();
                try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
                    st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the test role", e);
            }
        }
        return server;
    }

    private static void writeHba(Path hba) {
        try {
            Files.writeString(hba, String.join("\n",
                    "local all " + SUPERUSER + " trust",
                    "host  all " + SUPERUSER + " 127.0.0.1/32 trust",
                    "host  all " + SUPERUSER + " ::1/128 trust",
                    "local all all scram-sha-256",
                    "host  all all 127.0.0.1/32 scram-sha-256",
                    "host  all all ::1/128 scram-sha-256", ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int port() {
        return server().getPort();
    }

    /** The JDBC URL of a database. */
    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** Creates a fresh, empty database owned by {@link #ROLE}; returns its name. */
    public static String newDatabase() {
        String name = "svctoken_test_" + DATABASES.incrementAndGet();
        try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return name;
    }

    /** How svctoken reaches a database: as {@link #ROLE} with its password, a small pool. */
    public static PostgresqlStore.Config config(String database) {
        return new PostgresqlStore.Config(url(database), ROLE, Secret.of(PASSWORD), 4, Duration.ofSeconds(10));
    }

    /** A superuser connection to a database, for the tests' own checks. */
    public static Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + server().getPort() + "/" + database, SUPERUSER, "");
    }
}
