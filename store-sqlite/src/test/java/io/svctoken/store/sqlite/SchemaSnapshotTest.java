package io.svctoken.store.sqlite;

import io.svctoken.core.store.StoreException;
import io.svctoken.store.jdbc.SchemaHistory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An empty database made from the build's schema snapshot is the database Flyway's migrations make: the same schema
 * objects, the same history rows (Flyway's checksums, so Flyway validates it and runs only later migrations on it).
 * The build writes the snapshot from the migrations ({@link SchemaSnapshot#main}); this checks what it wrote.
 */
class SchemaSnapshotTest {

    @TempDir
    Path flywayDir;
    @TempDir
    Path snapshotDir;

    private static Connection connect(Path dir) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("svctoken.db"));
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void theBuildsSnapshotIsWhatFlywaysMigrationsMake() throws Exception {
        SqliteStore.open(flywayDir, false).close();
        String made;
        try (Connection c = connect(flywayDir)) {
            made = SchemaSnapshot.of(c).text();
        }
        SchemaSnapshot shipped = SchemaSnapshot.shipped();
        assertThat(shipped).as("the resource %s the build writes", SchemaSnapshot.RESOURCE).isNotNull();
        assertThat(shipped.version()).isEqualTo(SqliteStore.SCHEMA_VERSION);
        assertThat(shipped.text()).isEqualTo(made);
    }

    @Test
    void anEmptyDatabaseMadeFromTheSnapshotIsTheOneFlywayMakes() throws Exception {
        SqliteStore.open(flywayDir, false).close();
        SqliteStore.open(snapshotDir).close();
        String objects = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid";
        String history = "SELECT installed_rank, version, description, type, script, checksum, installed_by, success FROM "
                + SchemaHistory.TABLE + " ORDER BY installed_rank";
        try (Connection f = connect(flywayDir); Connection s = connect(snapshotDir)) {
            assertThat(rows(s, objects)).isEqualTo(rows(f, objects)).hasSizeGreaterThan(20);
            assertThat(rows(s, history)).isEqualTo(rows(f, history)).hasSize(11);
            // the snapshot's rows, not a Flyway run: Flyway records how long each migration took, the snapshot 0
            assertThat(rows(s, "SELECT DISTINCT execution_time FROM " + SchemaHistory.TABLE)).containsExactly("0");
        }
        // Flyway takes the history as its own: same checksums, nothing pending, so a later migration runs on it as usual
        Flyway flyway = Flyway.configure(SqliteStore.class.getClassLoader())
                .dataSource("jdbc:sqlite:" + snapshotDir.resolve("svctoken.db"), null, null)
                .locations(SqliteStore.MIGRATIONS_LOCATION).table(SqliteStore.SCHEMA_HISTORY_TABLE).load();
        ValidateResult validated = flyway.validateWithResult();
        assertThat(validated.validationSuccessful).as(validated.getAllErrorMessages()).isTrue();
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.info().current().getVersion().getVersion()).isEqualTo(String.valueOf(SqliteStore.SCHEMA_VERSION));
        // and it opens again as a current schema
        SqliteStore.open(snapshotDir).close();
    }

    @Test
    void aDatabaseThatHoldsAnythingIsLeftToFlyway() throws Exception {
        try (Connection c = connect(snapshotDir); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE unrelated (x INTEGER)");
            assertThat(SqliteStore.createFromSnapshot(c, snapshotDir)).isFalse();
            assertThat(rows(c, "SELECT name FROM sqlite_master")).containsExactly("unrelated");
        }
        try (Connection c = connect(flywayDir)) {
            assertThat(SqliteStore.createFromSnapshot(c, flywayDir)).isTrue();
            assertThat(rows(c, "SELECT count(*) FROM " + SchemaHistory.TABLE)).containsExactly("11");
        }
        // the first is Flyway's to judge, as before: a database with foreign tables and no history is refused
        assertThatThrownBy(() -> SqliteStore.open(snapshotDir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("Found non-empty schema(s) \"main\" but no schema history table");
    }
}
